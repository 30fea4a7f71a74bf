"""The yearly ranking of county and district principals (十佳县(市、区)党政正职, seed 003):
the units' results read in a fixed number of queries, scored by promotions.outstanding_rules.

Principal leaders are those of promotions.triggers.scan.principal_leaders (serving leadership posts
holding the unit's highest rank, both the Party secretary and the county head), as the
roster stands today.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import MonitoringRank, PovertyTarget, TargetAssessment
from cadres.models import Cadre
from promotions.triggers.scan import principal_leaders

from .outstanding_rules import (
    OutstandingTerms,
    Score,
    UnitResults,
    chosen,
    outstanding_score,
    places,
)


@dataclass(frozen=True)
class PrincipalRow:
    place: int | None
    chosen: bool
    cadre_id: int
    name: str
    position: str
    unit_id: int
    unit_name: str
    group: str
    results: UnitResults
    score: Score


def unit_results(year: int) -> dict[int, tuple[str, str, UnitResults]]:
    """unit id → (unit name, group, results) for every unit ranked in `year` (3 queries)."""
    ranks = list(
        MonitoringRank.objects.filter(year__in=[year - 1, year]).values_list(
            "unit_id", "unit__name", "group", "year", "rank"
        )
    )
    this = {u: (name, g, r) for u, name, g, y, r in ranks if y == year}
    before = {(u, g): r for u, _n, g, y, r in ranks if y == year - 1}
    ranked: dict[str, int] = {}
    for _name, group, _rank in this.values():
        ranked[group] = ranked.get(group, 0) + 1
    ids = list(this)
    grades = dict(
        TargetAssessment.objects.filter(unit_id__in=ids, year=year).values_list("unit_id", "grade")
    )
    poverty = {
        u: (achieved >= target if achieved is not None else None)
        for u, target, achieved in PovertyTarget.objects.filter(
            unit_id__in=ids, year=year
        ).values_list("unit_id", "target", "achieved")
    }
    return {
        u: (
            name,
            group,
            UnitResults(
                target_grade=grades.get(u),
                rank=rank,
                ranked=ranked[group],
                previous_rank=before.get((u, group)),
                poverty_met=poverty.get(u),
            ),
        )
        for u, (name, group, rank) in this.items()
    }


def outstanding_ranking(year: int, terms: OutstandingTerms) -> list[PrincipalRow]:
    """Every principal of a ranked unit, best first; unscored (missing results) last.
    Five queries."""
    units = unit_results(year)
    scores = {u: outstanding_score(results, terms) for u, (_n, _g, results) in units.items()}
    leaders = principal_leaders(list(units))
    people = {
        pk: (name, position)
        for pk, name, position in Cadre.objects.filter(
            pk__in=[pk for ids in leaders.values() for pk in ids]
        ).values_list("pk", "name", "position")
    }
    keys = {(u, pk): scores[u].total for u, ids in leaders.items() for pk in ids}
    place = places(keys)
    rows = [
        PrincipalRow(
            place=place.get((u, pk)),
            chosen=chosen(place.get((u, pk)), terms.count),
            cadre_id=pk,
            name=people[pk][0],
            position=people[pk][1],
            unit_id=u,
            unit_name=units[u][0],
            group=units[u][1],
            results=units[u][2],
            score=scores[u],
        )
        for (u, pk) in keys
    ]
    rows.sort(key=lambda r: (r.place is None, r.place or 0, r.unit_name, r.cadre_id))
    return rows
