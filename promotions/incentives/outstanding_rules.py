"""十佳县(市、区)党政正职 (seed 003): pure scoring of the county principals' weighted results.

Seed 003: "每年结合各项考核结果,按照一定权重,综合评定出10名优秀县(市、区)党政正职" — the
results named as the basis of incentives are the annual target-responsibility assessment,
the county economic and social development monitoring, and the poverty-alleviation
performance of poor counties. The components chosen here, each scored 0…100:

- ``target``: the county's target-responsibility grade, points per grade (policy data);
- ``monitoring``: the place in its group's monitoring rank, 100 for first, 0 for last,
  linear between (100 × (ranked − rank) / (ranked − 1));
- ``rank_gain``: 50 plus the policy's points per place gained against last year
  (minus per place lost), kept within 0…100; only when the county was ranked last year;
- ``poverty``: 100 when the year's reduction target was met, 0 when missed; only for
  counties with a target (poor counties).

The score is the weighted mean over the components that apply (weights are policy data);
target grade and monitoring rank are required, without them a principal is not ranked.
No ORM here.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from promotions.policy_data import PolicyDataError

COMPONENTS = ("target", "monitoring", "rank_gain", "poverty")
REQUIRED = ("target", "monitoring")


@dataclass(frozen=True)
class OutstandingTerms:
    count: int
    weights: dict[str, int]
    target_points: dict[str, int]
    points_per_place: int


def _whole(value: Any, name: str, *, top: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PolicyDataError(f"{name} must be a whole number ≥ 0")
    if top is not None and value > top:
        raise PolicyDataError(f"{name} must be at most {top}")
    return value


def outstanding_terms(content: Any) -> OutstandingTerms:
    """The `outstanding` section of a promotions policy version's content."""
    section = content.get("outstanding") if isinstance(content, dict) else None
    if not isinstance(section, dict):
        raise PolicyDataError("the policy has no 'outstanding' section")
    try:
        weights = {c: _whole(section["weights"][c], f"weights.{c}") for c in COMPONENTS}
        points = {
            str(g): _whole(p, f"target_points.{g}", top=100)
            for g, p in section["target_points"].items()
        }
        terms = OutstandingTerms(
            count=_whole(section["count"], "count"),
            weights=weights,
            target_points=points,
            points_per_place=_whole(section["points_per_place_gained"], "points_per_place_gained"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise PolicyDataError(f"outstanding section is malformed: {exc}") from exc
    if not all(weights[c] for c in REQUIRED):
        raise PolicyDataError("the target and monitoring weights must be above zero")
    return terms


@dataclass(frozen=True)
class UnitResults:
    """One county's or district's results of the year (plain values)."""

    target_grade: str | None
    rank: int | None
    ranked: int | None  # how many units its group ranked that year
    previous_rank: int | None = None
    poverty_met: bool | None = None  # None: no poverty-reduction target


@dataclass(frozen=True)
class Component:
    code: str
    weight: int
    points: Fraction | None  # None: does not apply
    facts: dict = field(default_factory=dict)

    @property
    def applies(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class Score:
    total: Decimal | None  # None: a required result is missing, not ranked
    components: tuple[Component, ...]
    missing: tuple[str, ...] = ()


def monitoring_points(rank: int, ranked: int) -> Fraction:
    if ranked <= 1:
        return Fraction(100)
    return Fraction(100 * (ranked - min(rank, ranked)), ranked - 1)


def rank_gain_points(previous: int, rank: int, per_place: int) -> Fraction:
    return Fraction(max(0, min(100, 50 + per_place * (previous - rank))))


def _round(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def outstanding_score(results: UnitResults, terms: OutstandingTerms) -> Score:
    w = terms.weights
    target = None
    if results.target_grade is not None and results.target_grade in terms.target_points:
        target = Fraction(terms.target_points[results.target_grade])
    monitoring = None
    if results.rank is not None and results.ranked:
        monitoring = monitoring_points(results.rank, results.ranked)
    gain = None
    if results.rank is not None and results.previous_rank is not None:
        gain = rank_gain_points(results.previous_rank, results.rank, terms.points_per_place)
    gained = None
    if gain is not None:
        gained = results.previous_rank - results.rank  # type: ignore[operator]
    poverty = None
    if results.poverty_met is not None:
        poverty = Fraction(100 if results.poverty_met else 0)
    components = (
        Component("target", w["target"], target, {"grade": results.target_grade}),
        Component(
            "monitoring",
            w["monitoring"],
            monitoring,
            {"rank": results.rank, "ranked": results.ranked},
        ),
        Component(
            "rank_gain",
            w["rank_gain"],
            gain,
            {
                "previous": results.previous_rank,
                "rank": results.rank,
                "gained": gained,
                "per_place": terms.points_per_place,
            },
        ),
        Component("poverty", w["poverty"], poverty, {"met": results.poverty_met}),
    )
    missing = tuple(c.code for c in components if c.code in REQUIRED and not c.applies)
    if missing:
        return Score(None, components, missing)
    used = [c for c in components if c.applies and c.weight]
    weight = sum(c.weight for c in used)
    total = sum((c.weight * c.points for c in used), Fraction(0)) / weight
    return Score(_round(total), components)


def places(scores: Mapping[Hashable, Decimal | None]) -> dict[Hashable, int]:
    """Competition places (1, 2, 2, 4 …) of the scored keys; unscored keys get none."""
    scored = [s for s in scores.values() if s is not None]
    return {
        key: 1 + sum(1 for other in scored if other > s)
        for key, s in scores.items()
        if s is not None
    }


def chosen(place: int | None, count: int) -> bool:
    """Among the best `count`: ties at the last place are all chosen."""
    return place is not None and place <= count
