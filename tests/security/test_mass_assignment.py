"""Mass-assignment probes on every writable REST API endpoint.

Each writable operation of /api/schema/ (POST, PUT, PATCH, DELETE) has a probe below; a
new one fails test_every_writable_endpoint_has_a_probe until it gets its own. A probe sends
a legitimate request padded with the fields a client must never set — state, authority,
document or case numbers, ids, authors and times (audit data) — and checks that the request
did what it should and that none of those fields changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import AnnualAssessment, TargetAssessment
from cadres.enums import ManagementLevel, PostType, Rank
from cadres.models import Cadre
from core.models import AuditEvent
from promotions.models import Proposal
from promotions.triggers.scan import scan
from tests.factories import CadreFactory, make_id_number
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures
from tolerance.enums import StartedBy
from tolerance.filing import case_create
from tolerance.models import Case
from tolerance.workflow import case_transition

pytestmark = pytest.mark.django_db

LONG_AGO = "2000-01-01T00:00:00Z"
PROBED = {
    ("post", "/api/cadres/"),
    ("put", "/api/cadres/{id}/"),
    ("patch", "/api/cadres/{id}/"),
    ("post", "/api/tolerance/cases/{id}/transitions/{action}/"),
    ("post", "/api/tolerance/cases/{id}/receipt/"),
    ("post", "/api/tolerance/cases/{id}/meeting/"),
    ("post", "/api/promotions/proposals/{id}/transitions/{action}/"),
    ("post", "/api/assessments/units/{unit_id}/grades/{year}/"),
}


@pytest.fixture
def api():
    return APIClient()


def test_every_writable_endpoint_has_a_probe(api, personas):
    api.force_login(personas.admin)
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    writable = {
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }
    assert writable == PROBED, "a writable API endpoint without a mass-assignment probe"


def _cadre_row(pk: int) -> dict:
    return Cadre.objects.filter(pk=pk).values().get()


def test_cadre_create_ignores_protected_fields(api, world, personas):
    birth = dt.date(1985, 3, 9)
    probe = {
        "name": "陈一",
        "gender": "F",
        "birth_date": birth.isoformat(),
        "national_id": make_id_number(birth, gender="F"),
        "unit": world.township_a1.pk,
        "position": "副镇长",
        "post_type": PostType.LEADERSHIP,
        "rank": Rank.SECTION_DEPUTY,
        "rank_since": "2021-06-01",
        "management_level": ManagementLevel.COUNTY,
        "reason": "新任职",
        # protected
        "id": 999_999,
        "created_at": LONG_AGO,
        "updated_at": LONG_AGO,
        "name_pinyin": "hacked",
        "talent_lists": [1],
        "national_id_masked": "000000",
    }
    api.force_login(personas.clerk_a)
    response = api.post("/api/cadres/", probe, format="json")
    assert response.status_code == 201, response.content
    cadre = Cadre.objects.get(name="陈一")
    assert cadre.pk != 999_999
    assert cadre.created_at.year == dt.date.today().year
    assert cadre.name_pinyin != "hacked"
    assert list(cadre.talent_lists.all()) == []
    assert AuditEvent.objects.filter(action="cadre.create", object_id=str(cadre.pk)).count() == 1


@pytest.mark.parametrize("method", ["put", "patch"])
def test_cadre_edit_ignores_protected_and_move_fields(api, world, personas, method):
    cadre = world.cadre_a1
    before = _cadre_row(cadre.pk)
    body = {
        "name": before["name"],
        "gender": before["gender"],
        "ethnicity": before["ethnicity"],
        "birth_date": before["birth_date"].isoformat(),
        "native_place": "济南",
        "party_join_date": None,
        "work_start_date": None,
        "education": before["education"],
        "position": before["position"],
        "post_type": before["post_type"],
        "management_level": before["management_level"],
        "status": before["status"],
        "reason": "更正籍贯",
        # protected: moves are not edits, and ids and times are the system's
        "id": 999_999,
        "unit": world.township_b1.pk,
        "rank": Rank.COUNTY_CHIEF,
        "rank_since": "2001-01-01",
        "created_at": LONG_AGO,
        "talent_lists": [1],
    }
    api.force_login(personas.clerk_a)
    response = getattr(api, method)(f"/api/cadres/{cadre.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    after = _cadre_row(cadre.pk)
    assert after["native_place"] == "济南"
    for field in ("id", "unit_id", "rank", "rank_since", "created_at", "national_id"):
        assert after[field] == before[field], field


def test_case_transition_ignores_protected_fields(api, world, personas):
    case = case_create(
        actor=personas.cadre_a1,
        started_by=StartedBy.CADRE,
        cadres=[world.cadre_a1],
        title="乡村振兴试点项目资金拨付偏差",
        description="在推进改革试点中出现资金拨付偏差。",
        occurred_on=dt.date(2025, 3, 10),
        application_text="系改革探索中的失误。",
    )
    case = case_transition(case, actor=personas.cadre_a1, action="submit")
    before = Case.objects.filter(pk=case.pk).values().get()
    probe = {
        "reason": "不再申请",
        "state": "closed",
        "authority": world.city_org.pk,
        "reference": "RC1999-00001",
        "number": "伪〔1999〕1号",
        "filed_by": personas.admin.pk,
        "created_at": LONG_AGO,
        "decided_at": LONG_AGO,
        "closed_at": LONG_AGO,
        "due_on": "2030-01-01",
        "investigator": personas.clerk_a.pk,
    }
    api.force_login(personas.cadre_a1)
    response = api.post(
        f"/api/tolerance/cases/{case.pk}/transitions/withdraw/", probe, format="json"
    )
    assert response.status_code == 200, response.content
    after = Case.objects.filter(pk=case.pk).values().get()
    assert after["state"] == "withdrawn"
    assert after["closed_at"].date() == timezone.now().date()  # the workflow's, not the probe's
    for field in ("authority_id", "filed_by_id", "created_at", "decided_at",
                  "investigator_id", "matter_id", "policy_version_id"):
        assert after[field] == before[field], field


def test_case_receipt_ignores_protected_fields(api, world, personas):
    case = case_create(
        actor=personas.cadre_a1,
        started_by=StartedBy.CADRE,
        cadres=[world.cadre_a1],
        title="乡村振兴试点项目资金拨付偏差",
        description="在推进改革试点中出现资金拨付偏差。",
        occurred_on=dt.date(2025, 3, 10),
    )
    case = case_transition(case, actor=personas.cadre_a1, action="submit")
    before = Case.objects.filter(pk=case.pk).values().get()
    received = timezone.localdate() - dt.timedelta(days=3)
    probe = {
        "received_on": received.isoformat(),
        "state": "accepted",
        "authority": world.city_org.pk,
        "due_on": "2030-01-01",
        "due_stage": "decision",
        "filed_by": personas.admin.pk,
        "submitted_at": LONG_AGO,
        "investigator": personas.clerk_a.pk,
    }
    api.force_login(personas.clerk_a)
    response = api.post(f"/api/tolerance/cases/{case.pk}/receipt/", probe, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["received_on"] == received.isoformat()
    after = Case.objects.filter(pk=case.pk).values().get()
    assert (after["state"], after["received_on"], after["due_stage"]) == (
        "submitted", received, "acceptance")
    assert after["due_on"] != dt.date(2030, 1, 1)  # counted from the receipt, not the probe
    for field in ("authority_id", "filed_by_id", "submitted_at", "investigator_id",
                  "matter_id", "policy_version_id"):
        assert after[field] == before[field], field


def test_proposal_transition_ignores_protected_fields(api, world, personas):
    leader = CadreFactory(
        name="县委书记",
        unit=world.county_a,
        position="县委书记",
        post_type=PostType.LEADERSHIP,
        rank=Rank.COUNTY_CHIEF,
    )
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    proposal = Proposal.objects.get(cadre=leader)
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    probe = {
        "decision": "keep",
        "reason": "已整改到位",
        # protected
        "state": "executed",
        "authority": world.city_org.pk,
        "cadre": world.cadre_a1.pk,
        "year": 1999,
        "clause": "staff",
        "evidence": [],
        "method": "remove",  # not read when keeping
        "position": 1,
        "created_by": personas.clerk_a.pk,
        "created_at": LONG_AGO,
        "number": "伪〔1999〕1号",
    }
    api.force_login(personas.clerk_a)
    response = api.post(
        f"/api/promotions/proposals/{proposal.pk}/transitions/decide/", probe, format="json"
    )
    assert response.status_code == 200, response.content
    after = Proposal.objects.filter(pk=proposal.pk).values().get()
    assert (after["state"], after["decision"], after["method"]) == ("decided", "keep", "")
    for field in ("authority_id", "cadre_id", "unit_id", "year", "clause", "evidence",
                  "position_id", "created_by_id", "created_at", "policy_id"):
        assert after[field] == before[field], field


def test_grade_entry_ignores_protected_fields(api, world, personas):
    probe = {
        "grades": [
            {
                "cadre": world.cadre_a1.pk,
                "grade": "competent",
                "id": 999_999,
                "unit": world.township_b1.pk,
                "year": 1999,
                "entered_by": personas.admin.pk,
                "updated_at": LONG_AGO,
            }
        ],
        "unit": world.township_b1.pk,
        "year": 1999,
    }
    api.force_login(personas.hr_a1)
    response = api.post(
        f"/api/assessments/units/{world.township_a1.pk}/grades/2024/", probe, format="json"
    )
    assert response.status_code == 200, response.content
    record = AnnualAssessment.objects.get()
    assert (record.unit, record.year, record.entered_by, record.grade) == (
        world.township_a1,
        2024,
        personas.hr_a1,
        "competent",
    )
    assert record.pk != 999_999
    assert record.updated_at.year == dt.date.today().year


def test_case_meeting_ignores_protected_fields(api, staff, flow):  # noqa: F811 - fixtures
    """Recording the meeting through the API: the case's state, authority and deadlines,
    and the meeting's own ids, author and times, are the system's."""
    from tolerance.models import Meeting

    case = flow.deliberating()
    before = Case.objects.filter(pk=case.pk).values().get()
    entry = case.entries.get()
    members = staff.members[:3]
    probe = {
        "held_on": timezone.localdate().isoformat(),
        "location": "第一会议室",
        "chair": members[0].pk,
        "present": [m.pk for m in members],
        "votes": [{"entry": entry.pk, "member": m.pk, "outcome": "exempt", "opinion": "同意"}
                  for m in members],
        "minutes": "会议纪要",
        # protected
        "id": 999_999,
        "case": 1,
        "recorded_by": staff.clerk.pk,
        "created_at": LONG_AGO,
        "state": "decided",
        "reference": "RC2000-00001",
        "due_on": "2030-01-01",
        "due_stage": "appeal",
        "authority": staff.clerk.pk,
    }
    api.force_login(members[0])
    response = api.post(f"/api/tolerance/cases/{case.pk}/meeting/", probe, format="json")
    assert response.status_code == 200, response.content
    meeting = Meeting.objects.get()
    assert (meeting.case_id, meeting.recorded_by) == (case.pk, members[0])
    assert meeting.pk != 999_999 and meeting.created_at.year == timezone.localdate().year
    after = Case.objects.filter(pk=case.pk).values().get()
    for field in ("state", "due_on", "due_stage", "authority_id", "created_at"):
        assert after[field] == before[field], field
