"""The one function that changes a tolerance case's state.

`case_transition` locks the case, checks the transition declared on the model (source
state, conditions, the permission predicate for the actor), applies the field changes that
go with it, starts or stops the working-day clock, writes the audit row, notifies the
people concerned and schedules the follow-up task after the commit — all or nothing.
"""

from __future__ import annotations

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
from core.outbox import enqueue
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

# Where the reason of an action is also kept on the case (the notice quotes it).
REASON_FIELD = {"reject": "not_accepted_reason", "withdraw": "withdrawn_reason"}

# When the action stamps the time on the case.
STAMPED = {
    "submit": "submitted_at",
    "refer": "referred_at",
    "decide": "decided_at",
    "close": "closed_at",
    "withdraw": "closed_at",
    "reject": "closed_at",
}

# Fields the audit row shows for an action, besides the state and the changes.
SHOWN = {"publish": ("publication_scope",), "start_investigation": ("investigator",)}

# Fields a caller may never change through `changes` (the state machine owns them).
FIXED_FIELDS = frozenset({"id", "state", "authority", "policy_version", "matter", "filed_by"})


def case_url(case: Case) -> str:
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


def _committee(case: Case) -> list[User]:
    """Who deliberates: the authority's committee roster (its committee members while it
    has none) and its approving leaders."""
    roster = list(
        User.objects.filter(
            is_active=True,
            committee_seats__authority_id=case.authority_id,
            committee_seats__active=True,
        )
    )
    members = roster or authority_staff(case, Role.COMMITTEE_MEMBER)
    return [*members, *authority_staff(case, Role.APPROVING_LEADER)]


def notice_of(case: Case, action: str, before_state: str) -> tuple[str, list[User]] | None:
    """Who is told of each step, with which kind: the people who must act next, or the
    applicant and the cadres when the step is a decision on their case (the actor is left
    out by the caller). None: nobody is told."""
    if action == "submit":  # the intake clerks accept it or not
        return "tolerance.case.submitted", authority_staff(case, Role.INTAKE_CLERK)
    if action == "withdraw":  # the authority never saw a draft
        if before_state == CaseState.DRAFT:
            return None
        staff = [*authority_staff(case, Role.INTAKE_CLERK), case.investigator]
        return "tolerance.case.withdrawn", staff
    if action in ("accept", "reject", "feed_back", "publish", "close"):
        return CONCERNED_KINDS[action], people_concerned(case)
    if action == "start_investigation":
        return "tolerance.case.investigation_assigned", [case.investigator]
    if action == "send_back":
        return "tolerance.case.sent_back", [case.investigator]
    if action == "refer":  # the meeting to hold
        return "tolerance.case.referred", _committee(case)
    if action == "issue_rulings":  # the cadres are told by the issued ruling; clerks feed back
        return "tolerance.case.rulings_issued", authority_staff(case, Role.INTAKE_CLERK)
    if action == "appeal":  # the approving leaders assign the reviewer
        return "tolerance.case.appealed", authority_staff(case, Role.APPROVING_LEADER)
    # decide: the ruling drafts tell who checks and signs them; conclude_appeal: each
    # appellant is told by appeals.appeal_decide.
    return None


# Steps that are decisions on the applicant's and the cadres' case.
CONCERNED_KINDS = {
    "accept": "tolerance.case.accepted",
    "reject": "tolerance.case.not_accepted",
    "feed_back": "tolerance.case.fed_back",
    "publish": "tolerance.case.published",
    "close": "tolerance.case.closed",
}
# Kinds whose body quotes the reason of the step.
WITH_REASON = frozenset(
    {"tolerance.case.withdrawn", "tolerance.case.not_accepted", "tolerance.case.sent_back"}
)


def _notify_step(
    case: Case, action: str, before_state: str, actor: User | None, reason: str
) -> None:
    notice = notice_of(case, action, before_state)
    if notice is None:
        return
    code, people = notice
    params = {"ref": case.reference}
    if code in WITH_REASON:
        params["reason"] = reason
    notify(
        (user for user in people if user != actor),
        code,
        params=params,
        target=case,
        url=case_url(case),
    )


def _follow_up(case: Case, action: str) -> None:
    """Queue the document task an action calls for, durably (core.outbox: the row commits
    with the transition and is sent after the commit, or later if the broker is down)."""
    if action == "accept":
        enqueue("tolerance.tasks.issue_case_notice", case.pk, "acceptance_notice")
    elif action == "reject":
        enqueue("tolerance.tasks.issue_case_notice", case.pk, "non_acceptance_notice")
    elif action == "decide":
        enqueue("tolerance.tasks.issue_rulings", case.pk)


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


def _check_changes(changes: dict[str, Any]) -> None:
    fields = Case._meta.concrete_fields
    names = {f.name for f in fields} | {f.attname for f in fields}
    fixed = {f.attname for f in fields if f.name in FIXED_FIELDS} | FIXED_FIELDS
    for name in changes:
        if name in fixed or name not in names:
            raise ValueError(f"case_transition cannot change {name!r}")


def _publication_scope(case: Case) -> None:
    """Publishing needs a scope the policy allows; the policy's default when none is chosen."""
    procedure = case.policy_version.policy.procedure
    if not case.publication_scope:
        case.publication_scope = procedure.default_publication_scope
    if case.publication_scope not in procedure.publication_scopes:
        raise TransitionRefused(_("Choose a publication scope that the policy allows."))


def _clock(case: Case, action: str, today) -> None:
    """Start, stop or keep the working-day clock."""
    if action not in deadlines.STAGE_AFTER:
        return
    stage = deadlines.STAGE_AFTER[action]
    case.reminded_on = None
    case.escalated_on = None
    if stage is None:
        case.due_stage, case.due_on, case.due_fallback_years = "", None, []
        case.due_started_on, case.due_working_days = None, None
    else:
        procedure = case.policy_version.policy.procedure
        due = deadlines.stage_deadline(stage, today, procedure, load_calendar())
        case.due_stage, case.due_on = stage, due.date
        case.due_started_on = today
        case.due_working_days = deadlines.stage_days(stage, procedure)
        case.due_fallback_years = list(due.fallback_years)


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
    permission does not allow it, or a required reason is missing; when the state no longer
    allows it (someone acted first), its message names the state the case is in now.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown case action {action!r}")
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise TransitionRefused(_("Please give the reasons."))
    changes = dict(changes or {})
    _check_changes(changes)
    clocked = ["due_stage", "due_on"] if action in deadlines.STAGE_AFTER else []
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("policy_version", "filed_by", "investigator", "authority")
            .get(pk=case.pk)
        )
        fields = sorted(set(changes) | {"state"} | set(SHOWN.get(action, ())))
        before = _snapshot(locked, fields + clocked)
        before_state = locked.state
        # The changes go first: conditions may depend on them (an investigator assigned).
        for name, value in changes.items():
            setattr(locked, name, value)
        method = getattr(locked, action)
        if not can_proceed(method, check_conditions=False):
            # The loser of a race: someone else moved the case first.
            raise TransitionRefused(state=CaseState(locked.state).label)
        if not can_proceed(method) or not has_transition_perm(method, actor):
            raise TransitionRefused()
        if action == "publish":
            _publication_scope(locked)
        today = timezone.localdate()
        method()
        if action in STAMPED:
            setattr(locked, STAMPED[action], timezone.now())
        if action in REASON_FIELD:
            setattr(locked, REASON_FIELD[action], reason)
        _clock(locked, action, today)
        locked.save()
        audit.record(
            f"tolerance.case.{action}",
            actor=actor,
            obj=locked,
            before=before,
            after=_snapshot(locked, fields + clocked),
            reason=reason,
            authority_id=locked.authority_id,
        )
        _notify_step(locked, action, before_state, actor, reason)
        _follow_up(locked, action)
    return locked
