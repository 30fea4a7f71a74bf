"""Pure up/down rules over plain values and the policy terms (no ORM).

Each function returns a result that says which clause fired and on which facts, so that the
proposal and the eligibility page can explain themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from promotions.policy_data import CountRule, Terms

GOOD_GRADES = frozenset({"excellent", "competent"})


@dataclass(frozen=True)
class Firing:
    """A trigger that fired: the clause code and the facts (years or evidence ids) it used."""

    clause: str
    years: tuple[int, ...] = ()
    evidence: tuple[int, ...] = ()


# --------------------------------------------------------------- unit-level triggers


def consecutive_run(flagged_years: Iterable[int], year: int, length: int) -> tuple[int, ...] | None:
    """The years year-length+1 … year when every one is flagged, else None."""
    if length < 1:
        return None
    wanted = tuple(range(year - length + 1, year + 1))
    flagged = set(flagged_years)
    return wanted if all(y in flagged for y in wanted) else None


def target_trigger(grades: Mapping[int, str], year: int, terms: Terms) -> Firing | None:
    """Area 1: 较差 this year (poor_years running), or 一般 `average_years` running."""
    poor = consecutive_run(
        [y for y, g in grades.items() if g == "poor"], year, terms.target_poor_years
    )
    if poor:
        return Firing("target.poor", poor)
    average = consecutive_run(
        [y for y, g in grades.items() if g == "average"], year, terms.target_average_years
    )
    if average:
        return Firing("target.average", average)
    return None


def largest_drops(changes: Mapping[int, int | None], n: int) -> set[int]:
    """Units among the `n` largest rank drops of one group and year; ties share a place.

    `changes` maps unit → places gained (negative: lost; None: not ranked last year). A unit
    is among the n largest when fewer than n units dropped strictly more; only real drops.
    """
    drops = {unit: -places for unit, places in changes.items() if places is not None and places < 0}
    return {u for u, d in drops.items() if sum(1 for other in drops.values() if other > d) < n}


def monitoring_trigger(
    years_among_largest: Iterable[int], year: int, terms: Terms
) -> Firing | None:
    """Area 2: among the largest drops in each of `monitoring_years` years running."""
    run = consecutive_run(years_among_largest, year, terms.monitoring_years)
    return Firing("monitoring.drops", run) if run else None


def poverty_trigger(met: bool | None, year: int) -> Firing | None:
    """Area 3: the year's reduction target not met (no result yet: nothing fires)."""
    return Firing("poverty.missed", (year,)) if met is False else None


# --------------------------------------------------------------- incident triggers


@dataclass(frozen=True)
class IncidentFact:
    incident_id: int
    severity: str
    counts: bool = True  # False when a tolerance ruling exempted the leader's matter
    handled_in_time: bool | None = None
    secondary_disaster: bool | None = None
    criticized_by: str = ""


def _counting(incidents: Iterable[IncidentFact]) -> list[IncidentFact]:
    return [i for i in incidents if i.counts]


def environment_trigger(incidents: Iterable[IncidentFact], terms: Terms) -> Firing | None:
    """Area 4: a serious event not handled in time, or mishandled into a secondary disaster."""
    hits = [
        i.incident_id
        for i in _counting(incidents)
        if i.severity in terms.environment_severities
        and (i.handled_in_time is False or i.secondary_disaster is True)
    ]
    return Firing("environment.mishandled", evidence=tuple(sorted(hits))) if hits else None


def count_trigger(incidents: Iterable[IncidentFact], rule: CountRule, area: str) -> Firing | None:
    """Areas 5 and 6: in one year, at least the policy's count of one severity.

    Defaults: one especially serious, or two serious. The caller passes one year's incidents.
    """
    counting = _counting(incidents)
    per = Counter(i.severity for i in counting)
    for severity, needed in rule.per_year.items():
        if needed and per[severity] >= needed:
            ids = sorted(i.incident_id for i in counting if i.severity == severity)
            return Firing(f"{area}.{severity}", evidence=tuple(ids))
    return None


def party_trigger(incidents: Iterable[IncidentFact], terms: Terms) -> Firing | None:
    """Area 7: a violation with circulated criticism by the central or provincial body."""
    hits = [i.incident_id for i in _counting(incidents) if i.criticized_by in terms.criticized_by]
    return Firing("party_building.criticized", evidence=tuple(sorted(hits))) if hits else None


# --------------------------------------------------------------- bonus (incentives)


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
