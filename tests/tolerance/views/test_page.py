"""The case page's model (CasePage) for one viewer: findings in words, votes as a table,
what staff see and others do not, who may review, where the rulings are."""

import datetime as dt
import re
from functools import cached_property

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from core.documents import document_issue
from core.enums import Role
from core.models import AuditEvent, DocumentKind, User
from tests.factories import CadreFactory
from tests.policy_support import TEST_MEASURE
from tolerance.appeals import appeal_file
from tolerance.enums import CaseState, ExclusionStatus, Outcome, StartedBy
from tolerance.filing import attachment_add
from tolerance.investigation import note_add
from tolerance.models import Case, CaseCadre
from tolerance.models.case import AttachmentKind, NoteKind
from tolerance.permissions import get_case_for_user, readable_case_documents, visible_cases
from tolerance.remedies import remedy_add
from tolerance.rulings import documents_of_case
from tolerance.views import actions, timeline
from tolerance.views import page as page_module
from tolerance.views.case import render_case
from tolerance.views.page import (
    CasePage,
    EntryView,
    Finding,
    _findings,
    case_documents,
    case_for_page,
)

pytestmark = pytest.mark.django_db


def page(user, case) -> CasePage:
    request = RequestFactory().get("/")
    request.user = user
    return CasePage(request, get_case_for_user(user, case.pk))


def test_findings_read_each_clause_with_its_side_or_status():
    entry = CaseCadre(
        distinctions={"D1": "not_tolerable", "D2": "tolerable"},
        conditions={"C1": "holds", "C2": "fails"},
        exclusions={"X1": "present"},
        situations=["SX-02", "ZZ-99"],
    )

    distinctions, conditions, exclusions, situations = _findings(entry, TEST_MEASURE)

    d1, d2, d3 = distinctions
    assert d1 == Finding(
        "D1",
        TEST_MEASURE.distinction("D1").not_tolerable,
        "not_tolerable",
        "不可容错一方",
        "text-bg-danger",
    )
    assert (d2.text, d2.status, d2.badge) == (
        TEST_MEASURE.distinction("D2").tolerable,
        "tolerable",
        "text-bg-success",
    )
    assert (d3.text, d3.status, d3.badge) == (
        TEST_MEASURE.distinction("D3").tolerable,
        "undetermined",
        "text-bg-light border",
    )
    assert [(c.code, c.status, c.badge) for c in conditions] == [
        ("C1", "holds", "text-bg-success"),
        ("C2", "fails", "text-bg-danger"),
        ("C3", "undetermined", "text-bg-light border"),
        ("C4", "undetermined", "text-bg-light border"),
    ]
    assert [x.status for x in exclusions] == ["present"] + ["undetermined"] * 5
    assert [x.badge for x in exclusions] == ["text-bg-danger"] + ["text-bg-light border"] * 5
    assert [x.label for x in exclusions[:2]] == [
        str(ExclusionStatus.PRESENT.label),
        str(ExclusionStatus.UNDETERMINED.label),
    ]
    assert situations == [("SX-02", TEST_MEASURE.situation("SX-02").text)]


def test_the_severity_label_is_blank_when_unknown():
    def view(severity):
        return EntryView(CaseCadre(severity=severity), None, [], [], [], [])

    assert view("minor").severity_label == "轻微"
    assert view("").severity_label == ""


def test_staff_see_internal_work_and_the_cadre_does_not(flow, staff):
    case = flow.deliberating()
    flow.meeting(case)

    clerk, cadre = page(staff.clerk, case), page(staff.cadre, case)

    assert (clerk.internal, cadre.internal) == (True, False)
    assert (clerk.findings_visible, cadre.findings_visible) == (True, False)
    assert [e.cadre.name for e in clerk.entries] == ["张三"]
    assert len(clerk.meetings) == 1 and cadre.meetings == []
    assert cadre.history == {} and set(clerk.history) == {case.entries.get().cadre_id}
    assert [v.summary is None for v in cadre.entry_views] == [True]
    assert [v.summary is None for v in clerk.entry_views] == [False]


def test_votes_are_a_table_of_members_by_cadres(flow, staff):
    case = flow.deliberating()
    flow.meeting(case, Outcome.EXEMPT, present=3, votes_for=2)

    [table] = page(staff.leader, case).votes

    assert [m.user.username for m in table.members] == ["t_member1", "t_member2", "t_member3"]
    assert [
        (m.user.username, [v.outcome if v else None for v in votes]) for m, votes in table.rows
    ] == [("t_member1", ["exempt"]), ("t_member2", ["exempt"]), ("t_member3", [None])]


def test_reviewers_are_staff_who_took_no_part(flow, staff):
    case = flow.decided()

    names = [u.username for u in page(staff.leader, case).reviewers]

    assert names == ["t_clerk", "t_inv2", "t_leader", "t_reviewer"]


def test_missing_statements_are_named_to_staff_while_investigating(flow, staff):
    case = flow.investigating()

    assert page(staff.investigator, case).missing_statements == ["张三"]
    assert page(staff.cadre, case).missing_statements == []
    flow.statement(case, case.entries.get())
    assert page(staff.investigator, case).missing_statements == []


def test_the_investigator_is_told_why_the_case_cannot_be_referred(flow, staff):
    case = flow.investigating()

    assert page(staff.investigator, case).investigation_incomplete
    assert not page(staff.clerk, case).investigation_incomplete
    assert not page(staff.cadre, case).investigation_incomplete


def test_rulings_wait_for_sign_off_then_are_issued(flow, staff):
    unsigned = flow.decided(sign=False)
    signed = flow.decided()

    assert unsigned.state == CaseState.DECIDED
    assert page(staff.clerk, unsigned).ruling_status == "signoff"
    assert page(staff.clerk, signed).ruling_status == ""
    assert [(d.kind, d.document_id is None) for d in page(staff.clerk, unsigned).drafts] == [
        ("acceptance_notice", False),
        ("tolerance_ruling", True),
    ]
    assert page(staff.cadre, unsigned).drafts == []


def test_deadlines_and_the_appeal_window_against_today(flow, staff):
    case = flow.fed_back()
    viewer = page(staff.cadre, case)

    assert viewer.all_exempt
    viewer.today = case.appeal_due_on
    assert viewer.appeal_open
    viewer.today = case.appeal_due_on + dt.timedelta(days=1)
    assert not viewer.appeal_open
    viewer.case.due_on = dt.date(2026, 1, 10)
    viewer.today = dt.date(2026, 1, 10)
    assert not viewer.overdue
    viewer.today = dt.date(2026, 1, 11)
    assert viewer.overdue
    viewer.case.due_on = None
    assert not viewer.overdue


def test_the_case_file_is_exported_by_the_handling_staff_only(flow, staff):
    case = flow.submitted()

    assert page(staff.clerk, case).may_export_file
    assert not page(staff.cadre, case).may_export_file


# --- cost: the same queries whatever the size of the case ----------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def _pdf(number, issued_on):
    return f"{number}.pdf", "application/pdf", f"%PDF-1.7\n% {number}\n".encode()


def grown(flow, staff, world, size: int, *, outcome=None):
    """A unit's case about `size` cadres, with `size` measures and issued rulings besides the
    notice; deliberating with `size` meetings, the cadre's attachments and statements, or
    fed back with `outcome`."""
    cadres = [world.cadre_a1, *CadreFactory.create_batch(size - 1, unit=world.township_a1)]
    if outcome is None:
        case = flow.deliberating(by=staff.hr, started_by=StartedBy.UNIT, cadres=cadres)
    else:
        case = flow.fed_back(outcome=outcome, by=staff.hr, started_by=StartedBy.UNIT, cadres=cadres)
    for k in range(size):
        if outcome is None:  # the committee's meetings, the cadre's statements
            flow.meeting(case)
            attachment_add(
                case,
                actor=staff.cadre,
                kind=AttachmentKind.STATEMENT,
                upload=SimpleUploadedFile(
                    f"说明{k}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
                ),
            )
            note_add(
                case,
                actor=staff.cadre,
                kind=NoteKind.STATEMENT,
                text=f"说明{k}",
                entry=case.entries.get(cadre=world.cadre_a1),
                held_on=dt.date(2026, 1, 1),
                participants="",
            )
        remedy_add(
            case, actor=staff.clerk, measure=f"整改{k}", owner="乡镇", due_on=dt.date(2027, 1, 1)
        )
        document_issue(
            key=f"test.page:{case.pk}:{k}",
            kind=DocumentKind.TOLERANCE_RULING,
            authority=case.authority,
            series="容",
            title="容错认定决定书",
            render=_pdf,
            subject=case,
            cadre=cadres[k],
        )
    return case


def queries_of(client, django_assert_num_queries, user, case, expected):
    url = reverse("tolerance:case_detail", args=[case.pk])
    client.force_login(user)
    client.get(url)  # the session and the content-type cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    return response.context["page"]


# Session, user, roles, authorities (4); the navigation's jurisdictions (2, remembered per
# session in production); the case, its entries with their cadres, units, deciders and
# meetings (2); which of its records exist (1); meetings, their members, their votes (3);
# measures, notes, attachments, documents, audit rows. What the case has none of (drafts,
# extensions, deliveries, the cadres' history) is not read. No appeals before the delivery;
# the people the audit rows name are among those loaded.
DELIBERATING = 18


@pytest.mark.parametrize("size", [1, 3])
def test_a_deliberating_case_costs_the_same_queries_at_any_size(
    client, flow, staff, world, django_assert_num_queries, size
):
    case = grown(flow, staff, world, size)

    shown = queries_of(client, django_assert_num_queries, staff.clerk, case, DELIBERATING)

    assert (len(shown.entries), len(shown.votes), len(shown.attachments)) == (size, size, size)
    assert len(shown.documents) == size + 1  # the acceptance notice and the rulings
    assert [n.entry.cadre.name for n in shown.notes if n.text.startswith("说明")] == [
        world.cadre_a1.name
    ] * size


@pytest.mark.parametrize("size", [1, 3])
def test_the_leader_adds_the_forms_people_at_any_size(
    client, flow, staff, world, django_assert_num_queries, size
):
    """The leader's forms: the committee roster for the meeting form (the extension room
    comes from the extensions read for the page)."""
    case = grown(flow, staff, world, size)

    shown = queries_of(client, django_assert_num_queries, staff.leader, case, DELIBERATING + 1)

    assert [m.username for m in shown.committee] == ["t_member1", "t_member2", "t_member3"]


@pytest.mark.parametrize("size", [1, 3])
def test_an_appealed_case_costs_the_same_queries_at_any_size(
    client, flow, staff, world, django_assert_num_queries, size
):
    """Fed back: deliveries and appeals are read too; the cadre sees no internal work, no
    drafts and no history, and only the documents about the case or about them."""
    case = grown(flow, staff, world, size, outcome=Outcome.LIGHTER)
    appeal_file(case.entries.get(cadre=world.cadre_a1), actor=staff.cadre, reason="不服")

    # Session, user, roles; the case and its entries; which records it has; appeals,
    # measures, notes, attachments, deliveries, documents, audit rows (no extensions).
    shown = queries_of(client, django_assert_num_queries, staff.cadre, case, 12)

    assert [a.entry.cadre_id for a in shown.appeals] == [world.cadre_a1.pk]
    assert {d.cadre_id for d in shown.documents} == {None, world.cadre_a1.pk}
    assert shown.drafts == [] and shown.history == {}


# --- what the case has, asked with the case (case_for_page) -------------------------------


def _rendered(user, case, load) -> str:
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    request._messages = []
    html = render_case(request, CasePage(request, load(user, case.pk))).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _case_of(flow, staff, world, state):
    if state == "appealed":
        case = grown(flow, staff, world, 2, outcome=Outcome.LIGHTER)
        appeal_file(case.entries.get(cadre=world.cadre_a1), actor=staff.cadre, reason="不服")
        return case
    if state == "deliberating":
        return grown(flow, staff, world, 2)
    return getattr(flow, state)()


@pytest.mark.parametrize("state", ["accepted", "investigating", "deliberating", "appealed"])
@pytest.mark.parametrize("who", ["clerk", "leader", "cadre"])
def test_the_page_is_the_same_whether_or_not_it_asks_what_the_case_has(
    flow, staff, world, state, who
):
    """Lists the case has none of are not read; those it has are read as before: the page is
    byte for byte the one built without asking which (get_case_for_user)."""
    case = _case_of(flow, staff, world, state)
    user = getattr(staff, who)

    assert _rendered(user, case, case_for_page) == _rendered(user, case, get_case_for_user)


# --- read through compiled statements, blank forms rendered once ----------------------------


def _orm_case(user, pk):
    """What get_case_for_user read before its statements (core.statements): the ORM's
    query, compiled on every request."""
    entries = CaseCadre.objects.select_related("cadre__unit", "decided_by", "meeting")
    case = (
        visible_cases(user)
        .select_related("authority", "policy_version", "matter", "filed_by", "investigator")
        .prefetch_related(Prefetch("entries", entries))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


class _OrmPage(CasePage):
    """The page with its documents, audit rows and staff read by the ORM's querysets."""

    @cached_property
    def documents(self):
        rows = documents_of_case(self.case).select_related("cadre")
        return readable_case_documents(self.user, self.case, rows)

    def _staff(self, rows):
        roles = {
            page_module._investigators: [Role.INVESTIGATOR],
            page_module._org_department_staff: Role.org_department_roles(),
        }[rows]
        return list(
            User.objects.filter(
                is_active=True, authorities=self.case.authority_id, groups__name__in=roles
            )
            .distinct()
            .order_by("full_name", "username")
        )


def _orm_rendered(user, case, monkeypatch) -> str:
    """The page as the ORM and the templates build it, without statements or kept forms."""
    with monkeypatch.context() as patched:
        patched.setattr(actions, "PLAIN", set())  # every form rendered field by field
        patched.setattr(timeline, "statement", _OrmEvents)
        request = RequestFactory().get("/")
        request.user, request.session, request._messages = user, {}, []
        html = render_case(request, _OrmPage(request, _orm_case(user, case.pk)))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.content.decode())


class _OrmEvents:
    """Stands in for the timeline's statement: the audit rows by the ORM's queryset."""

    def __init__(self, model, build, key=None):
        pass

    def rows(self, values):
        [pk] = values.values()
        about = ContentType.objects.get_for_model(Case)
        return list(
            AuditEvent.objects.filter(content_type=about, object_id=pk).order_by("at", "id")
        )


@pytest.mark.parametrize(
    "state", ["submitted", "accepted", "investigating", "deliberating", "decided", "appealed"]
)
@pytest.mark.parametrize("who", ["clerk", "leader", "cadre", "investigator", "hr"])
def test_the_page_is_the_one_the_orm_and_the_templates_build(
    flow, staff, world, monkeypatch, state, who
):
    """The case, its entries, documents, audit rows and staff read through statements
    compiled once (core.statements), the blank forms' fields rendered once per language
    (ActionForm.fields_html): byte for byte the page built by the ORM's querysets and the
    templates on every request."""
    case = _case_of(flow, staff, world, state)
    user = getattr(staff, who)
    if not visible_cases(user).filter(pk=case.pk).exists():  # the HR of another unit
        with pytest.raises(Http404):
            get_case_for_user(user, case.pk)
        return
    _rendered(user, case, case_for_page)  # the statements and the blank forms kept

    assert _rendered(user, case, case_for_page) == _orm_rendered(user, case, monkeypatch)


def test_the_statements_read_what_the_querysets_read(flow, staff):
    case = flow.decided(sign=False)
    orm = _orm_case(staff.clerk, case.pk)

    loaded = get_case_for_user(staff.clerk, case.pk)

    assert model_to_dict(loaded) == model_to_dict(orm)
    assert [model_to_dict(getattr(loaded, n)) for n in ("authority", "matter", "filed_by")] == [
        model_to_dict(getattr(orm, n)) for n in ("authority", "matter", "filed_by")
    ]
    [entry], [orm_entry] = loaded.entries.all(), orm.entries.all()
    assert entry.case is loaded and entry.cadre.unit == orm_entry.cadre.unit
    assert model_to_dict(entry) == model_to_dict(orm_entry)
    assert case_documents(case.pk) == list(documents_of_case(case))
    assert [model_to_dict(u) for u in page(staff.leader, case).reviewers] == [
        model_to_dict(u)
        for u in User.objects.filter(
            username__in=["t_clerk", "t_inv2", "t_leader", "t_reviewer"]
        ).order_by("full_name", "username")
    ]


def test_a_case_the_user_does_not_see_is_missing(flow, staff):
    case = flow.submitted()

    for user in (staff.outsider, staff.clerk_b):
        with pytest.raises(Http404):
            get_case_for_user(user, case.pk)
    with pytest.raises(Http404):
        get_case_for_user(staff.clerk, case.pk + 1000)


def test_a_case_without_records_reads_none(client, flow, staff, django_assert_num_queries):
    """Accepted, nothing recorded but the acceptance notice: session, user, roles,
    authorities, the navigation (2), the case and its entries, which records it has, the
    investigators for the
    form, the notice's draft and the notice, the audit rows; no measures, notes,
    attachments, meetings, extensions or history."""
    case = flow.accepted()

    shown = queries_of(client, django_assert_num_queries, staff.clerk, case, 13)

    assert (shown.remedies, shown.notes, shown.attachments, shown.meetings) == ([], [], [], [])
    assert shown.history == {} and len(shown.documents) == 1
