"""A top county's or district's yearly bonus (seed 003) and its allocation to persons
(奖金分配应发放到人): the computed bonus caps the sum of the allocations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from assessments.models import MonitoringRank
from cadres.models import Cadre, Unit
from cadres.permissions import changeable_cadres, covering_authority_id
from core import audit
from core.formatting import grouped
from core.models import User
from core.policies import policy_in_force_at
from promotions.models import BonusAllocation, PromotionPolicy
from promotions.policies import KIND

from . import rules
from .access import can_allocate

YUAN_PER_UNIT = Decimal(10_000)  # the policy states bonuses in 万元
CENT = Decimal("0.01")


@dataclass(frozen=True)
class UnitBonus:
    unit_id: int
    year: int
    group: str
    rank: int
    top: int  # how many places the title covers (十强县 / 五强区)
    previous: int | None
    bonus: rules.Bonus
    policy: PromotionPolicy

    @property
    def yuan(self) -> Decimal:
        return Decimal(self.bonus.amount) * YUAN_PER_UNIT


def unit_bonus(unit: Unit, year: int) -> UnitBonus | None:
    """The unit's bonus for the year, computed as on the bonus page; None when the unit is
    not among the year's top places of its group. Two queries."""
    policy = policy_in_force_at(KIND, unit, dt.date(year, 12, 31))
    terms = policy.terms
    rows = list(
        MonitoringRank.objects.filter(unit=unit, year__lte=year).values_list(
            "year", "group", "rank"
        )
    )
    this = next(((g, r) for y, g, r in rows if y == year), None)
    if this is None:
        return None
    group, rank = this
    n = terms.top_counties if group == "county" else terms.top_districts
    if rank > n:
        return None
    previous = next((r for y, g, r in rows if y == year - 1 and g == group), None)
    entered = any(r <= n for y, g, r in rows if y < year and g == group)
    return UnitBonus(
        unit.pk,
        year,
        group,
        rank,
        n,
        previous,
        rules.bonus(rank, previous, not entered, terms),
        policy,
    )


def parse_amount(raw: str) -> Decimal:
    """Yuan, at most two decimals, above zero (a clear error otherwise)."""
    try:
        amount = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError(
            {"amount": _("Enter an amount in yuan above zero, with at most two decimals.")}
        )
    return amount


def yuan_text(amount: Decimal) -> str:
    """Yuan with two decimals, whatever the database returned (SQLite drops them)."""
    return str(Decimal(amount).quantize(CENT))


def allocated_total(unit_id: int, year: int) -> Decimal:
    found = BonusAllocation.objects.filter(unit_id=unit_id, year=year).aggregate(s=Sum("amount"))
    return found["s"] or Decimal(0)


def bonus_allocate(
    unit: Unit, *, actor: User, year: int, cadre: Cadre, amount: Decimal | str, reason: str
) -> BonusAllocation:
    """Allocate part of the unit's bonus to one of its cadres. Refuses, saving nothing,
    when the allocations would exceed the computed bonus."""
    amount = parse_amount(str(amount))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the allocation.")})
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if not can_allocate(actor, locked):
            raise PermissionDenied(_("You may not allocate this unit's bonus."))
        person = (
            Cadre.objects.select_related("unit")
            .filter(pk=cadre.pk, unit__path__startswith=locked.path)
            .first()
        )
        if person is None:
            raise ValidationError({"cadre": _("The cadre does not work in this unit.")})
        if not changeable_cadres(actor).filter(pk=person.pk).exists():
            # in the unit, but managed at another level: not the actor's to reward
            raise ValidationError(
                {"cadre": _("This cadre is outside your jurisdiction (another management level).")}
            )
        computed = unit_bonus(locked, year)
        if computed is None or computed.bonus.amount == 0:
            raise ValidationError(_("This unit has no bonus for %(year)s.") % {"year": year})
        if BonusAllocation.objects.filter(unit=locked, year=year, cadre=person).exists():
            raise ValidationError(
                {"cadre": _("This cadre already has an allocation; withdraw it first.")}
            )
        before = allocated_total(locked.pk, year)
        if before + amount > computed.yuan:
            raise ValidationError(
                {
                    "amount": _(
                        "The allocations would come to %(total)s yuan, more than the bonus of "
                        "%(bonus)s yuan (%(left)s yuan left)."
                    )
                    % {
                        "total": grouped(before + amount, 2),
                        "bonus": grouped(computed.yuan, 2),
                        "left": grouped(computed.yuan - before, 2),
                    }
                }
            )
        allocation = BonusAllocation.objects.create(
            unit=locked,
            year=year,
            cadre=person,
            amount=amount,
            reason=reason,
            policy=computed.policy,
            created_by=actor,
        )
        audit.record(
            "promotions.bonus.allocate",
            actor=actor,
            obj=allocation,
            after={
                "unit": locked.pk,
                "year": year,
                "cadre": person.pk,
                "amount": yuan_text(amount),
                "bonus": yuan_text(computed.yuan),
                "allocated": yuan_text(before + amount),
            },
            reason=reason,
            authority_id=covering_authority_id(person),
        )
    return allocation


def bonus_allocation_withdraw(allocation: BonusAllocation, *, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing the allocation.")})
    with transaction.atomic():
        locked_unit = Unit.objects.select_for_update().get(pk=allocation.unit_id)
        if not can_allocate(actor, locked_unit):
            raise PermissionDenied(_("You may not allocate this unit's bonus."))
        row = BonusAllocation.objects.select_related("cadre__unit").filter(pk=allocation.pk).first()
        if row is None:
            raise ValidationError(_("Someone else was faster: the allocation is gone."))
        audit.record(
            "promotions.bonus.withdraw",
            actor=actor,
            obj=row,
            before={
                "unit": row.unit_id,
                "year": row.year,
                "cadre": row.cadre_id,
                "amount": yuan_text(row.amount),
            },
            reason=reason,
            authority_id=covering_authority_id(row.cadre),
        )
        row.delete()
