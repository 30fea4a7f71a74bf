"""Who may do what to a case, and when: each permission predicate with the person it admits
and the people it refuses; each condition on the case with its facts."""

import datetime as dt

import pytest

from core.enums import Role
from tests.factories import CadreFactory
from tolerance import predicates as P
from tolerance.enums import Outcome, StartedBy
from tolerance.models import Appeal, Case, CaseCadre, CaseNote
from tolerance.models.case import NoteKind
from tolerance.models.review import AppealState

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(flow):
    return flow.investigating()


def fresh(case) -> Case:
    """Without the predicates' per-instance caches."""
    return Case.objects.get(pk=case.pk)


def admitted(predicate, case, staff) -> set[str]:
    people = {
        "clerk": staff.clerk, "investigator": staff.investigator,
        "other_investigator": staff.other_investigator, "member": staff.members[0],
        "leader": staff.leader, "cadre": staff.cadre, "hr": staff.hr,
        "outsider": staff.outsider, "clerk_b": staff.clerk_b,
    }
    return {name for name, user in people.items() if predicate(case, user)}


def test_staff_of_needs_the_role_in_the_case_authority_and_an_active_account(case, staff):
    assert P.staff_of(case, staff.clerk, Role.INTAKE_CLERK)
    assert not P.staff_of(case, staff.clerk, Role.INVESTIGATOR)
    assert not P.staff_of(case, staff.clerk_b, Role.INTAKE_CLERK)
    assert not P.staff_of(case, None, Role.INTAKE_CLERK)
    staff.clerk.is_active = False
    assert not P.staff_of(case, staff.clerk, Role.INTAKE_CLERK)


def test_each_permission_admits_exactly_its_people(case, staff):
    assert admitted(P.can_intake, case, staff) == {"clerk", "leader"}
    assert admitted(P.can_investigate, case, staff) == {"investigator", "leader"}
    assert admitted(P.can_deliberate, case, staff) == {"member", "leader"}
    assert admitted(P.can_publish, case, staff) == {"clerk", "leader"}
    assert admitted(P.concerns, case, staff) == {"cadre"}


def test_without_an_assigned_investigator_only_the_leader_investigates(flow, staff):
    case = flow.accepted()

    assert case.investigator_id is None
    assert admitted(P.can_investigate, case, staff) == {"leader"}


def test_the_applicant_submits_and_withdraws_an_application(flow, staff):
    applied = flow.filed()
    assert admitted(P.can_submit, applied, staff) == {"cadre"}
    assert admitted(P.can_withdraw, applied, staff) == {"cadre"}

    ex_officio = flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    assert admitted(P.can_submit, ex_officio, staff) == {"clerk"}
    assert admitted(P.can_withdraw, ex_officio, staff) == set()


def test_the_cadre_concerned_appeals_and_so_does_an_applying_unit(flow, staff):
    by_cadre = flow.filed()
    assert admitted(P.can_appeal, by_cadre, staff) == {"cadre"}

    by_unit = flow.filed(by=staff.hr, started_by=StartedBy.UNIT)
    assert admitted(P.can_appeal, by_unit, staff) == {"cadre", "hr"}

    staff.cadre.is_active = False
    assert not P.can_appeal(by_unit, staff.cadre)


def test_only_the_assigned_reviewer_on_the_staff_decides_an_appeal(case, staff):
    entry = case.entries.get()
    assert admitted(P.can_decide_appeal, case, staff) == set()

    Appeal.objects.create(entry=entry, filed_by=staff.cadre, reason="不服",
                          original_outcome=Outcome.NOT_TOLERATED, reviewer=staff.leader)

    assert admitted(P.can_decide_appeal, case, staff) == {"leader"}


def test_system_only_means_no_user(case, staff):
    assert P.system_only(case, None)
    assert not P.system_only(case, staff.leader)


def test_pending_appeals_are_read_once_per_case_instance(case, staff, django_assert_num_queries):
    entry = case.entries.get()
    pending = Appeal.objects.create(entry=entry, filed_by=staff.cadre, reason="不服",
                                    original_outcome=Outcome.NOT_TOLERATED)
    case = fresh(case)

    with django_assert_num_queries(1):
        assert P.pending_appeals(case) == [pending]
        assert P.has_pending_appeal(case)
        assert not P.no_pending_appeal(case)

    Appeal.objects.filter(pk=pending.pk).update(state=AppealState.CONFIRMED)
    case = fresh(case)
    assert P.pending_appeals(case) == []
    assert P.no_pending_appeal(case)


def test_the_investigation_is_complete_with_a_report_and_findings_for_everyone(case, staff):
    assert P.has_investigator(case)
    assert not P.investigation_complete(case)

    Case.objects.filter(pk=case.pk).update(investigation_report="   ")
    CaseCadre.objects.filter(case=case).update(situations=["SX-01"])
    assert not P.investigation_complete(fresh(case))  # a blank report

    Case.objects.filter(pk=case.pk).update(investigation_report="调查报告")
    assert P.investigation_complete(fresh(case))

    CaseCadre.objects.filter(case=case).update(situations=None)
    assert not P.investigation_complete(fresh(case))


def test_a_statement_about_the_whole_case_counts_for_its_one_cadre(flow, case):
    entry = case.entries.get()
    assert P.entries_without_statement(fresh(case)) == [entry]
    assert not P.statements_recorded(fresh(case))

    flow.statement(case, None)

    assert P.entries_without_statement(fresh(case)) == []
    assert P.statements_recorded(fresh(case))


def two_cadres(flow, staff, world) -> Case:
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    return flow.investigating(
        by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague]
    )


def test_with_two_cadres_each_needs_a_statement_of_their_own(flow, staff, world):
    case = two_cadres(flow, staff, world)
    first, second = case.entries.order_by("pk")
    # A statement about the whole case (stored before the form asked whose it is).
    CaseNote.objects.create(case=case, kind=NoteKind.STATEMENT, text="共同陈述",
                            author=staff.investigator)
    assert {e.pk for e in P.entries_without_statement(fresh(case))} == {first.pk, second.pk}

    flow.statement(case, first)

    assert [e.pk for e in P.entries_without_statement(fresh(case))] == [second.pk]


def test_decisions_of_the_cadres(flow, staff, world):
    case = two_cadres(flow, staff, world)
    first, second = case.entries.order_by("pk")
    assert P.nothing_decided(fresh(case))
    assert not P.everyone_decided(fresh(case))

    CaseCadre.objects.filter(pk=first.pk).update(outcome=Outcome.NOT_TOLERATED)
    assert not P.nothing_decided(fresh(case))
    assert not P.everyone_decided(fresh(case))
    assert not P.has_exemption(fresh(case))

    CaseCadre.objects.filter(pk=second.pk).update(outcome=Outcome.EXEMPT)
    assert P.everyone_decided(fresh(case))
    assert P.has_exemption(fresh(case))


def test_a_case_without_cadres_has_not_everyone_decided():
    case = Case(pk=10**9)  # no such case: no entries

    assert not P.everyone_decided(case)
    assert P.nothing_decided(case)


def test_the_appeal_window_is_open_through_its_last_day(monkeypatch):
    today = dt.date(2026, 5, 20)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)

    assert not P.appeal_window_open(Case(appeal_due_on=None))
    assert not P.appeal_window_over(Case(appeal_due_on=None))
    assert P.appeal_window_open(Case(appeal_due_on=today))
    assert not P.appeal_window_over(Case(appeal_due_on=today))
    assert P.appeal_window_over(Case(appeal_due_on=today - dt.timedelta(days=1)))
    assert not P.appeal_window_open(Case(appeal_due_on=today - dt.timedelta(days=1)))


def test_an_inactive_or_anonymous_user_submits_nothing(flow, staff):
    applied = flow.filed()
    staff.cadre.is_active = False

    assert not P.can_submit(applied, staff.cadre)
    assert not P.can_withdraw(applied, staff.cadre)
    assert not P.concerns(applied, staff.cadre)
    assert not P.can_submit(applied, None)
