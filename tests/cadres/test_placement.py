"""cadres.placement: the registry of copies of cadres' placement kept by other apps (the
commendations' copy is tested with its writes in tests/promotions/incentives/)."""

from __future__ import annotations

import pytest

from cadres import placement


@pytest.fixture
def copies(monkeypatch):
    """An empty registry for the test (the apps' own copies left aside)."""
    registry: dict = {}
    monkeypatch.setattr(placement, "COPIES", registry)
    return registry


def test_every_copy_is_refreshed_once_with_the_sorted_distinct_ids(copies):
    calls = []
    placement.register_placement_copy("a", lambda ids: calls.append(("a", ids)))
    placement.register_placement_copy("b", lambda ids: calls.append(("b", ids)))
    placement.placement_changed([7, 3, 7, 5])
    assert calls == [("a", [3, 5, 7]), ("b", [3, 5, 7])]


def test_registering_again_replaces_and_no_ids_refresh_nothing(copies):
    calls = []
    placement.register_placement_copy("a", lambda ids: calls.append(("first", ids)))
    placement.register_placement_copy("a", lambda ids: calls.append(("again", ids)))
    placement.placement_changed([])
    placement.placement_changed(iter([2]))
    assert calls == [("again", [2])]


def test_the_commendations_keep_a_copy():
    from promotions.incentives.placement import refresh_commendations

    assert refresh_commendations in placement.COPIES.values()
