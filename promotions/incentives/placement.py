"""The commendations' copy of their cadre's placement (cadre_unit, cadre_level), kept equal
to the cadre's unit and management level (registered with cadres.placement, which every
write that moves a cadre calls). The list reads each jurisdiction from that copy through
one index (promotions.incentives.access.visible_commendation_paths)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from cadres.models import Cadre
from promotions.models import Commendation


def refresh_commendations(cadre_ids: list[int]) -> int:
    """Copy these cadres' current unit and level onto their commendations (one UPDATE);
    the number of commendations rewritten."""
    cadre = Cadre.objects.filter(pk=OuterRef("cadre_id"))
    return Commendation.objects.filter(cadre_id__in=cadre_ids).update(
        cadre_unit_id=Subquery(cadre.values("unit_id")[:1]),
        cadre_level=Subquery(cadre.values("management_level")[:1]),
    )
