"""Working-day deadlines of a case: which deadline runs after each step, and when it falls.

Pure: callers load the calendar once (core.workdays.load_calendar) and pass it in. The
working-day convention is core.workdays': the day a deadline starts does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from core.workdays import Deadline, WorkCalendar

from .models.case import DueStage
from .policy_types import ProcedureParameters

# The deadline that starts when an action is taken; None stops the clock, absent keeps it.
STAGE_AFTER: dict[str, str | None] = {
    "submit": DueStage.ACCEPTANCE,
    "accept": DueStage.INVESTIGATION,
    "reject": None,
    "withdraw": None,
    "refer": DueStage.DECISION,
    "send_back": DueStage.INVESTIGATION,
    "decide": DueStage.FEEDBACK,
    "feed_back": None,
    "appeal": DueStage.APPEAL_DECISION,
    "conclude_appeal": None,
    "publish": None,
    "close": None,
}

STAGE_DAYS: dict[str, str] = {
    DueStage.ACCEPTANCE: "acceptance_days",
    DueStage.INVESTIGATION: "investigation_days",
    DueStage.DECISION: "decision_days",
    DueStage.FEEDBACK: "feedback_days",
    DueStage.APPEAL_DECISION: "decision_days",
}


def stage_days(stage: str, procedure: ProcedureParameters) -> int:
    """Working days the `stage` deadline runs under the procedure."""
    return getattr(procedure, STAGE_DAYS[stage])


def stage_deadline(
    stage: str, start: dt.date, procedure: ProcedureParameters, calendar: WorkCalendar
) -> Deadline:
    """When the `stage` deadline started on `start` falls, in working days."""
    return calendar.add_working_days(start, stage_days(stage, procedure))


def appeal_deadline(
    fed_back_on: dt.date, procedure: ProcedureParameters, calendar: WorkCalendar
) -> Deadline:
    """The last day an appeal is accepted: the window counts from the day after feedback."""
    return calendar.add_working_days(fed_back_on, procedure.appeal_window_days)


def reminder_due(due_on: dt.date, today: dt.date, calendar: WorkCalendar, *, days: int) -> bool:
    """True from `days` working days before the due date until it passes."""
    return today <= due_on and calendar.working_days_between(today, due_on) <= days


def reminder_horizon(today: dt.date, calendar: WorkCalendar, *, days: int) -> dt.date:
    """The first due date too far off for a reminder today.

    `reminder_due(due_on, today, calendar, days=days)` is exactly
    `today <= due_on < reminder_horizon(today, calendar, days=days)`, which lets the reminder
    task select the cases with one range condition on `due_on` per value of `days`.
    """
    return calendar.add_working_days(today, days + 1).date


def extension_cap(stage: str, procedure: ProcedureParameters) -> int:
    """Working days by which one deadline of a case may be extended, in total.

    The policies name one figure, for the investigation (`investigation_extension_days`); the
    same cap applies to every other deadline, so a stage is never extended by more than the
    investigation may be. Extensions of the same stage add up, even across a restart of the
    clock (a case sent back for further investigation).
    """
    if stage not in STAGE_DAYS:
        raise ValueError(f"unknown deadline {stage!r}")
    return procedure.investigation_extension_days


def extended_deadline(due_on: dt.date, working_days: int, calendar: WorkCalendar) -> Deadline:
    """The due date moved on by `working_days`, counted from the old due date."""
    if working_days < 1:
        raise ValueError(f"an extension adds at least one working day, got {working_days}")
    return calendar.add_working_days(due_on, working_days)


def recorded_appeal_deadline(
    fed_back_on: dt.date, appeal_due_on: dt.date, calendar: WorkCalendar
) -> Deadline:
    """A recorded appeal window as a Deadline, naming the years it counted Monday to Friday
    (pass it to core.workdays.fallback_warning next to the date)."""
    return Deadline(appeal_due_on, calendar.fallback_years_between(fed_back_on, appeal_due_on))


@dataclass(frozen=True)
class Recomputed:
    """A running deadline counted again on another calendar."""

    case_id: int
    old: dt.date
    new: Deadline

    @property
    def moved(self) -> bool:
        return self.new.date != self.old


def recompute_deadlines(
    running: Iterable[tuple[int, dt.date, dt.date, int, tuple[int, ...]]],
    calendar: WorkCalendar,
    years: Iterable[int],
) -> list[Recomputed]:
    """The running deadlines (case id, counted from, due on, working days, fallback years) that
    a changed schedule of `years` affects, counted again on `calendar`.

    A deadline is affected when one of the days it counts (after the start, up to the due
    date) falls in a changed year; it is returned when its date or its fallback years change.
    An extension counted from the old due date adds its days to the count: the n-th working
    day after a working day, then m more, is the (n+m)-th after the start.
    """
    changed = frozenset(years)
    found = []
    for case_id, start, due_on, days, fallback in running:
        if not any(start.year <= year <= due_on.year for year in changed):
            continue
        new = calendar.add_working_days(start, days)
        if new.date != due_on or tuple(new.fallback_years) != tuple(fallback):
            found.append(Recomputed(case_id, due_on, new))
    return found
