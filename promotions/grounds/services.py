"""Adjustment proposals that staff create on Jinan's grounds (seed 004): 不适宜 / 不胜任 /
不称职 / 不公认, with the facts and the evidence. They then follow the same workflow as the
scan's proposals (promotions.proposals.workflow.proposal_transition), with the same documents.

Who may propose: organization-department staff whose authority covers the cadre (unit
subtree and management level), and administrators; the proposal belongs to that authority.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.enums import AuthorityKind, CadreStatus
from cadres.models import Authority, Cadre
from cadres.permissions import authority_covers, covering_authority_id
from core import audit
from core.enums import Role
from core.models import User
from promotions.enums import TriggerArea
from promotions.models import PromotionPolicy, Proposal
from promotions.policies import policy_in_force

FIRST_YEAR = 2000
# A staff ground and the rule area it duplicates (promotions.triggers.scan.SAME_GROUND, reversed).
SAME_RULE = {TriggerArea.INCOMPETENT: TriggerArea.INCOMPETENT_GRADE}


def acting_authority(user: User, cadre: Cadre) -> Authority | None:
    """The organization department through which the user acts on the cadre, or None.

    Staff: the first (lowest id) of their organization departments covering the cadre.
    Administrators: the department covering the cadre (covering_authority_id).
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_administrator:
        pk = covering_authority_id(cadre)
        return Authority.objects.filter(pk=pk).first() if pk else None
    if not user.has_role(*Role.org_department_roles()):
        return None
    authorities = (
        user.authorities.filter(kind=AuthorityKind.ORGANIZATION)
        .prefetch_related("root_units")
        .order_by("pk")
    )
    for authority in authorities:
        if authority_covers(
            authority, unit_path=cadre.unit.path, management_level=cadre.management_level
        ):
            return authority
    return None


def can_propose(user: User, cadre: Cadre) -> bool:
    return acting_authority(user, cadre) is not None


def ground_choices(policy: PromotionPolicy) -> list[tuple[str, str]]:
    """The form's choices: each ground of the version, then each of its situations
    ("ground:situation")."""
    choices = []
    for ground in policy.jinan.grounds:
        label = f"{TriggerArea(ground.code).label} — {ground.title}"
        choices.append((ground.code, label))
        for situation in ground.situations:
            choices.append((f"{ground.code}:{situation.code}", f"{label}：{situation.title}"))
    return choices


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def proposal_propose(
    cadre: Cadre,
    *,
    actor: User,
    ground: str,
    year: int,
    facts: str,
    evidence: str,
    situation: str = "",
) -> Proposal:
    """Create a staff proposal on a ground of the policy in force today; audited.

    ValidationError (field → translated message) on bad input, nothing written.
    """
    authority = acting_authority(actor, cadre)
    if authority is None:
        raise PermissionDenied(_("You may not propose the adjustment of this cadre."))
    policy = policy_in_force(authority, timezone.localdate())
    found = policy.jinan.ground(ground)
    errors: dict[str, str] = {}
    if found is None:
        errors["ground"] = _("Choose one of the grounds of the policy in force.")
    elif situation and found.situation(situation) is None:
        errors["ground"] = _("Choose one of the situations listed under this ground.")
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        errors["year"] = _("Give a year between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": this_year,
        }
    if not facts.strip():
        errors["facts"] = _("Describe the facts behind the proposal.")
    if not _lines(evidence):
        errors["evidence"] = _("List the evidence the proposal rests on.")
    if cadre.status != CadreStatus.SERVING:
        errors["cadre"] = _("Only a serving cadre can be proposed for adjustment.")
    if errors:
        raise ValidationError(errors)
    rows: list[dict] = []
    if situation:
        item = found.situation(situation)
        rows.append({"kind": "situation", "ground": ground, "code": item.code, "title": item.title})
    rows += [{"kind": "note", "text": line} for line in _lines(evidence)]
    duplicate = ValidationError(
        {
            "ground": _(
                "An adjustment proposal on this ground already exists for this cadre and year."
            )
        }
    )
    areas = [ground] + ([SAME_RULE[ground]] if ground in SAME_RULE else [])
    try:
        with transaction.atomic():
            Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
            if Proposal.objects.filter(cadre=cadre, year=year, area__in=areas).exists():
                raise duplicate
            proposal = Proposal.objects.create(
                authority=authority,
                cadre=cadre,
                unit_id=cadre.unit_id,
                area=ground,
                year=year,
                clause="staff",
                policy=policy,
                evidence=rows,
                grounds=facts.strip(),
                created_by=actor,
            )
            audit.record(
                "promotions.proposal.create",
                actor=actor,
                obj=proposal,
                after={
                    "area": ground,
                    "clause": "staff",
                    "policy": policy.pk,
                    "situation": situation,
                    "year": year,
                },
                reason=facts.strip()[:500],
                authority_id=authority.pk,
            )
    except IntegrityError as exc:  # a colleague created the same proposal a moment ago
        raise duplicate from exc
    return proposal


def parse_ground(value: str) -> tuple[str, str]:
    """"ground" or "ground:situation" → (ground, situation)."""
    ground, _sep, situation = value.partition(":")
    return ground, situation
