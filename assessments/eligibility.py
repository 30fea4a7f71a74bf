"""What other apps ask of assessments (promotions: eligibility and evidence).

`open_warnings(cadre_ids)`: an open check-up warning blocks promotion eligibility until
it is resolved (seed 001: no promotion "while ill", 带病提拔). `annual_grades(cadre_ids)`:
each cadre's grades by year (e.g. "competent or better in each of the last 3 years and
excellent at least twice", seed 000). One query each, whatever the number of cadres.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .models import AnnualAssessment, CheckupWarning


@dataclass(frozen=True)
class OpenWarning:
    warning_id: int
    dimension: str
    raised_on: dt.date
    reason: str


def open_warnings(cadre_ids: Iterable[int]) -> dict[int, list[OpenWarning]]:
    """cadre id → their unresolved warnings, oldest first; cadres without any are absent."""
    found: dict[int, list[OpenWarning]] = defaultdict(list)
    rows = (
        CheckupWarning.objects.filter(cadre_id__in=list(cadre_ids), resolved_on__isnull=True)
        .order_by("cadre_id", "raised_on", "pk")
        .values_list("cadre_id", "pk", "dimension", "raised_on", "reason")
    )
    for cadre_id, pk, dimension, raised_on, reason in rows:
        found[cadre_id].append(OpenWarning(pk, dimension, raised_on, reason))
    return dict(found)


def annual_grades(
    cadre_ids: Iterable[int], years: Iterable[int] | None = None
) -> dict[int, dict[int, str]]:
    """cadre id → year → grade (Grade values)."""
    rows = AnnualAssessment.objects.filter(cadre_id__in=list(cadre_ids))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for cadre_id, year, grade in rows.values_list("cadre_id", "year", "grade"):
        found[cadre_id][year] = grade
    return dict(found)
