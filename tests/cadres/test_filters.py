"""Filters of the cadre list (cadres.filters): search, unit with its subtree, rank range,
level, post, status, pool; units offered from the user's scope without villages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from cadres import filters
from cadres.enums import CadreStatus, ManagementLevel, PostType, Rank, TalentListKind, UnitKind
from cadres.filters import FIELDS_TEMPLATE, CadreFilter, fields_html
from cadres.models import Cadre, ListMembership, TalentList
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def names(user, **params) -> list[str]:
    request = RequestFactory().get("/", params)
    request.user = user
    found = CadreFilter(request.GET, queryset=Cadre.objects.all(), request=request).qs
    return sorted(found.values_list("name", flat=True))


def form_of(user, **params):
    request = RequestFactory().get("/", params)
    request.user = user
    return CadreFilter(request.GET, queryset=Cadre.objects.all(), request=request).form


def test_search_by_name_initials_and_pinyin_prefix(world, personas):
    assert names(personas.admin, q="zs") == ["张三"]
    assert names(personas.admin, q="zhangs") == ["张三"]
    assert names(personas.admin, q="王") == ["王五"]
    assert names(personas.admin) == ["张三", "李四", "王五"]


def test_a_unit_includes_its_subordinate_units(world, personas):
    assert names(personas.admin, unit=world.county_a.pk) == ["张三"]
    assert names(personas.admin, unit=world.city.pk) == ["张三", "李四", "王五"]
    assert names(personas.admin, unit=world.bureau.pk) == ["王五"]


def test_rank_range_level_post_status_and_pool(world, personas):
    Cadre.objects.filter(pk=world.cadre_b1.pk).update(
        rank=Rank.SECTION_CHIEF, post_type=PostType.LEADERSHIP, status=CadreStatus.RETIRED
    )
    Cadre.objects.filter(pk=world.cadre_city.pk).update(rank=Rank.COUNTY_CHIEF)
    pool = TalentList.objects.create(code="ox", name="老黄牛型", kind=TalentListKind.POOL)
    ListMembership.objects.create(cadre=world.cadre_a1, talent_list=pool)
    admin = personas.admin
    assert names(admin, rank_min=Rank.SECTION_CHIEF) == ["李四", "王五"]
    assert names(admin, rank_min=Rank.SECTION_CHIEF, rank_max=Rank.SECTION_CHIEF) == ["李四"]
    assert names(admin, management_level=ManagementLevel.CITY) == ["王五"]
    assert names(admin, post_type=PostType.LEADERSHIP, status=CadreStatus.RETIRED) == ["李四"]
    assert names(admin, talent_list=pool.pk) == ["张三"]


def test_units_offered_are_the_users_scope_without_villages(world, personas):
    village = make_unit("城关村", kind=UnitKind.VILLAGE, parent=world.township_a1)
    field = form_of(personas.clerk_a, unit=world.township_a1.pk).fields["unit"]
    assert [name for _pk, name in field.widget.choices] == ["全部单位", "甲县", "\u3000甲县城关镇"]
    assert "unit" in form_of(personas.clerk_a, unit=village.pk).errors


def test_units_are_read_only_when_a_unit_is_asked_for(world, personas):
    """The picker shows the chosen unit only, so a form without one builds no unit query."""
    assert list(form_of(personas.clerk_a).fields["unit"].queryset) == []
    assert list(form_of(personas.clerk_a, q="zs").fields["unit"].queryset) == []
    assert str(form_of(personas.clerk_a, unit=world.county_a.pk)["unit"]).count("<option") == 2


def test_a_unit_outside_the_scope_or_a_bad_rank_is_marked_invalid(world, personas):
    form = form_of(personas.clerk_a, unit=world.county_b.pk, rank_min="7", q="zs")
    assert sorted(form.errors) == ["rank_min", "unit"]
    assert form.fields["unit"].widget.attrs["class"] == "form-select is-invalid"
    assert form.fields["rank_min"].widget.attrs["class"] == "form-select is-invalid"
    assert form.fields["q"].widget.attrs["class"] == "form-control"
    assert form.fields["status"].widget.attrs["class"] == "form-select"


def test_authority_choices_come_from_the_cache_until_an_authority_or_a_users_changes(
    world, personas, cached, django_assert_num_queries
):
    from cadres.filters import authority_choices, own_authority_choices
    from core.models import User

    def clerk():
        return User.objects.get(pk=personas.clerk_a.pk)

    user = clerk()
    user.roles  # noqa: B018 (read as on any request, before the filter)
    with django_assert_num_queries(2):  # the clerk's own, then all: once each
        assert own_authority_choices(user) == [
            (str(world.county_a_org.pk), world.county_a_org.name)
        ]
        everything = authority_choices(user)
    assert {pk for pk, _name in everything} == {
        str(a.pk) for a in (world.city_org, world.county_a_org, world.city_discipline)
    }
    user = clerk()
    user.roles  # noqa: B018
    with django_assert_num_queries(0):
        own_authority_choices(user)
        authority_choices(user)

    world.county_a_org.name = "改名后的组织部"
    world.county_a_org.save()  # an authority changed: the generation moves on
    assert own_authority_choices(clerk()) == [(str(world.county_a_org.pk), "改名后的组织部")]
    assert (str(world.county_a_org.pk), "改名后的组织部") in authority_choices(clerk())

    personas.clerk_a.authorities.add(world.city_org)  # the user's reach changed
    assert {pk for pk, _name in own_authority_choices(clerk())} == {
        str(world.county_a_org.pk),
        str(world.city_org.pk),
    }
    # An administrator is offered every authority.
    assert own_authority_choices(personas.admin) == authority_choices(personas.admin)


def _fields_in_place(user, params) -> str:
    """The fields rendered in full in the request, as the page rendered them before."""
    request = RequestFactory().get("/", params)
    request.user = user
    cadre_filter = CadreFilter(request.GET or None, queryset=Cadre.objects.all(), request=request)
    return render_to_string(FIELDS_TEMPLATE, {"filter": cadre_filter}).strip()


def _fields_kept(user, params) -> str:
    request = RequestFactory().get("/", params)
    request.user = user
    cadre_filter = CadreFilter(request.GET or None, queryset=Cadre.objects.all(), request=request)
    cadre_filter.qs  # noqa: B018 (the view filters before it renders)
    return str(fields_html(cadre_filter))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "name"},
        {"q": "zs", "rank_min": str(Rank.SECTION_CHIEF)},
        {"rank_min": "7", "status": "nonsense"},
        {"talent_list": "999999"},
        {"unit": "999999"},
    ],
)
def test_kept_fields_are_the_fields_rendered_in_place(world, personas, params):
    filters._fields_html.clear()
    TalentList.objects.create(code="P1", name="后备<池>", kind=TalentListKind.POOL)
    expected = _fields_in_place(personas.admin, params)
    assert _fields_kept(personas.admin, params) == expected  # rendered
    assert _fields_kept(personas.admin, params) == expected  # kept (or, with a unit, rendered)
    assert len(filters._fields_html) == (0 if "unit" in params else 1)


def test_kept_fields_follow_the_pools_and_lists_and_the_language(world, personas):
    first = _fields_kept(personas.admin, {})
    TalentList.objects.create(code="L9", name="新名单", kind=TalentListKind.LIST)
    second = _fields_kept(personas.admin, {})
    assert "新名单" not in first and "新名单" in second
    with translation.override("en"):
        english = _fields_kept(personas.admin, {})
    with translation.override("en"):
        assert english == _fields_in_place(personas.admin, {})
    assert english != second
