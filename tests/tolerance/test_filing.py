"""Starting a case: routing, the three ways of starting, the policy version, attachments."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from cadres.enums import ManagementLevel
from core.enums import Role
from core.models import AuditEvent
from tests.factories import CadreFactory, make_user
from tolerance.catalogs import GUANYUN
from tolerance.enums import CaseState, StartedBy
from tolerance.errors import CaseError, RoutingError
from tolerance.filing import attachment_add, case_create, route_authority
from tolerance.models import AccountabilityMatter, Attachment, Case, CaseCadre, PolicyVersion
from tolerance.policies import policy_version_create
from tolerance.workflow import case_transition

CONDUCT = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def create(actor, cadres, started_by=StartedBy.CADRE, occurred_on=CONDUCT, **kw):
    values = dict(title="试点项目资金拨付偏差", description="推进改革试点中出现偏差。")
    values.update(kw)
    return case_create(actor=actor, started_by=started_by, cadres=cadres,
                       occurred_on=occurred_on, **values)


def nothing_created():
    return (Case.objects.count(), AccountabilityMatter.objects.count(),
            AuditEvent.objects.filter(action="tolerance.case.create").count()) == (0, 0, 0)


# --- routing ----------------------------------------------------------------------------------


def test_route_county_managed_cadre_to_the_county_org_department(world):
    assert route_authority([world.cadre_a1]) == world.county_a_org


def test_route_city_managed_cadre_to_the_city_org_department(world):
    assert route_authority([world.cadre_city]) == world.city_org


def test_route_a_county_managed_cadre_of_a_county_without_department(world):
    with pytest.raises(RoutingError) as error:
        route_authority([world.cadre_b1])
    assert str(error.value) == "No organization department is competent for one of these cadres."


def test_route_cadres_of_two_authorities_is_refused(world):
    with pytest.raises(RoutingError) as error:
        route_authority([world.cadre_a1, world.cadre_city])
    assert str(error.value) == (
        "These cadres fall under different organization departments; "
        "file a separate application for each."
    )
    with pytest.raises(RoutingError):
        route_authority([])


def test_case_create_refuses_cadres_of_two_authorities(world):
    city_hr = make_user("hr_city", Role.UNIT_HR, unit=world.city)  # sees both cadres
    with pytest.raises(RoutingError):
        create(city_hr, [world.cadre_a1, world.cadre_city], StartedBy.UNIT)
    assert nothing_created()


# --- started three ways ----------------------------------------------------------------------


def test_cadre_applies_for_self(staff, world):
    case = create(staff.cadre, [world.cadre_a1])
    assert (case.state, case.started_by, case.authority, case.filed_by) == (
        CaseState.DRAFT, StartedBy.CADRE, world.county_a_org, staff.cadre
    )
    assert case.applicant_unit is None
    assert list(case.entries.values_list("cadre__name", flat=True)) == ["张三"]
    assert list(case.matter.cadres.values_list("name", flat=True)) == ["张三"]
    assert (case.matter.occurred_on, case.matter.title) == (CONDUCT, "试点项目资金拨付偏差")
    event = AuditEvent.objects.get(action="tolerance.case.create")
    assert event.authority_id == world.county_a_org.pk
    assert event.after == {
        "state": "draft",
        "started_by": "cadre",
        "cadres": [world.cadre_a1.pk],
        "matter": case.matter.pk,
        "policy_version": case.policy_version.pk,
    }


@pytest.mark.parametrize(
    ("started_by", "whom"),
    [
        (StartedBy.CADRE, "colleague"),  # not for someone else
        (StartedBy.CADRE, "both"),  # nor for self and someone else
        (StartedBy.UNIT, "self"),  # a cadre is not the unit
        (StartedBy.EX_OFFICIO_INSPECTION, "self"),  # nor the organization department
    ],
)
def test_cadre_applies_only_for_self(started_by, whom, staff, world):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    cadres = {"colleague": [colleague], "both": [world.cadre_a1, colleague],
              "self": [world.cadre_a1]}[whom]
    with pytest.raises(CaseError) as error:
        create(staff.cadre, cadres, started_by)
    assert str(error.value) == "You may not start this kind of case for these cadres."
    assert nothing_created()


def test_unit_applies_for_cadres_of_its_subtree(staff, world):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = create(staff.hr, [world.cadre_a1, colleague], StartedBy.UNIT)
    assert (case.started_by, case.applicant_unit, case.authority) == (
        StartedBy.UNIT, world.township_a1, world.county_a_org
    )
    assert sorted(case.entries.values_list("cadre__name", flat=True)) == ["张三", "赵六"]


@pytest.mark.parametrize("started_by", [StartedBy.UNIT, StartedBy.EX_OFFICIO_ACCOUNTABILITY])
def test_unit_refused_outside_its_subtree_or_ex_officio(started_by, staff, world):
    outside = CadreFactory(name="钱七", unit=world.county_a)  # the county, above the township
    cadres = [outside] if started_by == StartedBy.UNIT else [world.cadre_a1]
    with pytest.raises(CaseError) as error:
        create(staff.hr, cadres, started_by)
    assert str(error.value) == "You may not start this kind of case for these cadres."
    assert nothing_created()


@pytest.mark.parametrize("started_by", sorted(StartedBy.ex_officio()))
def test_ex_officio_by_org_staff_of_the_routed_authority(started_by, staff, world):
    case = create(staff.investigator, [world.cadre_a1], started_by)
    assert (case.started_by, case.authority, case.filed_by) == (
        started_by, world.county_a_org, staff.investigator
    )
    submitted = case_transition(case, actor=staff.investigator, action="submit")
    assert submitted.state == CaseState.SUBMITTED


def test_ex_officio_refused_for_other_authorities_and_non_staff(staff, world):
    auditor = make_user("auditor_a", Role.AUDITOR, authorities=[world.county_a_org])
    discipline = make_user("disc", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline])
    for actor in (staff.clerk_b, auditor, discipline, staff.outsider):
        with pytest.raises(CaseError) as error:
            create(actor, [world.cadre_a1], StartedBy.EX_OFFICIO_INVESTIGATION)
        assert str(error.value) == "You may not start this kind of case for these cadres."
    city_cadre = create(staff.clerk_b, [world.cadre_city], StartedBy.EX_OFFICIO_INVESTIGATION)
    assert city_cadre.authority == world.city_org
    with pytest.raises(CaseError):  # the county clerk cannot for a city-managed cadre
        create(staff.clerk, [world.cadre_city], StartedBy.EX_OFFICIO_INVESTIGATION)
    assert Case.objects.count() == 1


def test_matter_and_date_are_checked(staff, world):
    with pytest.raises(CaseError) as error:
        create(staff.cadre, [world.cadre_a1], title=" ")
    assert str(error.value) == "Say what the accountability matter is and what happened."
    with pytest.raises(CaseError) as error:
        create(staff.cadre, [world.cadre_a1], occurred_on=dt.date(2099, 1, 1))
    assert str(error.value) == "The date of the conduct cannot be in the future."
    assert nothing_created()


# --- the policy version in force on the day of the conduct -----------------------------------


def test_policy_version_in_force_on_the_conduct_date_is_recorded(staff, world):
    county = PolicyVersion.objects.get(jurisdiction_code=world.county_a.code)
    jinan = PolicyVersion.objects.get(jurisdiction_code="3701")
    own = policy_version_create(GUANYUN, actor=None, title="甲县容错纠错办法",
                                effective_from=dt.date(2025, 1, 1),
                                jurisdiction_code=world.county_a.code, publish=True)
    before = create(staff.cadre, [world.cadre_a1], occurred_on=dt.date(2024, 12, 31))
    on_the_day = create(staff.cadre, [world.cadre_a1], occurred_on=dt.date(2025, 1, 1))
    assert before.policy_version == county
    assert on_the_day.policy_version == own
    assert len(on_the_day.policy_version.policy.situations) == 18
    city = create(make_user("wangwu", Role.CADRE, cadre=world.cadre_city), [world.cadre_city])
    assert city.policy_version == jinan  # the city's authority: 济南市's measure


def test_no_policy_in_force_refuses_the_case(staff, world):
    with pytest.raises(CaseError) as error:
        create(staff.cadre, [world.cadre_a1], occurred_on=dt.date(2010, 5, 4))
    assert str(error.value) == (
        "No published tolerance measure was in force for 中共甲县县委组织部 on 2010-05-04: "
        "neither its own jurisdiction nor any above it has published one."
    )
    assert nothing_created()


# --- attachments ------------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


@pytest.mark.parametrize(
    ("name", "data", "stored_as", "media_type"),
    [
        ("现场照片.png", png_bytes(), "现场照片.png", "image/png"),
        ("情况说明.pdf", PDF, "情况说明.pdf", "application/pdf"),
        ("scan.jpeg.PDF", PDF, "scan.jpeg.pdf", "application/pdf"),
        ("没有扩展名", PDF, "没有扩展名.pdf", "application/pdf"),
    ],
)
def test_attachment_accepted_by_content(name, data, stored_as, media_type, flow, staff, media):
    import hashlib

    case = flow.filed()
    attachment = attachment_add(case, actor=staff.cadre, kind="application",
                                upload=SimpleUploadedFile(name, data))
    digest = hashlib.sha256(data).hexdigest()
    assert (attachment.filename, attachment.content_type, attachment.size, attachment.sha256) == (
        stored_as, media_type, len(data), digest
    )
    assert attachment.file.read() == data
    assert stored_files(media) == [f"{digest[:32]}.{stored_as.rsplit('.', 1)[1]}"]
    event = AuditEvent.objects.get(action="tolerance.attachment.add")
    assert event.after == {"attachment": attachment.pk, "filename": stored_as, "sha256": digest}


def refused_upload(case, actor, upload, kind="application"):
    with pytest.raises(CaseError) as error:
        attachment_add(case, actor=actor, kind=kind, upload=upload)
    return str(error.value)


def test_executable_renamed_pdf_refused_and_nothing_stored(flow, staff, media):
    case = flow.filed()
    message = refused_upload(case, staff.cadre, SimpleUploadedFile("证明.pdf", EXE))
    assert message == "Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted."
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])
    assert not AuditEvent.objects.filter(action="tolerance.attachment.add").exists()


def test_oversize_file_refused_and_nothing_stored(flow, staff, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 2**20
    case = flow.filed()
    big = PDF + b"0" * (2**20 - len(PDF) + 1)
    message = refused_upload(case, staff.cadre, SimpleUploadedFile("大文件.pdf", big))
    assert message == "The file is larger than 1 MB."
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])
    exact = PDF + b"0" * (2**20 - len(PDF))
    attachment_add(case, actor=staff.cadre, kind="evidence",
                   upload=SimpleUploadedFile("正好.pdf", exact))
    assert Attachment.objects.get().size == 2**20


def test_empty_file_and_unknown_kind_refused(flow, staff, media):
    case = flow.filed()
    assert refused_upload(case, staff.cadre, SimpleUploadedFile("空.pdf", b"")) == (
        "The file is empty."
    )
    assert refused_upload(case, staff.cadre, SimpleUploadedFile("a.pdf", PDF), kind="x") == (
        "Unknown kind of attachment."
    )
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])


def test_who_may_attach_when(flow, staff, media):
    upload = lambda: SimpleUploadedFile("a.pdf", PDF)  # noqa: E731
    draft = flow.filed()
    for actor in (staff.outsider, staff.clerk, staff.hr):
        assert refused_upload(draft, actor, upload()) == "You cannot add files to this case now."
    investigating = flow.investigating()
    assert refused_upload(investigating, staff.cadre, upload()) == (
        "You cannot add files to this case now."
    )
    refused_upload(investigating, staff.other_investigator, upload(), kind="evidence")
    attachment_add(investigating, actor=staff.investigator, kind="evidence", upload=upload())
    attachment_add(investigating, actor=staff.cadre, kind="statement", upload=upload())
    assert sorted(Attachment.objects.values_list("kind", "uploaded_by__username")) == [
        ("evidence", "t_inv"), ("statement", "t_cadre"),
    ]
    ex_officio_draft = flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    refused_upload(ex_officio_draft, staff.cadre, upload(), kind="statement")
    withdrawn = case_transition(flow.submitted(), actor=staff.cadre, action="withdraw",
                                reason="撤回")
    refused_upload(withdrawn, staff.cadre, upload())
    assert Attachment.objects.count() == 2


def test_city_managed_cadre_of_a_county_unit_goes_to_the_city(world, staff):
    promoted = CadreFactory(name="孙八", unit=world.township_a1,
                            management_level=ManagementLevel.CITY)
    assert route_authority([promoted]) == world.city_org
    with pytest.raises(RoutingError):  # the township sees both; they go to two departments
        create(staff.hr, [promoted, world.cadre_a1], StartedBy.UNIT)
    assert CaseCadre.objects.count() == 0
    case = create(staff.hr, [promoted], StartedBy.UNIT)
    assert (case.authority, case.applicant_unit) == (world.city_org, world.township_a1)
