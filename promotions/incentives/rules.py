"""Pure incentive rules over plain values and the policy terms (no ORM): the top units'
bonus (seed 003) and a cadre's promotion eligibility, clause by clause (seed 000, 001, 003).

Each function returns a result that says which clause applied and on which facts, so that the
bonus and eligibility pages can explain themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from promotions.policy_data import Terms
from promotions.triggers.rules import GOOD_GRADES

# --------------------------------------------------------------- bonus


@dataclass(frozen=True)
class Bonus:
    amount: int  # 万元
    clause: str  # first_place / first_entry / base
    places: int = 0  # places gained (+) or lost (−) against last year


def bonus(rank: int, previous_rank: int | None, first_entry: bool, terms: Terms) -> Bonus:
    """Seed 003: first place and first-time entrants 100万元; the others 50万元 base
    ±10万元 per place gained or lost against last year (never below zero)."""
    if rank == 1:
        return Bonus(terms.bonus_first_place, "first_place")
    if first_entry:
        return Bonus(terms.bonus_first_entry, "first_entry")
    places = 0 if previous_rank is None else previous_rank - rank
    return Bonus(max(0, terms.bonus_base + terms.bonus_per_place * places), "base", places)


def top_units(ranks: Mapping[int, int], n: int) -> list[int]:
    """Units ranked 1…n, best first."""
    return [u for u, r in sorted(ranks.items(), key=lambda item: item[1]) if r <= n]


# --------------------------------------------------------------- eligibility (up)


@dataclass(frozen=True)
class MatterFact:
    matter_id: int
    title: str
    effect: str  # tolerance.effects.Effect value: counts / reduced / cleared


@dataclass(frozen=True)
class WarningFact:
    warning_id: int
    dimension: str
    raised_on: dt.date


@dataclass(frozen=True)
class Line:
    code: str
    status: str  # ok / blocked / priority / info
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    verdict: str  # Verdict value
    lines: tuple[Line, ...]
    exceptional: bool = False  # the priority route waives a threshold (破格)


def full_years(since: dt.date, as_of: dt.date) -> int:
    years = as_of.year - since.year
    if (as_of.month, as_of.day) < (since.month, since.day):
        years -= 1
    return max(0, years)


def eligibility(
    *,
    as_of: dt.date,
    rank_since: dt.date,
    grades: Mapping[int, str],
    warnings: Iterable[WarningFact],
    matters: Iterable[MatterFact],
    team_grade: str | None,
    terms: Terms,
) -> Explanation:
    """Promotion eligibility, rule by rule (seed 000, 001, 003).

    The last `grade_years` assessed years are those before `as_of`'s year. Each must be
    competent or better; with `excellent_needed` excellent grades too, the cadre has
    priority and may be promoted exceptionally (the years-in-rank threshold waived).
    """
    lines: list[Line] = []
    years = full_years(rank_since, as_of)
    short = years < terms.min_years_in_rank
    lines.append(
        Line(
            "years_in_rank",
            "blocked" if short else "ok",
            {"years": years, "minimum": terms.min_years_in_rank, "since": rank_since},
        )
    )
    window = list(range(as_of.year - terms.grade_years, as_of.year))
    shown = {y: grades.get(y) for y in window}
    all_good = all(g in GOOD_GRADES for g in shown.values())
    excellent = sum(1 for g in shown.values() if g == "excellent")
    strong = all_good and excellent >= terms.excellent_needed
    lines.append(
        Line(
            "grades",
            "priority" if strong else ("ok" if all_good else "blocked"),
            {"grades": shown, "excellent": excellent, "needed": terms.excellent_needed},
        )
    )
    warnings = list(warnings)
    lines.append(Line("warnings", "blocked" if warnings else "ok", {"warnings": warnings}))
    matters = list(matters)
    counting = [m for m in matters if m.effect != "cleared"]
    cleared = [m for m in matters if m.effect == "cleared"]
    lines.append(
        Line(
            "matters",
            "blocked" if counting else "ok",
            {"counting": counting, "cleared": cleared},
        )
    )
    good_team = team_grade is not None and team_grade == terms.team_priority_grade
    lines.append(Line("team", "priority" if good_team else "info", {"grade": team_grade}))

    blocking = [line.code for line in lines if line.status == "blocked"]
    exceptional = blocking == ["years_in_rank"] and strong
    if exceptional:
        verdict = "priority"
    elif blocking:
        verdict = "blocked"
    elif strong or good_team:
        verdict = "priority"
    else:
        verdict = "eligible"
    return Explanation(verdict, tuple(lines), exceptional)
