import pytest

from cadres.enums import TalentListKind
from cadres.models import Cadre, TalentList, Unit
from cadres.queries import search_cadres, talent_lists, unit_choices
from tests.factories import fresh_user


def found(text):
    return sorted(search_cadres(Cadre.objects.all(), text).values_list("name", flat=True))


@pytest.mark.django_db
def test_search_cadres_pinyin_initials_prefix(world):
    assert found("zs") == ["张三"]
    assert found("ls") == ["李四"]
    assert found("z") == ["张三"]
    assert found("ZS") == ["张三"]


@pytest.mark.django_db
def test_search_cadres_full_pinyin_prefix(world):
    assert found("zhang") == ["张三"]
    assert found("zhangs") == ["张三"]
    assert found("zhang san") == ["张三"]
    assert found("wangwu") == ["王五"]


@pytest.mark.django_db
def test_search_cadres_chinese_substring(world):
    assert found("张") == ["张三"]
    assert found("四") == ["李四"]
    assert found("张四") == []


@pytest.mark.django_db
def test_search_cadres_no_match_and_blank(world):
    assert found("xyz") == []
    assert found("  ") == ["张三", "李四", "王五"]
    assert found("%_") == []


@pytest.mark.django_db
def test_unit_choices_indent_by_depth(world):
    units = Unit.objects.filter(path__startswith=world.county_a.path)
    assert unit_choices(units) == [
        (world.county_a.pk, "甲县"),
        (world.township_a1.pk, "\u3000甲县城关镇"),
    ]


@pytest.mark.django_db
def test_visible_for_listing_equals_visible_cadres_per_persona(world, personas):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    from cadres.permissions import visible_cadres
    from cadres.queries import visible_for_listing

    group = Group.objects.create(name="special")
    personas.outsider.groups.add(group)
    assign_perm("cadres.view_cadre", group, world.cadre_city)
    assign_perm("cadres.view_cadre", personas.hr_a1, world.cadre_b1)
    for user in vars(personas).values():
        expected = set(visible_cadres(user).values_list("name", flat=True))
        assert set(visible_for_listing(user).values_list("name", flat=True)) == expected
    assert set(visible_for_listing(personas.outsider).values_list("name", flat=True)) == {"王五"}
    assert set(visible_for_listing(personas.hr_a1).values_list("name", flat=True)) == {
        "张三",
        "李四",
    }


@pytest.mark.django_db
def test_talent_lists_are_cached_until_a_pool_or_list_changes(
    cached, world, personas, django_assert_num_queries
):
    ox = TalentList.objects.create(code="ox", name="老黄牛型", kind=TalentListKind.POOL)
    young = TalentList.objects.create(code="young", name="优秀年轻干部", kind=TalentListKind.LIST)
    expected = ((young.pk, "优秀年轻干部", "list"), (ox.pk, "老黄牛型", "pool"))
    assert talent_lists(fresh_user(personas.clerk_a)) == expected
    with django_assert_num_queries(0):
        assert talent_lists(personas.clerk_a) == expected
    ox.name = "老黄牛"
    ox.save()
    assert talent_lists(personas.clerk_a) == (
        (young.pk, "优秀年轻干部", "list"),
        (ox.pk, "老黄牛", "pool"),
    )
    young.delete()
    assert talent_lists(personas.clerk_a) == ((ox.pk, "老黄牛", "pool"),)
