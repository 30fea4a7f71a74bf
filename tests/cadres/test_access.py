"""cadres.access: a user's reach as id lists, once per request and cached across requests
until units, authorities, grants or the user change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from cadres import access
from cadres.access import Reach, reach_of
from cadres.enums import ManagementLevel
from cadres.models import Cadre
from cadres.permissions import readable_units, visible_cadres
from core.enums import Role
from tests.factories import CadreFactory, fresh_user, make_unit, make_user
from workbench.nav import remember_user

pytestmark = pytest.mark.django_db


def test_reach_of_a_county_clerk_is_the_county_subtree_at_county_level(world, personas):
    reach = reach_of(personas.clerk_a)
    units = tuple(sorted([world.county_a.pk, world.township_a1.pk]))
    assert reach == Reach(
        jurisdiction=((ManagementLevel.COUNTY, units),), hr_units=(), cadres=(), units=units
    )


def test_reach_of_unit_hr_and_of_the_cadre(world, personas):
    assert reach_of(personas.hr_a1).hr_units == (world.township_a1.pk,)
    assert reach_of(personas.hr_a1).jurisdiction == ()
    assert reach_of(personas.cadre_a1).cadres == (world.cadre_a1.pk,)
    assert reach_of(personas.admin).everything
    assert reach_of(personas.outsider) == Reach()


def test_reach_is_resolved_once_per_request(world, personas, django_assert_num_queries):
    user = fresh_user(personas.clerk_a)
    reach_of(user)
    with django_assert_num_queries(0):
        assert reach_of(user) is reach_of(user)


def test_reach_is_cached_across_requests(cached, world, personas, django_assert_num_queries):
    first = reach_of(fresh_user(personas.clerk_a))
    user = fresh_user(personas.clerk_a)
    user.roles  # noqa: B018 (the groups query, which every request makes anyway)
    with django_assert_num_queries(0):
        assert reach_of(user) == first


def test_a_new_unit_is_in_reach_at_once(cached, world, personas):
    reach_of(fresh_user(personas.clerk_a))
    village = make_unit("新村", parent=world.township_a1)
    cadre = CadreFactory(name="新人", unit=village)
    user = fresh_user(personas.clerk_a)
    assert village.pk in reach_of(user).units
    assert list(visible_cadres(user).filter(pk=cadre.pk)) == [cadre]
    assert readable_units(user).filter(pk=village.pk).exists()


def test_a_new_authority_root_is_in_reach_at_once(cached, world, personas):
    reach_of(fresh_user(personas.clerk_a))
    world.county_a_org.root_units.add(world.county_b)
    assert world.township_b1.pk in reach_of(fresh_user(personas.clerk_a)).units


def test_a_changed_management_level_is_in_reach_at_once(cached, world, personas):
    reach_of(fresh_user(personas.clerk_a))
    world.county_a_org.management_levels = [ManagementLevel.CITY]
    world.county_a_org.save()
    levels = [level for level, _units in reach_of(fresh_user(personas.clerk_a)).jurisdiction]
    assert levels == [ManagementLevel.CITY]


def test_losing_an_authority_takes_the_reach_away_at_once(cached, world, personas):
    reach_of(fresh_user(personas.clerk_a))
    personas.clerk_a.authorities.clear()
    user = fresh_user(personas.clerk_a)
    assert reach_of(user).jurisdiction == ()
    assert not visible_cadres(user).exists()


def test_a_changed_unit_of_an_hr_officer_is_in_reach_at_once(cached, world, personas):
    reach_of(fresh_user(personas.hr_a1))
    personas.hr_a1.unit = world.township_b1
    personas.hr_a1.save()
    assert reach_of(fresh_user(personas.hr_a1)).hr_units == (world.township_b1.pk,)


def test_a_grant_is_seen_at_once_with_the_cache_on(cached, world, personas):
    user = make_user("granted", Role.INTAKE_CLERK)
    assert not visible_cadres(fresh_user(user)).exists()
    assign_perm("cadres.view_cadre", user, world.cadre_b1)
    assert list(visible_cadres(fresh_user(user))) == [world.cadre_b1]
    assert readable_units(fresh_user(user)).filter(pk=world.township_b1.pk).exists()


@pytest.mark.parametrize(
    "persona", ["clerk_a", "clerk_city", "discipline", "hr_a1", "cadre_a1", "auditor", "outsider"]
)
def test_the_paths_select_what_visible_cadres_selects(world, personas, persona):
    """visible_cadre_paths (id lists, for lists) and visible_cadres (one condition) are the
    same rule: every persona sees the same cadres through both, grants included."""
    from cadres.permissions import visible_cadre_paths

    CadreFactory(name="市管", unit=world.township_a1, management_level=ManagementLevel.CITY)
    user = getattr(personas, persona)
    assign_perm("cadres.view_cadre", personas.auditor, world.cadre_b1)
    user = fresh_user(user)
    through_paths = set()
    for path in visible_cadre_paths(user):
        through_paths |= set(Cadre.objects.filter(path).values_list("name", flat=True))
    assert through_paths == set(visible_cadres(user).values_list("name", flat=True))


def test_a_renamed_group_changes_its_members_roles_at_once(cached, world, personas):
    assert Role.INTAKE_CLERK in remember_user(fresh_user(personas.clerk_a)).roles
    group = Group.objects.get(name=Role.INTAKE_CLERK)
    group.name = "retired-intake"
    group.save()
    assert remember_user(fresh_user(personas.clerk_a)).roles == frozenset({"retired-intake"})
    group.delete()
    assert remember_user(fresh_user(personas.clerk_a)).roles == frozenset()


@pytest.mark.parametrize(
    "persona", ["clerk_a", "clerk_city", "discipline", "hr_a1", "cadre_a1", "auditor", "outsider"]
)
def test_the_paths_select_what_visible_cadres_selects_with_the_cache_on(
    cached, world, personas, persona
):
    """The same with the cross-request cache on, where a user known to hold no grant gets
    no grant paths: before and after a grant, directly and through a group."""
    from django.contrib.auth.models import Group

    from cadres.permissions import visible_cadre_paths

    def same(user):
        through_paths = set()
        for path in visible_cadre_paths(user):
            through_paths |= set(Cadre.objects.filter(path).values_list("name", flat=True))
        assert through_paths == set(visible_cadres(user).values_list("name", flat=True))

    user = getattr(personas, persona)
    same(fresh_user(user))
    assign_perm("cadres.view_cadre", user, world.cadre_b1)
    same(fresh_user(user))
    group = Group.objects.create(name="granted readers")
    assign_perm("cadres.view_cadre", group, world.cadre_city)
    user.groups.add(group)
    same(fresh_user(user))


def test_a_user_without_grants_has_no_grant_paths_with_the_cache_on(cached, world, personas):
    from cadres.permissions import visible_cadre_paths

    assert reach_of(fresh_user(personas.clerk_a)).view_grants is False
    assert len(visible_cadre_paths(fresh_user(personas.clerk_a))) == 1
    assign_perm("cadres.view_cadre", personas.clerk_a, world.cadre_b1)
    user = fresh_user(personas.clerk_a)
    assert reach_of(user).view_grants is True
    assert len(visible_cadre_paths(user)) == 3
    assert visible_cadres(user).filter(pk=world.cadre_b1.pk).exists()


def test_without_the_cache_grants_are_assumed_without_a_query(
    world, personas, django_assert_num_queries
):
    from cadres.access import resolve

    user = fresh_user(personas.clerk_a)
    reach_of(user)
    assert reach_of(user).view_grants is True
    assert resolve(user, write=False, grants=True).view_grants is False


def test_in_ids_is_djangos_in_written_once(world, personas):
    """The reach's id-list condition selects and reads as `__in` does (same SQL once the
    parameters are in), an empty list selects nothing, and it follows a relation."""
    from django.db.models import F, Q

    from cadres.access import InIds
    from promotions.models import Proposal

    ids = (world.cadre_a1.pk, world.cadre_b1.pk)
    ours = Cadre.objects.filter(Q(InIds(F("id"), ids)))
    theirs = Cadre.objects.filter(id__in=ids)
    assert set(ours) == set(theirs) == {world.cadre_a1, world.cadre_b1}
    assert str(ours.query) == str(theirs.query)
    assert not Cadre.objects.filter(Q(InIds(F("unit_id"), ()))).exists()
    units = (world.township_a1.pk,)
    assert str(Proposal.objects.filter(Q(InIds(F("cadre__unit_id"), units))).query) == str(
        Proposal.objects.filter(cadre__unit_id__in=units).query
    )


def test_recall_reads_the_entries_a_page_needs_in_one_round_trip(cached, world, personas):
    from unittest import mock

    from django.core.cache import cache

    from cadres.access import recall, remembered

    user = fresh_user(personas.clerk_a)
    expected = reach_of(user)
    remembered(user, "roster", lambda: True)
    user = fresh_user(personas.clerk_a)
    recall(user, ("r", "roster", "nav"))
    with mock.patch.object(cache, "get_many", side_effect=AssertionError("asked again")):
        assert reach_of(user) == expected
        assert remembered(user, "roster", lambda: False) is True
    with mock.patch.object(cache, "set") as stored:
        assert remembered(user, "nav", lambda: "computed") == "computed"  # not cached yet
    stored.assert_called_once()
    assert remembered(user, "roster", lambda: False) is True  # used once: from the cache


def test_a_users_cache_keys_carry_the_code_version(settings, tmp_path):
    """Entries written by other code (compiled SQL among them) are never read after a
    deploy: every user key carries a digest of the project's source."""
    version = access.code_version()
    assert len(version) == 12 and int(version, 16) >= 0
    assert access._key(7, "case-filter") == f"cadres:reach:{version}:case-filter:7"
    access.code_version.cache_clear()
    try:
        settings.BASE_DIR = tmp_path  # another checkout: only its config/ is read
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "a.py").write_text("A = 1\n")
        first = access.code_version()
        access.code_version.cache_clear()
        (tmp_path / "config" / "a.py").write_text("A = 2\n")
        assert access.code_version() != first
    finally:
        access.code_version.cache_clear()
