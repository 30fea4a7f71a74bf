"""年度考核结果 for the .lrmx export (registered with cadres.lrmx.sources in apps.py)."""

from __future__ import annotations

from django.utils import translation

from .enums import Grade
from .models import AnnualAssessment


def annual_results(cadre_ids: list[int]) -> dict[int, str]:
    """``2021年度：称职；2022年度：优秀。`` per cadre, oldest year first; one query."""
    rows = (
        AnnualAssessment.objects.filter(cadre_id__in=cadre_ids)
        .order_by("cadre_id", "year")
        .values_list("cadre_id", "year", "grade")
    )
    parts: dict[int, list[str]] = {}
    with translation.override("zh-hans"):
        for cadre_id, year, grade in rows:
            parts.setdefault(cadre_id, []).append(f"{year}年度：{Grade(grade).label}")
    return {cadre_id: "；".join(items) + "。" for cadre_id, items in parts.items()}
