"""Loading a unit's pool (合并计算) for a year: its superior unit, the small units under it
with their grades or, before any grade, their roll; the unit's own counts as given."""

import pytest

from assessments.enums import Grade
from assessments.models import QuotaPolicy
from assessments.policies import unit_policy
from assessments.pooling import PoolMember
from assessments.pools import pool_superior, unit_pool
from cadres.enums import UnitKind
from tests.assessments.conftest import grade_all
from tests.assessments.test_pooling import small_towns  # noqa: F401 - fixture
from tests.factories import CadreFactory, make_unit

pytestmark = pytest.mark.django_db

E, C, N = Grade.EXCELLENT, Grade.COMPETENT, Grade.NOT_GRADED


def test_the_superior_is_the_nearest_unit_of_the_level(world):
    assert pool_superior(world.township_a1, UnitKind.COUNTY) == world.county_a
    assert pool_superior(world.county_a, UnitKind.COUNTY) == world.county_a
    assert pool_superior(world.township_b1, UnitKind.URBAN_DISTRICT) == world.county_b
    assert pool_superior(world.township_a1, UnitKind.CITY) == world.city
    assert pool_superior(world.township_a1, UnitKind.URBAN_DISTRICT) is None


def test_units_graded_or_on_the_roll_pool_with_the_unit_counts_given(
    small_towns, world, django_assert_num_queries  # noqa: F811
):
    (one, cadres_one, hr_one), (two, _cadres_two, _hr_two) = small_towns
    grade_all(one, hr_one, 2024, [E, C, N], cadres_one)
    policy = unit_policy(two, 2024)

    with django_assert_num_queries(3):
        check = unit_pool(two, 2024, policy, graded=4, excellent=1)

    assert check.name == "甲县"
    assert check.members == (
        PoolMember(world.township_a1.pk, "甲县城关镇", 1, 0),  # 张三 on its roll, no grade
        PoolMember(one.pk, "甲县小镇一", 2, 1),  # 不定等次 does not take part
        PoolMember(two.pk, "甲县小镇二", 4, 1),  # as given, not as stored
    )
    assert (check.quota.participants, check.quota.allowed, check.excellent) == (7, 1, 2)
    assert (check.within, check.excess) == (False, 1)
    with django_assert_num_queries(4):  # and the superior unit's row, locked
        assert unit_pool(two, 2024, policy, graded=4, excellent=1, lock=True) == check


def test_units_of_another_kind_or_under_another_superior_stay_out(
    small_towns, world  # noqa: F811
):
    (one, _c, _hr), _two = small_towns
    office = make_unit("甲县某局", kind=UnitKind.DEPARTMENT, parent=world.county_a)
    CadreFactory(name="某局干部", unit=office)
    elsewhere = make_unit("乙区小街道", kind=UnitKind.TOWNSHIP, parent=world.county_b)
    CadreFactory(name="乙区干部", unit=elsewhere)

    check = unit_pool(one, 2024, unit_policy(one, 2024), graded=3, excellent=0)

    assert [m.name for m in check.members] == ["甲县城关镇", "甲县小镇一", "甲县小镇二"]


def test_a_large_unit_or_a_policy_without_pooling_has_no_pool(
    small_towns, django_assert_num_queries  # noqa: F811
):
    (one, _c, _hr), _two = small_towns
    policy = unit_policy(one, 2024)

    with django_assert_num_queries(0):
        assert unit_pool(one, 2024, policy, graded=8, excellent=1) is None
        assert unit_pool(one, 2024, None, graded=3, excellent=0) is None
    QuotaPolicy.objects.filter(pk=policy.pk).update(pool_below=None, pool_level="")
    assert unit_pool(one, 2024, unit_policy(one, 2024), graded=3, excellent=0) is None


def test_without_a_superior_of_the_level_there_is_no_pool(small_towns):  # noqa: F811
    (one, _c, _hr), _two = small_towns
    policy = unit_policy(one, 2024)
    QuotaPolicy.objects.filter(pk=policy.pk).update(pool_level=UnitKind.URBAN_DISTRICT)

    assert unit_pool(one, 2024, unit_policy(one, 2024), graded=3, excellent=0) is None
