"""The case page's model (CasePage) for one viewer: findings in words, votes as a table,
what staff see and others do not, who may review, where the rulings are."""

import datetime as dt

import pytest
from django.test import RequestFactory

from tests.policy_support import TEST_MEASURE
from tolerance.enums import CaseState, Outcome
from tolerance.models import CaseCadre
from tolerance.permissions import get_case_for_user
from tolerance.views.page import CasePage, EntryView, Finding, _findings

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
    assert d1 == Finding("D1", TEST_MEASURE.distinction("D1").not_tolerable, "not_tolerable",
                         "不可容错一方")
    assert (d2.text, d2.status) == (TEST_MEASURE.distinction("D2").tolerable, "tolerable")
    assert (d3.text, d3.status) == (TEST_MEASURE.distinction("D3").tolerable, "undetermined")
    assert [(c.code, c.status) for c in conditions] == [
        ("C1", "holds"), ("C2", "fails"), ("C3", "undetermined"), ("C4", "undetermined")
    ]
    assert [x.status for x in exclusions] == ["present"] + ["undetermined"] * 5
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
    assert [(m.user.username, [v.outcome if v else None for v in votes])
            for m, votes in table.rows] == [
        ("t_member1", ["exempt"]), ("t_member2", ["exempt"]), ("t_member3", [None])
    ]


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
        ("acceptance_notice", False), ("tolerance_ruling", True)
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
