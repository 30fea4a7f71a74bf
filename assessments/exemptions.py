"""Exempted accountability matters per cadre and year, asked of the tolerance app.

An accountability matter counts for the year it occurred in (AccountabilityMatter
.occurred_on); tolerance.effects.matter_effects says whether it was exempted (CLEARED).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tolerance.effects import Effect, matter_effects
from tolerance.models import AccountabilityMatter


@dataclass(frozen=True)
class Exemption:
    matter_id: int
    title: str
    occurred_on: dt.date
    case_id: int | None


def exemptions_in_year(cadre_ids: Iterable[int], year: int) -> dict[int, list[Exemption]]:
    """cadre id → the exempted matters of that year (two queries for any number)."""
    cadre_ids = list(cadre_ids)
    if not cadre_ids:
        return {}
    through = AccountabilityMatter.cadres.through
    rows = list(
        through.objects.filter(
            cadre_id__in=cadre_ids,
            accountabilitymatter__occurred_on__gte=dt.date(year, 1, 1),
            accountabilitymatter__occurred_on__lte=dt.date(year, 12, 31),
        ).values_list(
            "cadre_id",
            "accountabilitymatter_id",
            "accountabilitymatter__title",
            "accountabilitymatter__occurred_on",
        )
    )
    if not rows:
        return {}
    effects = matter_effects((matter, cadre) for cadre, matter, _t, _d in rows)
    found: dict[int, list[Exemption]] = defaultdict(list)
    for cadre, matter, title, occurred_on in rows:
        effect = effects[(matter, cadre)]
        if effect.effect == Effect.CLEARED:
            found[cadre].append(Exemption(matter, title, occurred_on, effect.case_id))
    return dict(found)
