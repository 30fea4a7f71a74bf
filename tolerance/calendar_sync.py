"""Running deadlines follow the holiday schedule as administrators enter or correct it.

core sends core.signals.calendar_changed inside the transaction that changed a year's
schedule; every running case deadline whose counted days fall in that year is counted again
(tolerance.deadlines.recompute_deadlines, pure) and, where its date or its fallback years
change, updated with one audit row per case (old → new due date, cause). Deadlines no longer
running (the step was taken) have no due date on the case and are left alone.

Also covered:
- Running deadlines started before migration tolerance/0008 (no recorded start): their start
  is derived from the facts on record when the calendar changes: the receipt date for an
  acceptance deadline of a case received on paper, else the day of the latest audited
  transition that started the current stage (tolerance.case.<action>, deadlines.STAGE_AFTER);
  their count is the stage's working days under the case's policy plus the extensions of that
  stage granted since. Both are stored with the recompute. A case with no such audit row is
  left as it is (nothing on record says when its clock started).
- Open appeal windows (a state that accepts appeals, the last day not yet past): counted
  again from the recorded delivery date (fed_back_on) by the policy's appeal_window_days;
  Case.appeal_due_on and the latest delivery's appeal_due_on are updated, audited per case
  (action tolerance.case.appeal_window_recompute). A window already past is left alone.
- Remedy (纠错措施) due dates are calendar dates the decider enters, not counted in working
  days, so a schedule change does not move them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from core.models import AuditEvent, User
from core.workdays import WorkCalendar, load_calendar

from . import deadlines
from .appeals import APPEALABLE_STATES
from .models import Case, Delivery, Extension

ACTION = "tolerance.case.deadline_recompute"
APPEAL_ACTION = "tolerance.case.appeal_window_recompute"


def _derive_unrecorded_starts(years: frozenset[int]) -> int:
    """Store the start and working days of running deadlines that have none (created before
    they were recorded), from the facts on record; return how many were derived. Three
    queries, however many cases."""
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(due_on__isnull=False, due_on__year__gte=min(years))
        .filter(Q(due_started_on__isnull=True) | Q(due_working_days__isnull=True))
        .exclude(due_stage="")
        .select_related("policy_version")
        .order_by("pk")
    )
    if not cases:
        return 0
    from django.contrib.contenttypes.models import ContentType

    started: dict[int, dict[str, object]] = {}
    actions = {f"tolerance.case.{a}": stage for a, stage in deadlines.STAGE_AFTER.items() if stage}
    events = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=[str(c.pk) for c in cases],
            action__in=list(actions),
        )
        .order_by("at", "id")
        .values_list("object_id", "action", "at")
    )
    for object_id, action, at in events:  # the latest start of each stage wins
        started.setdefault(int(object_id), {})[actions[action]] = timezone.localdate(at)
    extended: dict[tuple[int, str], list[tuple[object, int]]] = {}
    for case_id, stage, at, days in Extension.objects.filter(
        case__in=[c.pk for c in cases]
    ).values_list("case_id", "stage", "granted_at", "working_days"):
        extended.setdefault((case_id, stage), []).append((timezone.localdate(at), days))
    derived = []
    for case in cases:
        start = started.get(case.pk, {}).get(case.due_stage)
        if case.due_stage == "acceptance" and case.received_on is not None:
            start = case.received_on
        if start is None:
            continue  # nothing on record says when this clock started
        days = deadlines.stage_days(case.due_stage, case.policy_version.policy.procedure)
        days += sum(n for on, n in extended.get((case.pk, case.due_stage), ()) if on >= start)
        case.due_started_on, case.due_working_days = start, days
        derived.append(case)
    Case.objects.bulk_update(derived, ["due_started_on", "due_working_days"])
    return len(derived)


def appeal_windows_follow_calendar(
    *, actor: User | None, years: frozenset[int], cause: str, calendar: WorkCalendar
) -> list[deadlines.Recomputed]:
    """Count the open appeal windows touched by `years` again from the delivery date."""
    today = timezone.localdate()
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(
            state__in=list(APPEALABLE_STATES),
            fed_back_on__isnull=False,
            appeal_due_on__gte=today,
            fed_back_on__year__lte=max(years),
            appeal_due_on__year__gte=min(years),
        )
        .select_related("policy_version")
        .order_by("pk")
    )
    changed = []
    for case in cases:
        days = case.policy_version.policy.procedure.appeal_window_days
        [found] = deadlines.recompute_deadlines(
            [(case.pk, case.fed_back_on, case.appeal_due_on, days, (None,))], calendar, years
        ) or [None]
        if found is not None and found.moved:
            changed.append((case, found))
    if not changed:
        return []
    for case, found in changed:
        case.appeal_due_on = found.new.date
    Case.objects.bulk_update([c for c, _f in changed], ["appeal_due_on"])
    latest: dict[int, int] = {}
    for pk, case_id in (
        Delivery.objects.filter(case__in=[c.pk for c, _f in changed])
        .order_by("delivered_on", "id")
        .values_list("pk", "case_id")
    ):
        latest[case_id] = pk
    new_due = {c.pk: f.new.date for c, f in changed}
    deliveries = Delivery.objects.in_bulk(list(latest.values()))
    for delivery in deliveries.values():
        delivery.appeal_due_on = new_due[delivery.case_id]
    Delivery.objects.bulk_update(deliveries.values(), ["appeal_due_on"])
    audit.record_many(
        APPEAL_ACTION,
        actor=actor,
        entries=[
            (
                case,
                {"appeal_due_on": found.old.isoformat()},
                {
                    "appeal_due_on": found.new.date.isoformat(),
                    "fed_back_on": case.fed_back_on.isoformat(),
                },
            )
            for case, found in changed
        ],
        reason=cause,
        authority_ids=[case.authority_id for case, _f in changed],
    )
    return [found for _c, found in changed]


def deadlines_follow_calendar(
    *, actor: User | None, years: Iterable[int], cause: str
) -> list[deadlines.Recomputed]:
    """Count the running deadlines touched by `years` again on the calendar now in force."""
    years = frozenset(years)
    if not years:
        return []
    with transaction.atomic():
        _derive_unrecorded_starts(years)
        calendar = load_calendar()
        appeal_windows_follow_calendar(actor=actor, years=years, cause=cause, calendar=calendar)
        running = (
            Case.objects.select_for_update()
            .filter(
                due_on__isnull=False,
                due_started_on__isnull=False,
                due_working_days__isnull=False,
                due_started_on__year__lte=max(years),
                due_on__year__gte=min(years),
            )
            .order_by("pk")
            .values_list(
                "pk",
                "due_started_on",
                "due_on",
                "due_working_days",
                "due_fallback_years",
                "authority_id",
            )
        )
        rows = list(running)
        changed = deadlines.recompute_deadlines(
            ((pk, start, due, days, tuple(fb or ())) for pk, start, due, days, fb, _a in rows),
            calendar,
            years,
        )
        if not changed:
            return []
        info = {pk: (fb, authority) for pk, _s, _d, _n, fb, authority in rows}
        by_id = Case.objects.in_bulk([c.case_id for c in changed])
        for item in changed:
            case = by_id[item.case_id]
            case.due_on = item.new.date
            case.due_fallback_years = list(item.new.fallback_years)
            if item.moved:  # a moved deadline may be reminded of again
                case.reminded_on = None
                case.escalated_on = None
        Case.objects.bulk_update(
            by_id.values(), ["due_on", "due_fallback_years", "reminded_on", "escalated_on"]
        )
        audit.record_many(
            ACTION,
            actor=actor,
            entries=[
                (
                    by_id[item.case_id],
                    {
                        "due_on": item.old.isoformat(),
                        "due_fallback_years": list(info[item.case_id][0] or []),
                    },
                    {
                        "due_on": item.new.date.isoformat(),
                        "due_fallback_years": list(item.new.fallback_years),
                    },
                )
                for item in changed
            ],
            reason=cause,
            authority_ids=[info[item.case_id][1] for item in changed],
        )
    return changed


def on_calendar_changed(sender, *, actor=None, years=(), cause="", **kwargs) -> None:
    deadlines_follow_calendar(actor=actor, years=years, cause=cause)
