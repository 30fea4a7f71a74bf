"""Deadline reminders, escalation of overdue cases, and overdue remedial measures.

`deadline_notices_send` runs once a day from Celery beat (tolerance.beat_tasks). Each kind of
notice is one query for the rows that need it, a few queries for the people to tell, one
insert of notifications and one update marking the rows, so the work grows with the notices
sent, not with the number of cases. A row is marked (Case.reminded_on, Case.escalated_on,
Remedy.overdue_notified_on) in the same transaction as its notifications: running the task
again the same day, or after a crash, sends nothing twice. The clock (workflow._clock) and an
extension clear the case marks when a new deadline starts.

Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED: two runs at once send each notice once
(tests/tolerance/test_reminders.py, on PostgreSQL). A case locked by a user's action at that
moment is skipped and picked up by the next run; a reminder window spans several days.

Who is told:
- a reminder goes to the people the running deadline waits for: the intake clerks for
  acceptance and feedback; the investigator for the investigation (the intake clerks while
  none is assigned); the committee members and approving leaders for the decision; the
  reviewers of the pending appeals (the approving leaders while none is assigned);
- an overdue case is escalated to the approving leaders of its authority, with an audit row
  ``tolerance.case.escalate``;
- an overdue remedial measure is reported to the intake clerks and approving leaders of the
  case's authority (the measure's owner is free text, not a login).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.enums import Role
from core.models import User
from core.notifications import Message, notify_many
from core.workdays import WorkCalendar, load_calendar

from . import deadlines
from .enums import CaseState
from .models import Appeal, Case, PolicyVersion, Remedy
from .models.case import DueStage
from .models.policy import PolicyStatus
from .models.review import AppealState, RemedyStatus
from .policy_data import PROCEDURE_ADDED_DEFAULTS, policy_from_data

# Roles told about a running deadline when no particular person is assigned to it.
STAGE_ROLES: dict[str, tuple[str, ...]] = {
    DueStage.ACCEPTANCE: (Role.INTAKE_CLERK,),
    DueStage.INVESTIGATION: (Role.INTAKE_CLERK,),  # until an investigator is assigned
    DueStage.DECISION: (Role.COMMITTEE_MEMBER, Role.APPROVING_LEADER),
    DueStage.FEEDBACK: (Role.INTAKE_CLERK,),
    DueStage.APPEAL_DECISION: (Role.APPROVING_LEADER,),  # until a reviewer is assigned
}
ESCALATION_ROLES = (Role.APPROVING_LEADER,)
REMEDY_ROLES = (Role.INTAKE_CLERK, Role.APPROVING_LEADER)
DONE_REMEDY = (RemedyStatus.DONE, RemedyStatus.VERIFIED)


@dataclass(frozen=True)
class NoticeRun:
    """How many cases were reminded and escalated, and how many measures reported."""

    reminded: int = 0
    escalated: int = 0
    remedies: int = 0


# --- who is told ---------------------------------------------------------------------------


def staff_by_authority(
    authority_ids: Iterable[int], roles: Iterable[str]
) -> dict[tuple[int, str], list[User]]:
    """Active users holding each role in each authority: two queries for any number of them."""
    authority_ids, roles = set(authority_ids), set(roles)
    if not authority_ids or not roles:
        return {}
    rows = list(
        User.authorities.through.objects.filter(
            authority_id__in=authority_ids, user__is_active=True, user__groups__name__in=roles
        )
        .values_list("authority_id", "user_id", "user__groups__name")
        .distinct()
    )
    users = User.objects.in_bulk({user_id for _, user_id, _ in rows})
    found: dict[tuple[int, str], list[User]] = defaultdict(list)
    for authority_id, user_id, role in sorted(rows):
        found[(authority_id, role)].append(users[user_id])
    return found


def _pick(staff: dict[tuple[int, str], list[User]], authority_id: int, roles) -> list[User]:
    return [user for role in roles for user in staff.get((authority_id, role), [])]


def responsible_people(cases: Sequence[Case]) -> dict[int, list[User]]:
    """The people each case's running deadline waits for (see the module docstring).

    The cases need `investigator` loaded (select_related) to avoid a query each.
    """
    appeal_cases = [c.pk for c in cases if c.due_stage == DueStage.APPEAL_DECISION]
    reviewers: dict[int, list[User]] = defaultdict(list)
    if appeal_cases:
        pending = Appeal.objects.filter(
            entry__case_id__in=appeal_cases, state=AppealState.PENDING, reviewer__isnull=False
        ).select_related("reviewer", "entry")
        for appeal in pending:
            reviewers[appeal.entry.case_id].append(appeal.reviewer)
    roles = {role for c in cases for role in STAGE_ROLES.get(c.due_stage, ())}
    staff = staff_by_authority({c.authority_id for c in cases}, roles)
    people: dict[int, list[User]] = {}
    for case in cases:
        if case.due_stage == DueStage.INVESTIGATION and case.investigator_id:
            people[case.pk] = [case.investigator]
        elif reviewers.get(case.pk):
            people[case.pk] = reviewers[case.pk]
        else:
            people[case.pk] = _pick(staff, case.authority_id, STAGE_ROLES.get(case.due_stage, ()))
    return people


def _case_url(case_id: int) -> str:
    return reverse("tolerance:case_detail", args=[case_id])


def _deadline_message(people: list[User], code: str, case: Case) -> Message:
    """A reminder or an escalation of the case's running deadline (the body warns, in the
    reader's language, of a due date counted without a holiday schedule)."""
    params = {
        "ref": case.reference,
        "stage": case.due_stage,
        "date": case.due_on,
        "fallback_years": list(case.due_fallback_years or ()),
    }
    return Message(people, code, params, case, _case_url(case.pk))


# --- reminders -----------------------------------------------------------------------------


def reminder_days_by_version() -> dict[int, int]:
    """Each published policy version's reminder lead time, in working days (one query)."""
    days = {}
    rows = PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED).values_list("pk", "content")
    for pk, content in rows:
        try:
            days[pk] = policy_from_data(content).procedure.reminder_days
        except ValueError:  # cannot happen for a published version; never block the others
            days[pk] = PROCEDURE_ADDED_DEFAULTS["reminder_days"]
    return days


def _reminder_filter(today: dt.date, calendar: WorkCalendar) -> Q | None:
    by_days: dict[int, list[int]] = defaultdict(list)
    for version_id, days in reminder_days_by_version().items():
        by_days[days].append(version_id)
    if not by_days:
        return None
    q = Q()
    for days, version_ids in sorted(by_days.items()):
        horizon = deadlines.reminder_horizon(today, calendar, days=days)
        q |= Q(policy_version_id__in=version_ids, due_on__lt=horizon)
    return q


def _running(queryset):
    return (
        queryset.filter(state__in=CaseState.open_states(), due_on__isnull=False)
        .exclude(due_stage="")
        .select_for_update(of=("self",), skip_locked=True)
    )


def cases_remind(today: dt.date, calendar: WorkCalendar) -> int:
    """Remind the people responsible of every deadline that falls due within its policy's
    `reminder_days` working days and has not been reminded; returns the number of cases."""
    window = _reminder_filter(today, calendar)
    if window is None:
        return 0
    with transaction.atomic():
        cases = list(
            _running(Case.objects.filter(window, due_on__gte=today, reminded_on__isnull=True))
            .select_related("investigator")
            .order_by("due_on", "pk")
        )
        if not cases:
            return 0
        people = responsible_people(cases)
        messages = []
        for case in cases:
            messages.append(_deadline_message(people[case.pk], "tolerance.case.due_soon", case))
        notify_many(messages)
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(reminded_on=today)
    return len(cases)


# --- escalation ----------------------------------------------------------------------------


def cases_escalate(today: dt.date) -> int:
    """Tell the approving leaders about every overdue deadline, once; returns the count."""
    with transaction.atomic():
        cases = list(
            _running(Case.objects.filter(due_on__lt=today, escalated_on__isnull=True)).order_by(
                "due_on", "pk"
            )
        )
        if not cases:
            return 0
        staff = staff_by_authority({c.authority_id for c in cases}, ESCALATION_ROLES)
        messages = []
        for case in cases:
            leaders = _pick(staff, case.authority_id, ESCALATION_ROLES)
            messages.append(_deadline_message(leaders, "tolerance.case.overdue", case))
        notify_many(messages)
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(escalated_on=today)
        audit.record_many(
            "tolerance.case.escalate",
            actor=None,
            entries=[
                (
                    case,
                    {"escalated_on": None},
                    {
                        "escalated_on": today.isoformat(),
                        "due_stage": case.due_stage,
                        "due_on": case.due_on.isoformat(),
                    },
                )
                for case in cases
            ],
            authority_ids=[case.authority_id for case in cases],
        )
    return len(cases)


# --- remedial measures ---------------------------------------------------------------------


def remedies_report_overdue(today: dt.date) -> int:
    """Report each measure past its due date and not done, once; returns the count."""
    with transaction.atomic():
        remedies = list(
            Remedy.objects.filter(due_on__lt=today, overdue_notified_on__isnull=True)
            .exclude(status__in=DONE_REMEDY)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("case")
            .order_by("due_on", "pk")
        )
        if not remedies:
            return 0
        staff = staff_by_authority({r.case.authority_id for r in remedies}, REMEDY_ROLES)
        messages = []
        for remedy in remedies:
            message = Message(
                _pick(staff, remedy.case.authority_id, REMEDY_ROLES),
                "tolerance.remedy.overdue",
                {
                    "ref": remedy.case.reference,
                    "date": remedy.due_on,
                    "owner": remedy.owner,
                    "measure": remedy.measure,
                },
                remedy.case,
                _case_url(remedy.case_id),
            )
            messages.append(message)
        notify_many(messages)
        Remedy.objects.filter(pk__in=[r.pk for r in remedies]).update(overdue_notified_on=today)
    return len(remedies)


def deadline_notices_send(today: dt.date | None = None) -> NoticeRun:
    """The daily run: reminders, escalations, overdue measures (each in its own transaction)."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    return NoticeRun(
        reminded=cases_remind(today, calendar),
        escalated=cases_escalate(today),
        remedies=remedies_report_overdue(today),
    )
