"""The one function that changes a tolerance case's state.

`case_transition` locks the case, checks the transition declared on the model (source
state, conditions, the permission predicate for the actor), applies the field changes that
go with it, starts or stops the working-day clock, writes the audit row, notifies the
people concerned and schedules the follow-up task after the commit — all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from core import audit
from core.enums import Role
from core.models import User
from core.notifications import notify
from core.workdays import load_calendar

from . import deadlines
from .enums import CaseState
from .errors import TransitionRefused
from .models import Case

ACTIONS = (
    "submit",
    "withdraw",
    "accept",
    "reject",
    "start_investigation",
    "refer",
    "send_back",
    "decide",
    "issue_rulings",
    "feed_back",
    "publish",
    "appeal",
    "conclude_appeal",
    "close",
)

# Actions whose reason is required (a refusal or a step back must be explained).
REASON_REQUIRED = frozenset({"reject", "withdraw", "send_back"})


def _case_url(case: Case) -> str:
    return reverse("tolerance:case_detail", args=[case.pk])


def authority_staff(case: Case, *roles: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, authorities=case.authority_id, groups__name__in=roles
        ).distinct()
    )


def people_concerned(case: Case) -> list[User]:
    """The filer and every cadre of the case who has a login."""
    cadre_ids = [entry.cadre_id for entry in case.entries.all()]
    return [case.filed_by, *User.objects.filter(is_active=True, cadre_id__in=cadre_ids)]


def _recipients(case: Case, action: str) -> list[User]:
    intake = (Role.INTAKE_CLERK, Role.APPROVING_LEADER)
    if action == "submit":
        return authority_staff(case, *intake)
    if action in ("start_investigation", "send_back"):
        return [case.investigator]
    if action == "refer":
        return authority_staff(case, Role.COMMITTEE_MEMBER, Role.APPROVING_LEADER)
    if action in ("issue_rulings", "appeal"):
        return authority_staff(case, *intake)
    if action == "withdraw":
        return [*authority_staff(case, *intake), case.investigator]
    if action == "decide":
        return [*people_concerned(case), *authority_staff(case, Role.INTAKE_CLERK)]
    return people_concerned(case)


def _follow_up(case: Case, action: str) -> Callable[[], Any] | None:
    from . import tasks

    if action == "accept":
        return lambda: tasks.issue_case_notice.delay(case.pk, "acceptance_notice")
    if action == "reject":
        return lambda: tasks.issue_case_notice.delay(case.pk, "non_acceptance_notice")
    if action == "decide":
        return lambda: tasks.issue_rulings.delay(case.pk)
    return None


def _snapshot(case: Case, fields: list[str]) -> dict[str, Any]:
    values = {"state": case.state}
    for name in fields:
        value = getattr(case, name)
        if isinstance(value, Model):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[name] = value
    return values


def _clock(case: Case, action: str, today) -> list[str]:
    """Start, stop or keep the working-day clock; returns the fields it changed."""
    if action not in deadlines.STAGE_AFTER:
        return []
    stage = deadlines.STAGE_AFTER[action]
    case.reminded_on = None
    case.escalated_on = None
    if stage is None:
        case.due_stage, case.due_on, case.due_fallback_years = "", None, []
    else:
        due = deadlines.stage_deadline(
            stage, today, case.policy_version.policy.procedure, load_calendar()
        )
        case.due_stage, case.due_on = stage, due.date
        case.due_fallback_years = list(due.fallback_years)
    return ["due_stage", "due_on", "due_fallback_years", "reminded_on", "escalated_on"]


def case_transition(
    case: Case,
    *,
    actor: User | None,
    action: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Case:
    """Take `action` on the case as `actor` (None: the system, for tasks).

    Returns a fresh copy of the case; the object passed in is left as it was.

    Raises TransitionRefused, changing nothing, when the state, a condition or the actor's
    permission does not allow it, or a required reason is missing.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown case action {action!r}")
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise TransitionRefused(_("Please give the reasons."))
    changes = dict(changes or {})
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("policy_version", "filed_by", "investigator", "authority")
            .get(pk=case.pk)
        )
        fields = sorted(set(changes) | {"state"})
        before = _snapshot(locked, fields)
        # The changes go first: conditions may depend on them (an investigator assigned).
        for name, value in changes.items():
            setattr(locked, name, value)
        method = getattr(locked, action)
        if not can_proceed(method) or not has_transition_perm(method, actor):
            raise TransitionRefused()
        today = timezone.localdate()
        method()
        now = timezone.now()
        stamped = {
            "submit": "submitted_at",
            "decide": "decided_at",
            "close": "closed_at",
            "withdraw": "closed_at",
            "reject": "closed_at",
        }.get(action)
        if stamped:
            setattr(locked, stamped, now)
        clock_fields = _clock(locked, action, today)
        locked.save()
        audit.record(
            f"tolerance.case.{action}",
            actor=actor,
            obj=locked,
            before=before,
            after=_snapshot(locked, fields + clock_fields[:2]),
            reason=reason,
            authority_id=locked.authority_id,
        )
        subject = _("Case %(ref)s: %(state)s") % {
            "ref": locked.reference,
            "state": CaseState(locked.state).label,
        }
        notify(
            (user for user in _recipients(locked, action) if user != actor),
            subject=subject,
            body=reason,
            url=_case_url(locked),
        )
        follow_up = _follow_up(locked, action)
        if follow_up is not None:
            transaction.on_commit(follow_up)
    return locked
