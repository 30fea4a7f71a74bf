"""The commendations' copy of their cadre's placement (cadre_unit, cadre_level) follows
every write that moves a cadre or changes their level, so that the list's paths over the
copy select what visible_commendations (over the cadre) does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.enums import ManagementLevel, MoveType, Rank
from cadres.placement import placement_changed
from cadres.roster.importer import roster_import
from cadres.services import cadre_move, cadre_update
from promotions.incentives.access import visible_commendation_paths, visible_commendations
from promotions.incentives.placement import refresh_commendations
from promotions.models import Commendation
from tests.cadres.roster.test_importer import make_xlsx, row_of
from tests.promotions.incentives.test_commendations import recorded  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def copy(commendation):
    commendation.refresh_from_db()
    return commendation.cadre_unit_id, commendation.cadre_level


def through_paths(user) -> set[int]:
    union = set()
    for path in visible_commendation_paths(user):
        union |= set(Commendation.objects.filter(path).values_list("pk", flat=True))
    return union


def test_a_move_carries_the_commendation_to_the_new_jurisdiction(recorded, world, personas):  # noqa: F811
    a1, team, b1 = recorded
    cadre_move(
        world.cadre_a1,
        actor=personas.admin,
        move=MoveType.LATERAL,
        on=dt.date(2024, 8, 1),
        unit=world.township_b1,
        title="副主任",
        rank=Rank.SECTION_DEPUTY,
    )

    assert copy(a1) == (world.township_b1.pk, ManagementLevel.COUNTY)
    assert copy(b1) == (world.township_b1.pk, ManagementLevel.COUNTY)
    assert copy(team) == (None, "")
    assert a1.unit_id == world.township_a1.pk  # where the cadre was commended stays
    for name in ("clerk_a", "auditor", "hr_a1", "cadre_a1", "clerk_city", "discipline"):
        user = getattr(personas, name)
        assert through_paths(user) == set(
            visible_commendations(user).values_list("pk", flat=True)
        ), name
    assert through_paths(personas.clerk_a) == {team.pk}


def test_a_new_level_or_unit_through_cadre_update_is_copied(recorded, world, personas):  # noqa: F811
    a1, _team, _b1 = recorded
    cadre_update(
        world.cadre_a1,
        actor=personas.admin,
        changes={"unit": world.bureau, "management_level": ManagementLevel.CITY},
    )

    assert copy(a1) == (world.bureau.pk, ManagementLevel.CITY)
    assert through_paths(personas.clerk_city) == set(
        visible_commendations(personas.clerk_city).values_list("pk", flat=True)
    )
    assert a1.pk in through_paths(personas.clerk_city)


def test_other_changes_write_no_copy(recorded, world, personas):  # noqa: F811
    with CaptureQueriesContext(connection) as captured:
        cadre_update(world.cadre_a1, actor=personas.clerk_a, changes={"position": "镇长"})
    assert not [q for q in captured if "promotions_commendation" in q["sql"]]


def test_refresh_rewrites_only_the_cadres_commendations(recorded, world):  # noqa: F811
    a1, team, b1 = recorded
    Commendation.objects.update(cadre_unit=None, cadre_level="")

    assert refresh_commendations([world.cadre_a1.pk]) == 1
    assert (copy(a1), copy(team), copy(b1)) == (
        (world.township_a1.pk, ManagementLevel.COUNTY),
        (None, ""),
        (None, ""),
    )


def test_nothing_changed_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        placement_changed([])


def test_a_roster_import_moving_a_cadre_and_changing_their_level_is_copied(
    recorded,  # noqa: F811
    world,
    personas,
):
    a1, team, b1 = recorded
    data = make_xlsx([row_of(world.cadre_a1, {"单位代码": world.bureau.code, "管理权限": "市管"})])

    result = roster_import(data, actor=personas.admin, filename="move.xlsx")

    assert (result.errors, result.updated) == ([], 1)
    assert (copy(a1), copy(team), copy(b1)) == (
        (world.bureau.pk, ManagementLevel.CITY),
        (None, ""),
        (world.township_b1.pk, ManagementLevel.COUNTY),
    )
    assert a1.pk in through_paths(personas.clerk_city)


def test_a_unit_changed_in_the_admin_is_copied(recorded, world, personas, rf):  # noqa: F811
    from types import SimpleNamespace

    from django.contrib.admin.sites import site

    from cadres.models import Cadre

    a1, _team, _b1 = recorded
    cadre = Cadre.objects.get(pk=world.cadre_a1.pk)
    request = rf.post("/")
    request.user = personas.admin
    admin = site._registry[Cadre]
    Commendation.objects.filter(pk=a1.pk).update(cadre_unit=None, cadre_level="")
    cadre.position = "镇长"
    admin.save_model(request, cadre, SimpleNamespace(changed_data=["position"]), True)
    assert copy(a1) == (None, "")  # not a placement: nothing rewritten

    cadre.unit = world.township_b1
    admin.save_model(request, cadre, SimpleNamespace(changed_data=["unit"]), True)

    assert copy(a1) == (world.township_b1.pk, ManagementLevel.COUNTY)
