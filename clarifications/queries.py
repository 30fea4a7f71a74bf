"""Reads other apps and pages need: a cadre's clarifications, statistics per year and
authority. (A clarification clears a matter through tolerance.clearances.matter_clear.)"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from .enums import PetitionOutcome
from .models import Clarification, Petition


def cadre_clarifications(cadre) -> QuerySet[Clarification]:
    """The clarifications held for a cadre (the cadre timeline lists them)."""
    return Clarification.objects.filter(petition__cadre=cadre).select_related(
        "petition", "document"
    )


@dataclass(frozen=True)
class YearRow:
    year: int
    authority: str
    clarifications: int
    false_accusations: int


def statistics(petitions) -> list[YearRow]:
    """Clarifications (by the year held) and false-accusation findings (by the year
    concluded) per year and handling authority, over the given petitions: two queries."""
    clarified = (
        Clarification.objects.filter(petition__in=petitions)
        .annotate(year=ExtractYear("held_on"))
        .values_list("year", "petition__authority__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    false = (
        petitions.filter(outcome=PetitionOutcome.FALSE_ACCUSATION, concluded_on__isnull=False)
        .annotate(year=ExtractYear("concluded_on"))
        .values_list("year", "authority__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[tuple[int, str], list[int]] = {}
    for year, authority, n in clarified:
        table.setdefault((year, authority), [0, 0])[0] += n
    for year, authority, n in false:
        table.setdefault((year, authority), [0, 0])[1] += n
    return [
        YearRow(year, authority, counts[0], counts[1])
        for (year, authority), counts in sorted(table.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    ]


__all__ = ["Petition", "YearRow", "cadre_clarifications", "statistics"]
