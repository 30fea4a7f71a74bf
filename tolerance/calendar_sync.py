"""Running deadlines follow the holiday schedule as administrators enter or correct it.

core sends core.signals.calendar_changed inside the transaction that changed a year's
schedule; every running case deadline whose counted days fall in that year is counted again
(tolerance.deadlines.recompute_deadlines, pure) and, where its date or its fallback years
change, updated with one audit row per case (old → new due date, cause). Deadlines no longer
running (the step was taken) have no due date on the case and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from core import audit
from core.models import User
from core.workdays import load_calendar

from . import deadlines
from .models import Case

ACTION = "tolerance.case.deadline_recompute"


def deadlines_follow_calendar(
    *, actor: User | None, years: Iterable[int], cause: str
) -> list[deadlines.Recomputed]:
    """Count the running deadlines touched by `years` again on the calendar now in force."""
    years = frozenset(years)
    if not years:
        return []
    with transaction.atomic():
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
                "pk", "due_started_on", "due_on", "due_working_days", "due_fallback_years",
                "authority_id",
            )
        )
        rows = list(running)
        changed = deadlines.recompute_deadlines(
            ((pk, start, due, days, tuple(fb or ())) for pk, start, due, days, fb, _a in rows),
            load_calendar(),
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
