"""Working-day deadlines of a case: which deadline runs after each step, and when it falls."""

from __future__ import annotations

import datetime as dt

from core.workdays import Deadline, WorkCalendar

from .catalogs import ProcedureParameters
from .models.case import DueStage

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


def stage_deadline(
    stage: str, start: dt.date, procedure: ProcedureParameters, calendar: WorkCalendar
) -> Deadline:
    """When the `stage` deadline started on `start` falls, in working days."""
    return calendar.add_working_days(start, getattr(procedure, STAGE_DAYS[stage]))


def appeal_deadline(
    fed_back_on: dt.date, procedure: ProcedureParameters, calendar: WorkCalendar
) -> Deadline:
    """The last day an appeal is accepted: the window counts from the day after feedback."""
    return calendar.add_working_days(fed_back_on, procedure.appeal_window_days)


def reminder_due(due_on: dt.date, today: dt.date, calendar: WorkCalendar, *, days: int) -> bool:
    """True from `days` working days before the due date until it passes."""
    return today <= due_on and calendar.working_days_between(today, due_on) <= days
