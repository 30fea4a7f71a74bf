"""Extending a running deadline (延期): the approving leader grants working days, with reasons."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from core import audit
from core.enums import Role
from core.models import User
from core.notifications import notify
from core.workdays import load_calendar

from . import deadlines
from . import predicates as P
from .errors import CaseError
from .models import Case, Extension
from .reminders import responsible_people


def can_extend(case: Case, user: User) -> bool:
    """The approving leader of the case's authority, while a deadline runs."""
    return P.staff_of(case, user, Role.APPROVING_LEADER) and bool(case.due_stage and case.due_on)


def extension_remaining(case: Case, extensions: list[Extension] | None = None) -> int:
    """Working days still grantable on the case's running deadline (0 when none runs).
    `extensions`: all the case's extensions when they are loaded already (no query)."""
    if not case.due_stage:
        return 0
    cap = deadlines.extension_cap(case.due_stage, case.policy_version.policy.procedure)
    if extensions is None:
        used = (
            Extension.objects.filter(case=case, stage=case.due_stage).aggregate(
                total=Sum("working_days")
            )["total"]
            or 0
        )
    else:
        used = sum(x.working_days for x in extensions if x.stage == case.due_stage)
    return max(cap - used, 0)


def case_extend(case: Case, *, actor: User, working_days: int, reason: str) -> Case:
    """Move the running deadline on by `working_days` working days from its old due date.

    Only the approving leader of the case's authority may; the reason is required; the
    extensions of one deadline add up to at most the policy's `investigation_extension_days`
    (deadlines.extension_cap). The reminder and escalation marks are cleared, so the new due
    date gets its own reminder. Returns a fresh copy of the case.

    Raises CaseError, changing nothing, when any of this does not hold.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Please give the reasons for the extension."))
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise CaseError(_("An extension adds at least one working day."))
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("policy_version", "investigator")
            .get(pk=case.pk)
        )
        if not P.staff_of(locked, actor, Role.APPROVING_LEADER):
            raise CaseError(
                _("Only the approving leader of the competent authority extends a deadline.")
            )
        if not locked.due_stage or locked.due_on is None:
            raise CaseError(_("No deadline is running on this case."))
        remaining = extension_remaining(locked)
        if working_days > remaining:
            raise CaseError(
                _(
                    "This deadline can be extended by at most %(remaining)d more working days "
                    "(the policy allows %(cap)d in total)."
                )
                % {
                    "remaining": remaining,
                    "cap": deadlines.extension_cap(
                        locked.due_stage, locked.policy_version.policy.procedure
                    ),
                }
            )
        previous = locked.due_on
        due = deadlines.extended_deadline(previous, working_days, load_calendar())
        fallback = sorted(set(locked.due_fallback_years) | set(due.fallback_years))
        Extension.objects.create(
            case=locked,
            stage=locked.due_stage,
            previous_due_on=previous,
            new_due_on=due.date,
            working_days=working_days,
            reason=reason,
            granted_by=actor,
        )
        Case.objects.filter(pk=locked.pk).update(
            due_on=due.date,
            due_fallback_years=fallback,
            due_working_days=(
                None if locked.due_working_days is None else locked.due_working_days + working_days
            ),
            reminded_on=None,
            escalated_on=None,
        )
        audit.record(
            "tolerance.case.extend",
            actor=actor,
            obj=locked,
            before={"due_stage": locked.due_stage, "due_on": previous.isoformat()},
            after={
                "due_stage": locked.due_stage,
                "due_on": due.date.isoformat(),
                "working_days": working_days,
            },
            reason=reason,
            authority_id=locked.authority_id,
        )
        # The people the running deadline waits for must act by the new date.
        notify(
            (user for user in responsible_people([locked])[locked.pk] if user != actor),
            "tolerance.case.extended",
            params={
                "ref": locked.reference,
                "stage": locked.due_stage,
                "date": due.date,
                "reason": reason,
            },
            target=locked,
            url=reverse("tolerance:case_detail", args=[locked.pk]),
        )
    return Case.objects.get(pk=locked.pk)
