"""Who sees and records incentives: units for bonus allocation and candidate lists,
commendations of cadres and teams; missing and forbidden are the same 404."""

import pytest
from django.http import Http404

from core.enums import Role
from promotions.incentives.access import (
    can_allocate,
    can_list_commendations,
    can_record_commendations,
    commendable_cadres,
    get_unit_for_user,
    staff_authorities,
    staff_units,
    visible_commendation_paths,
    visible_commendations,
)
from promotions.incentives.commendations import cadre_commendations
from promotions.models import Commendation
from tests.factories import make_user
from tests.promotions.incentives.test_commendations import recorded  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_who_sees_which(recorded, world, personas):  # noqa: F811
    a1, team, b1 = recorded

    def seen(user):
        return set(visible_commendations(user).values_list("pk", flat=True))

    assert seen(personas.admin) == {a1.pk, team.pk, b1.pk}
    assert seen(personas.clerk_a) == {a1.pk, team.pk}
    assert seen(personas.auditor) == {a1.pk, team.pk}
    assert seen(personas.hr_a1) == {a1.pk, team.pk}
    assert seen(personas.cadre_a1) == {a1.pk}  # their own only, not their unit's team
    assert seen(personas.discipline) == {a1.pk, team.pk, b1.pk}
    # the city department: county A's team is under its units, both cadres are county-managed
    assert seen(personas.clerk_city) == {team.pk}
    assert seen(personas.outsider) == set()
    assert cadre_commendations(personas.cadre_a1, world.cadre_b1) == []


def test_staff_read_and_org_departments_write_the_units_under_their_roots(world, personas):
    county_a = {world.county_a.pk, world.township_a1.pk}
    everything = set(staff_units(personas.admin).values_list("pk", flat=True))

    def units(user, write=False):
        return set(staff_units(user, write=write).values_list("pk", flat=True))

    assert units(personas.clerk_a) == units(personas.clerk_a, write=True) == county_a
    assert units(personas.auditor) == county_a
    assert units(personas.auditor, write=True) == set()
    assert units(personas.discipline) == everything
    assert units(personas.discipline, write=True) == set()  # not an organization department
    assert units(personas.clerk_city, write=True) == everything
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        assert units(user) == set()


def test_only_organization_authorities_count_for_writing(world):
    both = make_user("ia_both", Role.INTAKE_CLERK,
                     authorities=[world.county_a_org, world.city_discipline])

    assert set(staff_authorities(both)) == {world.county_a_org, world.city_discipline}
    assert staff_authorities(both, write=True) == [world.county_a_org]
    assert can_allocate(both, world.township_a1)
    assert not can_allocate(both, world.township_b1)


def test_an_outsider_unit_is_404_and_an_inactive_user_reaches_nothing(world, personas):
    assert get_unit_for_user(personas.clerk_a, world.township_a1.pk) == world.township_a1
    with pytest.raises(Http404):
        get_unit_for_user(personas.clerk_a, world.township_b1.pk)
    with pytest.raises(Http404):
        get_unit_for_user(personas.auditor, world.township_a1.pk, write=True)
    personas.clerk_a.is_active = False
    assert staff_authorities(personas.clerk_a) == []
    assert not staff_units(personas.clerk_a).exists()
    assert not visible_commendations(personas.clerk_a).exists()
    assert not commendable_cadres(personas.clerk_a).exists()
    assert not can_record_commendations(personas.clerk_a)
    assert not can_list_commendations(personas.clerk_a)


def test_commendable_cadres_are_the_org_department_jurisdiction(world, personas):
    def names(user):
        return set(commendable_cadres(user).values_list("name", flat=True))

    assert names(personas.admin) == {"张三", "李四", "王五"}
    assert names(personas.clerk_a) == {"张三"}
    assert names(personas.clerk_city) == {"王五"}
    assert names(personas.auditor) == set()
    assert names(personas.hr_a1) == set()


def test_who_records_and_who_lists_commendations(personas):
    everyone = {
        "admin": personas.admin, "clerk_a": personas.clerk_a, "clerk_city": personas.clerk_city,
        "auditor": personas.auditor, "discipline": personas.discipline, "hr": personas.hr_a1,
        "cadre": personas.cadre_a1, "outsider": personas.outsider,
    }

    assert {n for n, u in everyone.items() if can_record_commendations(u)} == {
        "admin", "clerk_a", "clerk_city"
    }
    assert {n for n, u in everyone.items() if can_list_commendations(u)} == {
        "admin", "clerk_a", "clerk_city", "auditor", "discipline"
    }


def test_commendation_paths_select_what_visible_commendations_does(recorded, personas):  # noqa: F811
    """The list reads one path per access path to cadres and one for the teams
    (visible_commendation_paths): their union is visible_commendations, persona by persona."""
    assert visible_commendation_paths(personas.admin) is None
    for name in ("clerk_a", "auditor", "hr_a1", "cadre_a1", "discipline", "clerk_city",
                 "outsider"):
        user = getattr(personas, name)
        union = set()
        for path in visible_commendation_paths(user):
            union |= set(Commendation.objects.filter(path).values_list("pk", flat=True))
        assert union == set(visible_commendations(user).values_list("pk", flat=True)), name
