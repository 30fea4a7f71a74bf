"""The yearly top counties / districts and their bonus, each computation shown (seed 003)."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import MonitoringRank
from promotions.policy_data import Terms

from . import rules


@dataclass(frozen=True)
class BonusRow:
    unit_name: str
    rank: int
    previous: int | None
    bonus: rules.Bonus
    unit_id: int = 0  # links the row to the unit's allocation page


def top_with_bonus(year: int, group: str, terms: Terms) -> list[BonusRow]:
    """Two queries: this year's top N, and every earlier top-N place of those units."""
    n = terms.top_counties if group == "county" else terms.top_districts
    top = list(
        MonitoringRank.objects.filter(year=year, group=group, rank__lte=n)
        .select_related("unit")
        .order_by("rank")
    )
    ids = [r.unit_id for r in top]
    earlier = MonitoringRank.objects.filter(group=group, unit_id__in=ids, year__lt=year)
    previous, entered = {}, set()
    for unit_id, y, rank in earlier.values_list("unit_id", "year", "rank"):
        if y == year - 1:
            previous[unit_id] = rank
        if rank <= n:
            entered.add(unit_id)
    return [
        BonusRow(
            r.unit.name,
            r.rank,
            previous.get(r.unit_id),
            rules.bonus(r.rank, previous.get(r.unit_id), r.unit_id not in entered, terms),
            r.unit_id,
        )
        for r in top
    ]
