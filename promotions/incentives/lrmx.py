"""奖惩情况 for the .lrmx export (registered with cadres.lrmx.sources in apps.py)."""

from __future__ import annotations

from django.utils import translation

from promotions.models import Commendation


def commendation_lines(cadre_ids: list[int]) -> dict[int, str]:
    """``2023.03 中共甲县县委 嘉奖（甲发〔2023〕1号）`` per commendation, one per line."""
    rows = Commendation.objects.filter(cadre_id__in=cadre_ids).order_by(
        "cadre_id", "granted_on", "id"
    )
    lines: dict[int, list[str]] = {}
    with translation.override("zh-hans"):
        for row in rows:
            ref = f"（{row.document_ref}）" if row.document_ref else ""
            text = f"{row.granted_on:%Y.%m} {row.granted_by}{row.get_kind_display()}{ref}"
            lines.setdefault(row.cadre_id, []).append(text)
    return {cadre_id: "\n".join(items) for cadre_id, items in lines.items()}
