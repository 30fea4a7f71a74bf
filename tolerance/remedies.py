"""Correction (纠错): remedial measures attached to any case, whatever its outcome."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.enums import Role
from core.models import User

from . import predicates as P
from .enums import CaseState
from .errors import CaseError
from .models import Case, Remedy
from .models.review import RemedyStatus
from .permissions import visible_cases

_ORDER = list(RemedyStatus.values)


def can_manage_remedies(case: Case, user: User) -> bool:
    return P.staff_of(case, user, Role.INTAKE_CLERK, Role.INVESTIGATOR, Role.APPROVING_LEADER)


def remedy_add(case: Case, *, actor: User, measure: str, owner: str, due_on: dt.date) -> Remedy:
    if case.state == CaseState.DRAFT or not can_manage_remedies(case, actor):
        raise CaseError(_("You cannot add remedial measures to this case."))
    if not measure.strip() or not owner.strip():
        raise CaseError(_("Say what is to be done and who is responsible."))
    with transaction.atomic():
        remedy = Remedy.objects.create(
            case=case, measure=measure, owner=owner, due_on=due_on, created_by=actor
        )
        audit.record(
            "tolerance.remedy.add",
            actor=actor,
            obj=case,
            after={"remedy": remedy.pk, "due_on": due_on.isoformat(), "owner": owner},
            authority_id=case.authority_id,
        )
    return remedy


def remedy_set_status(
    remedy: Remedy, *, actor: User, status: str, verification: str = ""
) -> Remedy:
    """Move a measure forward; verifying needs the approving leader and a written check."""
    with transaction.atomic():
        remedy = Remedy.objects.select_for_update().select_related("case").get(pk=remedy.pk)
        case = remedy.case
        if status not in _ORDER or not can_manage_remedies(case, actor):
            raise CaseError(_("You cannot change this measure."))
        if _ORDER.index(status) <= _ORDER.index(remedy.status):
            raise CaseError(_("A measure only moves forward."))
        if status == RemedyStatus.VERIFIED:
            if not P.staff_of(case, actor, Role.APPROVING_LEADER):
                raise CaseError(_("Only the approving leader verifies a measure."))
            if remedy.status != RemedyStatus.DONE:
                raise CaseError(_("Only a measure that is done can be verified."))
            if not verification.strip():
                raise CaseError(_("Describe how the measure was verified."))
            remedy.verified_by = actor
            remedy.verified_at = timezone.now()
            remedy.verification = verification
        before = remedy.status
        remedy.status = status
        remedy.save()
        audit.record(
            "tolerance.remedy.status",
            actor=actor,
            obj=case,
            before={"remedy": remedy.pk, "status": before},
            after={"remedy": remedy.pk, "status": status},
            reason=verification,
            authority_id=case.authority_id,
        )
    return remedy


def overdue_remedies(today: dt.date | None = None, *, user: User | None = None):
    """Measures past their due date and not done yet, oldest first; only those of cases
    the user may see when a user is given (a queue), all of them otherwise (a task)."""
    today = today or timezone.localdate()
    remedies = Remedy.objects.filter(due_on__lt=today).exclude(
        status__in=(RemedyStatus.DONE, RemedyStatus.VERIFIED)
    )
    if user is not None:
        remedies = remedies.filter(case__in=visible_cases(user))
    return remedies.select_related("case").order_by("due_on", "id")
