import pytest
from django.http import Http404

from cadres.enums import ManagementLevel
from cadres.permissions import (
    can_reveal_national_id,
    changeable_cadres,
    changes_any_cadre,
    covering_authority_id,
    covering_authority_ids,
    get_cadre_for_user,
    may_place_cadre,
    visible_cadres,
)

from ..factories import make_authority


def names(user):
    return sorted(visible_cadres(user).values_list("name", flat=True))


@pytest.mark.django_db
def test_visible_cadres_by_persona(world, personas):
    assert names(personas.admin) == ["张三", "李四", "王五"]
    assert names(personas.clerk_a) == ["张三"]
    assert names(personas.clerk_city) == ["王五"]
    assert names(personas.discipline) == ["张三", "李四", "王五"]
    assert names(personas.hr_a1) == ["张三"]
    assert names(personas.cadre_a1) == ["张三"]
    assert names(personas.auditor) == ["张三"]
    assert names(personas.outsider) == []


@pytest.mark.django_db
def test_changes_any_cadre_is_changeable_cadres_exists(world, personas):
    """The id-list form (cadres.access) answers as the one-statement rule, persona by persona."""
    answers = {}
    for name in ("admin", "clerk_a", "clerk_city", "discipline", "hr_a1", "cadre_a1",
                 "auditor", "outsider"):
        user = getattr(personas, name)
        assert changes_any_cadre(user) is changeable_cadres(user).exists(), name
        answers[name] = changes_any_cadre(user)
    assert [name for name, yes in answers.items() if yes] == [
        "admin", "clerk_a", "clerk_city", "hr_a1"
    ]


def test_get_cadre_for_user_outsider_gets_404(world, personas):
    with pytest.raises(Http404):
        get_cadre_for_user(personas.outsider, world.cadre_a1.pk)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.clerk_a, world.cadre_b1.pk)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.clerk_a, 999999)


@pytest.mark.django_db
def test_change_scope_excludes_readers(world, personas):
    with pytest.raises(Http404):
        get_cadre_for_user(personas.auditor, world.cadre_a1.pk, for_change=True)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.cadre_a1, world.cadre_a1.pk, for_change=True)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.discipline, world.cadre_a1.pk, for_change=True)
    assert get_cadre_for_user(personas.hr_a1, world.cadre_a1.pk, for_change=True) == world.cadre_a1
    assert (
        get_cadre_for_user(personas.clerk_a, world.cadre_a1.pk, for_change=True) == world.cadre_a1
    )


@pytest.mark.django_db
def test_guardian_object_permission_grants_one_cadre(world, personas):
    from guardian.shortcuts import assign_perm

    assign_perm("cadres.view_cadre", personas.outsider, world.cadre_b1)
    assert names(personas.outsider) == ["李四"]
    assign_perm("cadres.reveal_national_id", personas.outsider, world.cadre_b1)
    assert can_reveal_national_id(personas.outsider, world.cadre_b1) is True
    assert can_reveal_national_id(personas.outsider, world.cadre_a1) is False
    assert can_reveal_national_id(personas.clerk_a, world.cadre_a1) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "unit", "level", "allowed"),
    [
        ("admin", "bureau", ManagementLevel.PROVINCE, True),
        ("clerk_a", "township_a1", ManagementLevel.COUNTY, True),
        ("clerk_a", "township_a1", ManagementLevel.CITY, False),  # not county A's level
        ("clerk_a", "township_b1", ManagementLevel.COUNTY, False),  # not county A's units
        ("clerk_city", "township_a1", ManagementLevel.CITY, True),
        ("clerk_city", "township_a1", ManagementLevel.COUNTY, False),
        ("hr_a1", "township_a1", ManagementLevel.COUNTY, True),
        ("hr_a1", "township_a1", ManagementLevel.CITY, False),  # 市管: the city decides
        ("hr_a1", "township_a1", ManagementLevel.PROVINCE, False),
        ("hr_a1", "county_a", ManagementLevel.COUNTY, False),  # above their unit
        ("hr_a1", "township_b1", ManagementLevel.COUNTY, False),
        ("discipline", "township_a1", ManagementLevel.COUNTY, False),  # reads only
        ("auditor", "township_a1", ManagementLevel.COUNTY, False),
        ("cadre_a1", "township_a1", ManagementLevel.COUNTY, False),
        ("outsider", "township_a1", ManagementLevel.COUNTY, False),
    ],
)
def test_may_place_cadre_by_persona_unit_and_level(world, personas, persona, unit, level, allowed):
    user = getattr(personas, persona)
    assert may_place_cadre(user, unit=getattr(world, unit), management_level=level) is allowed


@pytest.mark.django_db
def test_covering_authority_is_the_organization_department_of_unit_and_level(
    world, django_assert_num_queries
):
    town_org = make_authority(  # deeper than county A's department, same level
        "甲县城关镇党委组织办", roots=[world.township_a1], levels=[ManagementLevel.COUNTY]
    )
    placements = [
        (world.township_a1.path, ManagementLevel.COUNTY),
        (world.county_a.path, ManagementLevel.COUNTY),
        (world.county_a.path, ManagementLevel.CITY),
        (world.bureau.path, ManagementLevel.CITY),
        (world.township_b1.path, ManagementLevel.COUNTY),  # only the discipline commission
        (world.city.path, ManagementLevel.PROVINCE),
    ]
    with django_assert_num_queries(1):
        covering = covering_authority_ids(placements)
    assert covering == {
        (world.township_a1.path, "county"): town_org.pk,
        (world.county_a.path, "county"): world.county_a_org.pk,
        (world.county_a.path, "city"): world.city_org.pk,
        (world.bureau.path, "city"): world.city_org.pk,
        (world.township_b1.path, "county"): None,
        (world.city.path, "province"): None,
    }
    assert covering_authority_ids([]) == {}
    assert covering_authority_id(world.cadre_city) == world.city_org.pk
    assert covering_authority_id(world.cadre_b1) is None


@pytest.mark.django_db
@pytest.mark.parametrize("on", [False, True])
def test_may_export_roster_is_can_export_roster_and_follows_changes_at_once(
    settings, world, personas, on
):
    """may_export_roster (the cadre list's export button) is can_export_roster, kept across
    requests with the reach when the cache is on: losing the authority or the unit takes it
    away at once."""
    from django.core.cache import cache

    from cadres.permissions import can_export_roster, may_export_roster
    from tests.factories import fresh_user

    settings.ACCESS_CACHE_SECONDS = 60 if on else 0
    cache.clear()
    for persona in ("clerk_a", "hr_a1", "auditor", "cadre_a1", "outsider", "admin"):
        user = getattr(personas, persona)
        assert may_export_roster(fresh_user(user)) == can_export_roster(fresh_user(user))
    assert may_export_roster(fresh_user(personas.clerk_a))
    personas.clerk_a.authorities.clear()
    assert not may_export_roster(fresh_user(personas.clerk_a))
    assert may_export_roster(fresh_user(personas.hr_a1))
    personas.hr_a1.unit = None
    personas.hr_a1.save()
    assert not may_export_roster(fresh_user(personas.hr_a1))
    cache.clear()
