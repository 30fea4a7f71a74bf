"""Appeals (复核): filed within the window, reviewed by someone who took no part."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from core import audit
from core.enums import Role
from core.models import User
from core.notifications import notify
from core.outbox import enqueue

from . import predicates as P
from .enums import CaseState, Outcome
from .errors import AppealLate, CaseError, TransitionRefused
from .models import Appeal, Case, CaseCadre
from .models.review import AppealState
from .workflow import case_transition, case_url


def _locked_case(appeal: Appeal) -> Case:
    """The appeal's case, locked first (the order every service locks in: case, then rows)."""
    case_id = Appeal.objects.values_list("entry__case_id", flat=True).get(pk=appeal.pk)
    return Case.objects.select_for_update(of=("self",)).get(pk=case_id)


# The states in which a conclusion may be appealed (within the window).
APPEALABLE_STATES = frozenset({CaseState.FED_BACK, CaseState.PUBLISHED, CaseState.APPEALED})


def appeal_deadline(case: Case):
    """The last day an appeal is accepted while the case's state accepts appeals, else None
    (pages show it; appeal_file refuses after it)."""
    if case.state not in APPEALABLE_STATES:
        return None
    return case.appeal_due_on


def took_part(case: Case, user: User) -> bool:
    """Filed, investigated, sat on, chaired or recorded a meeting of, or decided this case."""
    return (
        case.filed_by_id == user.pk
        or case.investigator_id == user.pk
        or case.meetings.filter(
            Q(members__user=user) | Q(chair=user) | Q(recorded_by=user)
        ).exists()
        or case.entries.filter(decided_by=user).exists()
    )


def appeal_file(entry: CaseCadre, *, actor: User, reason: str) -> Appeal:
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Give the grounds of the appeal."))
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=entry.case_id)
        entry = CaseCadre.objects.select_for_update().get(pk=entry.pk)
        own = P.concerns(case, actor) and entry.cadre_id == actor.cadre_id
        if case.state not in APPEALABLE_STATES or not (
            own or (P.can_appeal(case, actor) and not P.concerns(case, actor))
        ):
            raise CaseError(_("You cannot appeal this conclusion."))
        if entry.outcome == Outcome.EXEMPT:
            raise CaseError(_("A full exemption from responsibility cannot be appealed."))
        today = timezone.localdate()
        if case.appeal_due_on is None or today > case.appeal_due_on:
            raise AppealLate(
                _("The appeal is late: appeals were accepted until %(date)s.")
                % {"date": case.appeal_due_on.isoformat() if case.appeal_due_on else "—"}
            )
        if entry.appeals.filter(state=AppealState.PENDING).exists():
            raise CaseError(_("An appeal on this conclusion is already pending."))
        if entry.appeals.exists():
            raise CaseError(_("This conclusion has already been reviewed once."))
        appeal = Appeal.objects.create(
            entry=entry, filed_by=actor, reason=reason, original_outcome=entry.outcome
        )
        audit.record(
            "tolerance.appeal.file",
            actor=actor,
            obj=case,
            after={"appeal": appeal.pk, "entry": entry.pk, "outcome": entry.outcome},
            reason=reason,
            authority_id=case.authority_id,
        )
        if case.state != CaseState.APPEALED:
            case_transition(case, actor=actor, action="appeal", reason=reason)
    return appeal


def appeal_assign_reviewer(appeal: Appeal, *, actor: User, reviewer: User) -> Appeal:
    with transaction.atomic():
        case = _locked_case(appeal)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.state != AppealState.PENDING or not P.staff_of(
            case, actor, Role.APPROVING_LEADER
        ):
            raise CaseError(
                _("Only the approving leader assigns the reviewer of a pending appeal.")
            )
        if not (
            reviewer.is_active
            and reviewer.has_role(*Role.org_department_roles())
            and case.authority_id in reviewer.authority_ids
        ):
            raise CaseError(_("The reviewer must work for this authority."))
        if took_part(case, reviewer):
            raise CaseError(_("The reviewer must not have taken part in the case."))
        before = appeal.reviewer_id
        Appeal.objects.filter(pk=appeal.pk).update(reviewer=reviewer)
        audit.record(
            "tolerance.appeal.assign",
            actor=actor,
            obj=case,
            before={"appeal": appeal.pk, "reviewer": before},
            after={"appeal": appeal.pk, "reviewer": reviewer.pk},
            authority_id=case.authority_id,
        )
        # The reviewer must act.
        notify(
            [reviewer],
            "tolerance.appeal.assigned",
            params={"ref": case.reference},
            target=case,
            url=case_url(case),
        )
        appeal.refresh_from_db()
    return appeal


def _appellants(appeal: Appeal, entry: CaseCadre) -> list[User]:
    """Who filed the appeal, and the cadre it is about when they have a login."""
    cadre_users = User.objects.filter(is_active=True, cadre_id=entry.cadre_id)
    return [appeal.filed_by, *cadre_users]


def appeal_decide(appeal: Appeal, *, actor: User, new_outcome: str | None, reason: str) -> Appeal:
    """THE one function that changes an appeal's state (the declared `Appeal.decide`):
    confirm (new_outcome None or unchanged) or change the conclusion; locks the case and the
    appeal, audits, and queues the decision document through the outbox."""
    from . import tasks

    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Give the reasons of the review."))
    if new_outcome is not None and new_outcome not in Outcome.values:
        raise CaseError(_("Choose a conclusion."))
    with transaction.atomic():
        case = _locked_case(appeal)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not can_proceed(appeal.decide):
            raise TransitionRefused(state=AppealState(appeal.state).label)
        if appeal.reviewer_id != actor.pk or not P.staff_of(
            case, actor, *Role.org_department_roles()
        ):
            raise CaseError(_("Only the assigned reviewer can decide a pending appeal."))
        entry = CaseCadre.objects.select_for_update().get(pk=appeal.entry_id)
        changed = new_outcome is not None and new_outcome != entry.outcome
        appeal.decide(changed)
        appeal.new_outcome = new_outcome if changed else entry.outcome
        appeal.decision_reason = reason
        appeal.decided_at = timezone.now()
        appeal.save()
        if changed:
            old = entry.outcome
            entry.outcome = new_outcome
            entry.save(update_fields=["outcome"])
        audit.record(
            "tolerance.appeal.decide",
            actor=actor,
            obj=case,
            before={"appeal": appeal.pk, "outcome": appeal.original_outcome},
            after={"appeal": appeal.pk, "state": appeal.state, "outcome": appeal.new_outcome},
            reason=reason,
            authority_id=case.authority_id,
        )
        if changed:
            audit.record(
                "tolerance.entry.change_on_appeal",
                actor=actor,
                obj=case,
                before={"entry": entry.pk, "outcome": old},
                after={"entry": entry.pk, "outcome": new_outcome},
                reason=reason,
                authority_id=case.authority_id,
            )
        enqueue(tasks.issue_appeal_decision, appeal.pk)
        # The appellant and the cadre concerned are told the result.
        notify(
            (user for user in _appellants(appeal, entry) if user != actor),
            "tolerance.appeal.decided",
            params={"ref": case.reference, "outcome": appeal.new_outcome, "reason": reason},
            target=case,
            url=case_url(case),
        )
        if not Appeal.objects.filter(entry__case=case, state=AppealState.PENDING).exists():
            case_transition(case, actor=actor, action="conclude_appeal", reason=reason)
    return appeal
