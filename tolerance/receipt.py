"""The real date an application reached the authority (收文日期).

An organization department works on paper first: an application received last week is
entered today with the date it was received, and the acceptance deadline counts from that
date, so a deadline already past shows as overdue at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import User
from core.workdays import load_calendar

from . import deadlines
from . import predicates as P
from .enums import CaseState
from .errors import CaseError
from .models import Case
from .models.case import DueStage


def check_received_on(received_on: dt.date, occurred_on: dt.date, today: dt.date) -> str:
    """'' when the date of receipt can be recorded; else why not (pure)."""
    if received_on > today:
        return _("The date of receipt cannot be in the future.")
    if received_on < occurred_on:
        return _(
            "The application cannot have been received before the conduct it is about (%(date)s)."
        ) % {"date": occurred_on.isoformat()}
    return ""


def may_record_receipt(case: Case, user: User) -> bool:
    return case.state == CaseState.SUBMITTED and case.is_application and P.can_intake(case, user)


def case_record_receipt(case: Case, *, actor: User, received_on: dt.date) -> Case:
    """Record when the application was really received and count the acceptance deadline
    from that day. Audited with who entered it and when; refused, changing nothing, when
    the date is in the future or before the conduct, or the case is past acceptance."""
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("policy_version", "matter")
            .get(pk=case.pk)
        )
        if not may_record_receipt(locked, actor):
            raise CaseError(
                _(
                    "The date of receipt is recorded by the intake staff before the "
                    "application is accepted."
                )
            )
        problem = check_received_on(received_on, locked.matter.occurred_on, timezone.localdate())
        if problem:
            raise CaseError(problem, field="received_on")
        before = {
            "received_on": locked.received_on.isoformat() if locked.received_on else None,
            "due_on": locked.due_on.isoformat() if locked.due_on else None,
        }
        due = deadlines.stage_deadline(
            DueStage.ACCEPTANCE,
            received_on,
            locked.policy_version.policy.procedure,
            load_calendar(),
        )
        locked.received_on = received_on
        locked.due_stage = DueStage.ACCEPTANCE
        locked.due_on = due.date
        locked.due_fallback_years = list(due.fallback_years)
        locked.due_started_on = received_on
        locked.due_working_days = deadlines.stage_days(
            DueStage.ACCEPTANCE, locked.policy_version.policy.procedure
        )
        locked.reminded_on = None
        locked.escalated_on = None
        locked.save(
            update_fields=[
                "received_on",
                "due_stage",
                "due_on",
                "due_fallback_years",
                "due_started_on",
                "due_working_days",
                "reminded_on",
                "escalated_on",
                "updated_at",
            ]
        )
        audit.record(
            "tolerance.case.receive",
            actor=actor,
            obj=locked,
            before=before,
            after={"received_on": received_on.isoformat(), "due_on": due.date.isoformat()},
            authority_id=locked.authority_id,
        )
    return locked
