"""Feeding the conclusion back, which opens the appeal window."""

from __future__ import annotations

from django.utils import timezone

from core.models import User
from core.workdays import load_calendar

from . import deadlines
from .models import Case
from .workflow import case_transition


def case_feed_back(case: Case, *, actor: User, reason: str = "") -> Case:
    """Feed the conclusion back (the `feed_back` transition) and record the appeal window:
    `fed_back_on` today, `appeal_due_on` the policy's `appeal_window_days` working days later.

    Raises TransitionRefused, changing nothing, as case_transition does.
    """
    today = timezone.localdate()
    version = case.policy_version  # the policy the case is judged under
    due = deadlines.appeal_deadline(today, version.policy.procedure, load_calendar())
    return case_transition(
        case,
        actor=actor,
        action="feed_back",
        reason=reason,
        changes={"fed_back_on": today, "appeal_due_on": due.date},
    )
