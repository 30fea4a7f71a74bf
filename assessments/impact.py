"""Impact before publishing a quota row: the quota outcomes of the last assessment year with
grades under the draft against the rows in force.

Read-only and set-based: one grouped query counts each unit's graded and excellent cadres of
that year, one query reads the units' ancestors (jurisdiction codes, pool superiors); the
places are the pure assessments.rules.excellent_quota (and assessments.pooling's rule for
pooled small units). Only the units the draft would govern are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from cadres.models import Unit

from .enums import Grade
from .models import AnnualAssessment, QuotaPolicy, QuotaStatus
from .policies import policy_in_force
from .rules import excellent_quota


@dataclass(frozen=True)
class Places:
    """Excellent places under one rule: the unit's own, or its pool's (pool named)."""

    allowed: int
    excellent: int  # excellent granted in the unit, or in the whole pool
    pool: str = ""  # the superior unit's name when pooled

    @property
    def over(self) -> bool:
        return self.excellent > self.allowed

    @property
    def unused(self) -> int:
        return max(self.allowed - self.excellent, 0)


@dataclass(frozen=True)
class UnitOutcome:
    unit_id: int
    name: str
    graded: int
    excellent: int
    in_force: Places | None  # None: no rule in force for the unit (no excellent allowed)
    draft: Places

    @property
    def changed(self) -> bool:
        before = self.in_force.allowed if self.in_force else 0
        return before != self.draft.allowed


@dataclass
class QuotaImpact:
    year: int | None
    rows: list[UnitOutcome]

    @property
    def over(self) -> list[UnitOutcome]:
        return [r for r in self.rows if r.draft.over]

    @property
    def places_in_force(self) -> int:
        return sum(r.in_force.allowed for r in self.rows if r.in_force and not r.in_force.pool)

    @property
    def places_draft(self) -> int:
        return sum(r.draft.allowed for r in self.rows if not r.draft.pool)


def _key(row: QuotaPolicy) -> tuple[str, str, int]:
    return (row.jurisdiction_code, row.unit_kind, row.from_year)


def _places(rule_of, rows, superiors, year: int) -> dict[int, Places | None]:
    """Each unit's places under `rule_of(row)` (a QuotaPolicy or None), pooling the small
    units of a pooling rule under their superior unit of the rule's level."""
    found: dict[int, Places | None] = {}
    pools: dict[tuple, list] = {}
    for row in rows:
        rule = rule_of(row)
        if rule is None:
            found[row["unit_id"]] = None
            continue
        pool = rule.pool_rule()
        superior = superiors(row["unit__path"], pool.level) if pool else None
        if pool is not None and superior is not None and row["graded"] < pool.below:
            pools.setdefault((rule.pk or id(rule), superior), []).append((row, rule))
            continue
        quota = excellent_quota(row["graded"], rule.terms())
        found[row["unit_id"]] = Places(quota.allowed, row["excellent"])
    for (_rule, superior), members in pools.items():
        rule = members[0][1]
        quota = excellent_quota(sum(r["graded"] for r, _ in members), rule.terms())
        excellent = sum(r["excellent"] for r, _ in members)
        for r, _ in members:
            found[r["unit_id"]] = Places(quota.allowed, excellent, superior[1])
    return found


def draft_quota_impact(draft: QuotaPolicy) -> QuotaImpact:
    """The last assessment year's quota outcomes of the units `draft` would govern."""
    published = list(QuotaPolicy.objects.filter(status=QuotaStatus.PUBLISHED))
    with_draft = [p for p in published if _key(p) != _key(draft)] + [draft]
    year = AnnualAssessment.objects.exclude(grade=Grade.NOT_GRADED).aggregate(y=Max("year"))["y"]
    if year is None:
        return QuotaImpact(None, [])
    grades = AnnualAssessment.objects.filter(year=year)
    if draft.unit_kind:
        grades = grades.filter(unit__kind=draft.unit_kind)
    if draft.jurisdiction_code:
        top = (
            Unit.objects.filter(code=draft.jurisdiction_code)
            .order_by("depth")
            .values_list("path", flat=True)
            .first()
        )
        grades = grades.filter(unit__path__startswith=top) if top else grades.none()
    rows = list(
        grades.values("unit_id", "unit__name", "unit__kind", "unit__path")
        .annotate(
            graded=Count("pk", filter=~Q(grade=Grade.NOT_GRADED)),
            excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)),
        )
        .order_by("unit__path")
    )
    step = Unit.steplen
    ancestors = {p[:end] for r in rows for p in [r["unit__path"]]
                 for end in range(step, len(p) + 1, step)}
    units = {
        path: (code, kind, name, pk)
        for path, code, kind, name, pk in Unit.objects.filter(path__in=ancestors).values_list(
            "path", "code", "kind", "name", "pk"
        )
    } if rows else {}

    def up(path: str):
        return [units[path[:end]] for end in range(len(path), 0, -step) if path[:end] in units]

    def codes(path: str) -> tuple[str, ...]:
        return tuple(code for code, _k, _n, _pk in up(path) if code)

    def superiors(path: str, level: str):
        return next(((pk, name) for _c, kind, name, pk in up(path) if kind == level), None)

    def in_force(row):
        return policy_in_force(row["unit__kind"], year, published, codes(row["unit__path"]))

    def under_draft(row):
        return policy_in_force(row["unit__kind"], year, with_draft, codes(row["unit__path"]))

    governed = [r for r in rows if under_draft(r) is draft]
    before = _places(in_force, governed, superiors, year)
    after = _places(under_draft, governed, superiors, year)
    return QuotaImpact(
        year,
        [
            UnitOutcome(r["unit_id"], r["unit__name"], r["graded"], r["excellent"],
                        before[r["unit_id"]], after[r["unit_id"]])
            for r in governed
        ],
    )
