"""Clearing a cadre of an accountability matter by another procedure (a clarification).

The clearing app calls `matter_clear` inside its own transaction; tolerance.effects then
reads tolerance.MatterClearance and never the clearing app's tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core import audit
from core.models import User

from .models import MatterClearance


def matter_clear(
    matter_id: int,
    cadre_id: int,
    *,
    actor: User | None,
    cleared_on: dt.date,
    source: str,
    source_id: int,
    authority_id: int | None = None,
) -> MatterClearance:
    """Record (once) that the matter no longer counts against the cadre; audited.

    Call inside the clearing service's transaction. A second call for the same matter and
    cadre keeps the first record and writes nothing.
    """
    clearance, created = MatterClearance.objects.get_or_create(
        matter_id=matter_id,
        cadre_id=cadre_id,
        defaults={
            "cleared_on": cleared_on,
            "source": source,
            "source_id": source_id,
            "created_by": actor,
        },
    )
    if created:
        audit.record(
            "tolerance.matter.clear",
            actor=actor,
            obj=clearance,
            after={
                "matter": matter_id,
                "cadre": cadre_id,
                "cleared_on": cleared_on.isoformat(),
                "source": f"{source}:{source_id}",
            },
            authority_id=authority_id,
        )
    return clearance


def cleared_pairs(matter_ids: Iterable[int], cadre_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(matter id, cadre id) pairs cleared by another procedure: one query."""
    rows = MatterClearance.objects.filter(
        matter_id__in=set(matter_ids), cadre_id__in=set(cadre_ids)
    ).values_list("matter_id", "cadre_id")
    return set(rows)
