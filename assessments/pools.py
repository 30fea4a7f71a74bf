"""Loading a unit's pool (合并计算) for a year: the small units under the same superior unit
and their grades (three queries); the arithmetic is assessments.pooling's."""

from __future__ import annotations

from django.db.models import Count, Q

from cadres.enums import CadreStatus
from cadres.models import Cadre, Unit

from .enums import Grade
from .models import AnnualAssessment, QuotaPolicy
from .pooling import PoolCheck, PoolMember, pool_check, pooled


def pool_superior(unit: Unit, level: str) -> Unit | None:
    """The nearest unit of kind `level` above `unit` (or `unit` itself)."""
    step = Unit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    return Unit.objects.filter(path__in=paths, kind=level).order_by("-depth").first()


def unit_pool(
    unit: Unit,
    year: int,
    policy: QuotaPolicy | None,
    *,
    graded: int,
    excellent: int,
    lock: bool = False,
) -> PoolCheck | None:
    """The pool `unit` belongs to in `year`, with its own counts as given (the grades about
    to be saved); None when the policy does not pool or the unit is too large to pool.
    `lock`: lock the superior unit's row, so that two units of one pool save one at a time."""
    rule = policy.pool_rule() if policy is not None else None
    if not pooled(rule, graded):
        return None
    superior = pool_superior(unit, rule.level)
    if superior is None:
        return None
    if lock:
        Unit.objects.select_for_update().filter(pk=superior.pk).first()
    rows = (
        AnnualAssessment.objects.filter(
            year=year, unit__path__startswith=superior.path, unit__kind=unit.kind
        )
        .exclude(unit=unit)
        .values("unit_id", "unit__name")
        .annotate(
            graded=Count("pk", filter=~Q(grade=Grade.NOT_GRADED)),
            excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)),
        )
        .order_by()
    )
    members = {
        r["unit_id"]: PoolMember(r["unit_id"], r["unit__name"], r["graded"], r["excellent"])
        for r in rows
    }
    # A unit of the pool that has entered no grade yet counts with the cadres on its roll,
    # so that the first unit to enter its grades is not judged on its own headcount alone.
    on_roll = (
        Cadre.objects.filter(
            unit__path__startswith=superior.path,
            unit__kind=unit.kind,
            status__in=(CadreStatus.SERVING, CadreStatus.SUSPENDED),
        )
        .exclude(unit=unit)
        .exclude(unit_id__in=list(members))
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in on_roll:
        members[r["unit_id"]] = PoolMember(r["unit_id"], r["unit__name"], r["n"], 0)
    members[unit.pk] = PoolMember(unit.pk, unit.name, graded, excellent)
    return pool_check(rule, superior.name, members.values(), policy.terms())
    return pool_check(rule, superior.name, members, policy.terms())
