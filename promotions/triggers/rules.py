"""Pure trigger rules of an adjustment (能下) over plain values and the policy terms (no ORM):
the unit-level triggers (seed 003) and Jinan's individual grade trigger (seed 000).

Each function returns a Firing that says which clause fired and on which facts, so that the
proposal can explain itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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


# --------------------------------------------------------------- individual grade 不称职


def incompetent_grade_trigger(
    grade: str | None,
    year: int,
    *,
    exempted_matters: int,
    exemption_reason: str,
    grades: frozenset[str],
) -> Firing | None:
    """An annual grade the policy names (default 不称职) proposes the cadre's adjustment.

    Tolerance (seed 003): a cadre exempted for a matter of that year is "not affected in
    assessment". A low grade in such a year counts only when the assessment records why it
    stands despite the exemption (assessments.rules.needs_exemption_reason); without that
    reason nothing fires. An empty `grades` (rule not in the policy version) never fires.
    """
    if grade is None or grade not in grades:
        return None
    if exempted_matters > 0 and not exemption_reason.strip():
        return None
    clause = "grade.incompetent_despite_exemption" if exempted_matters else "grade.incompetent"
    return Firing(clause, (year,))
