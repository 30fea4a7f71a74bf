"""Extending a running deadline: who may, by how much, and what it records."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.enums import Role
from core.models import AuditEvent, Notification
from core.notifications import render
from core.workdays import load_calendar
from tests.factories import make_user
from tolerance import reminders
from tolerance.errors import CaseError
from tolerance.extensions import can_extend, case_extend, extension_remaining
from tolerance.models import Case, Extension
from tolerance.models.case import DueStage
from tolerance.workflow import case_transition

D = dt.date


@pytest.fixture
def today(monkeypatch):
    real = timezone.localdate
    state = {"day": D(2026, 12, 1)}  # Tue

    def fake(value=None, timezone=None):
        return state["day"] if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", fake)
    return lambda day: state.__setitem__("day", day)


def refused(case, message, **kwargs):
    before = Case.objects.values("due_on", "due_fallback_years").get(pk=case.pk)
    with translation.override("en"), pytest.raises(CaseError) as error:
        case_extend(case, **kwargs)
    assert str(error.value.message) == message
    assert Case.objects.values("due_on", "due_fallback_years").get(pk=case.pk) == before
    assert Extension.objects.count() == 0
    assert not AuditEvent.objects.filter(action="tolerance.case.extend").exists()


@pytest.mark.django_db
def test_leader_extends_the_investigation_from_the_old_due_date(flow, staff, today):
    case = flow.investigating()
    assert (case.due_stage, case.due_on) == (DueStage.INVESTIGATION, D(2027, 1, 12))
    mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()

    extended = case_extend(
        case, actor=staff.leader, working_days=10, reason="涉及多个部门，需补充调取资金拨付凭证"
    )

    # Wed 13 Jan … Tue 26 Jan 2027, counted Monday to Friday (no 2027 schedule entered).
    assert (extended.due_stage, extended.due_on, extended.due_fallback_years) == (
        DueStage.INVESTIGATION,
        D(2027, 1, 26),
        [2027],
    )
    extension = Extension.objects.get()
    assert (
        extension.case_id,
        extension.stage,
        extension.previous_due_on,
        extension.new_due_on,
        extension.working_days,
        extension.reason,
        extension.granted_by,
    ) == (
        case.pk,
        DueStage.INVESTIGATION,
        D(2027, 1, 12),
        D(2027, 1, 26),
        10,
        "涉及多个部门，需补充调取资金拨付凭证",
        staff.leader,
    )
    event = AuditEvent.objects.get(action="tolerance.case.extend")
    assert (event.actor, event.object_id, event.authority_id, event.reason) == (
        staff.leader,
        str(case.pk),
        flow.world.county_a_org.pk,
        "涉及多个部门，需补充调取资金拨付凭证",
    )
    assert (event.before, event.after) == (
        {"due_stage": "investigation", "due_on": "2027-01-12"},
        {"due_stage": "investigation", "due_on": "2027-01-26", "working_days": 10},
    )
    # The investigator, whom the deadline waits for, hears of it; the leader who granted it
    # and the intake clerk do not.
    assert list(
        Notification.objects.filter(pk__gt=mark).values_list("recipient__username", "url")
    ) == [("t_inv", f"/tolerance/cases/{case.pk}/")]


@pytest.mark.django_db
def test_extension_notice_subject(flow, staff, today):
    case = flow.submitted()

    with translation.override("zh-hans"):
        case_extend(case, actor=staff.leader, working_days=5, reason="申请材料需补正")

    note = Notification.objects.filter(code="tolerance.case.extended").get()
    assert note.recipient == staff.clerk  # the acceptance waits for the intake clerks
    with translation.override("zh-hans"):
        assert render(note.code, note.params) == (
            f"案件{case.reference}：受理审查期限延长至2026-12-15", "理由：申请材料需补正"
        )
    with translation.override("en"):
        assert render(note.code, note.params).subject == (
            f"Case {case.reference}: Decision on acceptance extended to 2026-12-15"
        )


@pytest.mark.django_db
def test_extensions_of_one_deadline_add_up_to_the_policy_cap(flow, staff, today):
    case = flow.submitted()  # acceptance due Tue 8 Dec
    assert extension_remaining(case) == 15

    case = case_extend(case, actor=staff.leader, working_days=10, reason="第一次延期")
    assert (case.due_on, extension_remaining(case)) == (D(2026, 12, 22), 5)

    with translation.override("en"), pytest.raises(CaseError) as error:
        case_extend(case, actor=staff.leader, working_days=6, reason="第二次延期")
    assert str(error.value.message) == (
        "This deadline can be extended by at most 5 more working days "
        "(the policy allows 15 in total)."
    )
    assert Case.objects.get(pk=case.pk).due_on == D(2026, 12, 22)

    case = case_extend(case, actor=staff.leader, working_days=5, reason="第二次延期")
    assert (case.due_on, extension_remaining(case)) == (D(2026, 12, 29), 0)
    assert list(Extension.objects.values_list("previous_due_on", "new_due_on", "working_days")) == [
        (D(2026, 12, 8), D(2026, 12, 22), 10),
        (D(2026, 12, 22), D(2026, 12, 29), 5),
    ]


@pytest.mark.django_db
def test_the_next_stage_has_its_own_allowance(flow, staff, today):
    case = flow.submitted()
    case = case_extend(case, actor=staff.leader, working_days=15, reason="延期")

    case = case_transition(case, actor=staff.clerk, action="accept")

    assert (case.due_stage, extension_remaining(case)) == (DueStage.INVESTIGATION, 15)


@pytest.mark.django_db
def test_extension_clears_the_reminder_and_escalation_marks(flow, staff, today):
    case = flow.submitted()  # due Tue 8 Dec
    reminders.cases_remind(D(2026, 12, 4), load_calendar())
    reminders.cases_escalate(D(2026, 12, 9))
    case = Case.objects.get(pk=case.pk)
    assert (case.reminded_on, case.escalated_on) == (D(2026, 12, 4), D(2026, 12, 9))
    today(D(2026, 12, 9))

    case = case_extend(case, actor=staff.leader, working_days=3, reason="补正材料")

    assert (case.due_on, case.reminded_on, case.escalated_on) == (D(2026, 12, 11), None, None)
    assert reminders.cases_remind(D(2026, 12, 9), load_calendar()) == 1
    assert reminders.cases_escalate(D(2026, 12, 14)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["clerk", "investigator", "members", "cadre", "outsider"])
def test_only_the_approving_leader_extends(flow, staff, today, who):
    case = flow.investigating()
    actor = getattr(staff, who)
    actor = actor[0] if isinstance(actor, list) else actor

    assert not can_extend(case, actor)
    refused(
        case,
        "Only the approving leader of the competent authority extends a deadline.",
        actor=actor,
        working_days=5,
        reason="延期",
    )


@pytest.mark.django_db
def test_a_leader_of_another_authority_cannot_extend(flow, staff, today, world):
    case = flow.investigating()
    city_leader = make_user("city_leader", Role.APPROVING_LEADER, authorities=[world.city_org])

    assert can_extend(case, staff.leader)
    assert not can_extend(case, city_leader)
    refused(
        case,
        "Only the approving leader of the competent authority extends a deadline.",
        actor=city_leader,
        working_days=5,
        reason="延期",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_extension_needs_a_reason(flow, staff, today, reason):
    case = flow.investigating()

    refused(
        case,
        "Please give the reasons for the extension.",
        actor=staff.leader,
        working_days=5,
        reason=reason,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -3, True, 2.5])
def test_extension_adds_whole_working_days(flow, staff, today, days):
    case = flow.investigating()

    refused(
        case,
        "An extension adds at least one working day.",
        actor=staff.leader,
        working_days=days,
        reason="延期",
    )


@pytest.mark.django_db
def test_no_extension_without_a_running_deadline(flow, staff, today):
    draft = flow.filed()
    case = flow.submitted()
    not_accepted = case_transition(case, actor=staff.clerk, action="reject", reason="不予受理")

    for case in (draft, not_accepted):
        assert not can_extend(case, staff.leader)
        refused(
            case,
            "No deadline is running on this case.",
            actor=staff.leader,
            working_days=5,
            reason="延期",
        )
