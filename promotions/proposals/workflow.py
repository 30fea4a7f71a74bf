"""proposal_transition: THE only function that changes an adjustment proposal's state.

It locks the row, checks the transition declared on the model (django-fsm), applies the
changes, writes the audit row and notifies the authority's staff, in one transaction; the
documents are issued by a Celery task queued through core.outbox (sent after the commit).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cadres.enums import MoveType
from cadres.services import cadre_move
from core import audit, fsm
from core.enums import Role
from core.errors import NotAllowedNow, StateChanged
from core.models import User
from core.notifications import notify
from core.outbox import enqueue
from promotions.enums import AdjustMethod, Decision
from promotions.models import Proposal

from .permissions import can_act

MOVE_OF_METHOD = {
    AdjustMethod.TRANSFER: MoveType.TRANSFERRED_FROM_POST,
    AdjustMethod.NON_LEADERSHIP: MoveType.TO_NON_LEADERSHIP,
    AdjustMethod.RESIGN_BLAME: MoveType.RESIGNED_TAKING_BLAME,
    AdjustMethod.ORDERED_RESIGN: MoveType.ORDERED_TO_RESIGN,
    AdjustMethod.REMOVE: MoveType.REMOVED,
    AdjustMethod.DEMOTE: MoveType.DEMOTED,
}
ACTIONS = ("inspect", "decide", "execute")


def _check_decision(changes: dict) -> dict:
    decision = changes.get("decision")
    method = changes.get("method", "")
    reason = (changes.get("reason") or "").strip()
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose whether to adjust.")})
    if decision == Decision.ADJUST and method not in AdjustMethod.values:
        raise ValidationError({"method": _("Choose the adjustment method.")})
    if decision == Decision.KEEP and not reason:
        raise ValidationError({"reason": _("Give the reason for not adjusting.")})
    return {
        "decision": decision,
        "method": method if decision == Decision.ADJUST else "",
        "decision_reason": reason,
    }


def _execute(proposal: Proposal, actor: User, changes: dict):
    cadre = proposal.cadre
    rank = int(changes.get("rank") or cadre.rank)
    if proposal.method == AdjustMethod.DEMOTE and rank >= cadre.rank:
        raise ValidationError({"rank": _("A demotion needs a lower rank.")})
    title = (changes.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the new position.")})
    return cadre_move(
        cadre,
        actor=actor,
        move=MOVE_OF_METHOD[proposal.method],
        on=changes.get("on") or timezone.localdate(),
        unit=changes.get("unit") or cadre.unit,
        title=title,
        rank=rank,
        post_type="non_leadership" if proposal.method == AdjustMethod.NON_LEADERSHIP else None,
        document_ref=changes.get("document_ref", ""),
        reason=_("Adjustment proposal %(id)s") % {"id": proposal.pk},
    )


def _staff(proposal: Proposal, role: str) -> list[User]:
    return list(
        User.objects.filter(
            authorities=proposal.authority_id, groups__name=role, is_active=True
        ).distinct()
    )


def _notify_step(proposal: Proposal, action: str, actor: User) -> None:
    """Who is told of each step (never the actor): under inspection, the approving leaders,
    whose decision comes next; decided, who carries it out (the staff member who proposed
    it, the intake clerks for a proposal the triggers raised); carried out, the approving
    leaders who decided it."""
    params = {"name": proposal.cadre.name}
    if action == "inspect":
        code, people = "promotions.proposal.inspecting", _staff(proposal, Role.APPROVING_LEADER)
    elif action == "decide":
        code, params["decision"] = "promotions.proposal.decided", proposal.decision
        people = (
            [proposal.created_by]
            if proposal.created_by_id
            else _staff(proposal, Role.INTAKE_CLERK)
        )
    else:
        code, people = "promotions.proposal.executed", _staff(proposal, Role.APPROVING_LEADER)
    notify(
        (user for user in people if user != actor),
        code,
        params=params,
        target=proposal,
        url=f"/promotions/proposals/{proposal.pk}/",
    )


def allowed_actions(user, proposal: Proposal) -> list[str]:
    """The actions the page and the API offer the user now: the user may act on the
    proposal, and its declared transition's state and conditions allow the action."""
    if not can_act(user, proposal):
        return []
    return fsm.allowed_names(proposal, ACTIONS)


def proposal_transition(
    proposal: Proposal, *, actor: User, action: str, changes: dict | None = None
) -> Proposal:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    changes = changes or {}
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update().select_related("cadre__unit").get(pk=proposal.pk)
        )
        if not can_act(actor, locked):
            raise PermissionDenied(_("You may not act on this proposal."))
        if action == "decide":
            fields = _check_decision(changes)
            for name, value in fields.items():
                setattr(locked, name, value)
        transition = getattr(locked, action)
        if can_proceed(transition, check_conditions=False) and not can_proceed(transition):
            raise NotAllowedNow(_("A decision not to adjust is not carried out."))
        if not can_proceed(transition):
            raise StateChanged(
                _("Someone else was faster: the proposal is now “%(state)s”.")
                % {"state": locked.get_state_display()},
                state=locked.get_state_display(),
            )
        before = {"state": locked.state}
        transition()
        if action == "execute":
            record = _execute(locked, actor, changes)
            locked.position = record
        locked.updated_at = timezone.now()
        locked.save()
        after = {"state": locked.state}
        if action == "decide":
            after.update(decision=locked.decision, method=locked.method)
        if action == "execute":
            after["position"] = locked.position_id
        audit.record(
            f"promotions.proposal.{action}",
            actor=actor,
            obj=locked,
            before=before,
            after=after,
            reason=locked.decision_reason if action == "decide" else "",
            authority_id=locked.authority_id,
        )
        _notify_step(locked, action, actor)
        if action in ("inspect", "decide"):
            from promotions import tasks

            kind = "proposal" if action == "inspect" else "decision"
            enqueue(tasks.issue_proposal_document, proposal_id=locked.pk, kind=kind)
    return locked
