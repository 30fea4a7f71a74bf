"""Copies of a cadre's placement (unit and management level) kept by other apps.

A list of another app's rows about cadres (the commendations, for one) is scoped by the
jurisdiction of each row's cadre. Joined to the million-row cadre table, the scope can
only be applied row by row after the join; copied onto the row itself, each access path
is one index condition in the list's order. The app keeping such a copy registers a
function here (from its AppConfig.ready) that writes the cadres' current unit and level
onto its rows; every write that moves a cadre or changes their level (cadres.services'
cadre_update and cadre_move, the roster import, the admin) calls `placement_changed`
inside its transaction, so the copy is never behind the cadre.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PlacementCopy = Callable[[list[int]], None]
"""Rewrites the copies of these cadres' placement (cadre ids) from the cadre table."""

COPIES: dict[str, PlacementCopy] = {}


def register_placement_copy(name: str, refresh: PlacementCopy) -> None:
    """Keep a copy of cadres' placements (call in AppConfig.ready; again is harmless)."""
    COPIES[name] = refresh


def placement_changed(cadre_ids: Iterable[int]) -> None:
    """These cadres' unit or management level changed: refresh every copy (call inside
    the transaction that changed them)."""
    ids = sorted(set(cadre_ids))
    if not ids:
        return
    for refresh in COPIES.values():
        refresh(ids)
