"""Pooled excellent quotas (合并计算): small units share one quota at the level the policy
sets; the grade grid shows the pool; a refusal names it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.enums import Grade
from assessments.models import AnnualAssessment, QuotaPolicy
from assessments.pooling import PoolMember, PoolRule, pool_check, pooled
from assessments.rules import QuotaTerms
from assessments.services.grades import GradesRefused
from cadres.enums import UnitKind
from core.enums import Role
from tests.factories import CadreFactory, make_unit, make_user

from .conftest import grade_all

E, C = Grade.EXCELLENT, Grade.COMPETENT
TWENTY = QuotaTerms(share=Decimal("0.200"), source="test")
RULE = PoolRule(below=8, level=UnitKind.COUNTY)


# --- pure ------------------------------------------------------------------------------


def test_small_units_pool_and_a_large_one_keeps_its_own_quota():
    members = [
        PoolMember(1, "甲镇", 3, 1), PoolMember(2, "乙镇", 4, 0), PoolMember(3, "丙镇", 12, 2)
    ]

    check = pool_check(RULE, "甲县", members, TWENTY)

    assert [m.name for m in check.members] == ["乙镇", "甲镇"]
    assert (check.size, check.quota.participants, check.quota.allowed) == (2, 7, 1)
    assert (check.excellent, check.within) == (1, True)
    assert pooled(RULE, 7) and not pooled(RULE, 8) and not pooled(None, 3)


def test_a_pool_over_its_quota_counts_the_excess():
    members = [PoolMember(1, "甲镇", 3, 1), PoolMember(2, "乙镇", 4, 1)]

    check = pool_check(RULE, "甲县", members, TWENTY)

    assert (check.quota.allowed, check.excellent, check.within, check.excess) == (1, 2, False, 1)


# --- the service and the grid ---------------------------------------------------------------


@pytest.fixture
def small_towns(world):
    QuotaPolicy.objects.filter(jurisdiction_code="3701", unit_kind="township").update(
        pool_below=8, pool_level=UnitKind.COUNTY
    )
    towns = []
    for name, size in (("甲县小镇一", 3), ("甲县小镇二", 4)):
        unit = make_unit(name, kind=UnitKind.TOWNSHIP, parent=world.county_a)
        cadres = [CadreFactory(name=f"{name}{i}", unit=unit) for i in range(size)]
        hr = make_user(f"hr_{unit.code}", Role.UNIT_HR, unit=unit)
        towns.append((unit, cadres, hr))
    return towns


@pytest.mark.django_db
def test_a_unit_of_three_gets_a_place_from_the_pool_and_the_next_is_refused_naming_it(
    small_towns,
):
    (one, cadres_one, hr_one), (two, cadres_two, hr_two) = small_towns
    # alone 20% of 3 → 0 places; pooled with 小镇二 (4 on its roll, no grade yet) and 甲县城关镇
    # (张三 on its roll): 20% of 8 → 1
    grade_all(one, hr_one, 2024, [E, C, C], cadres_one)

    with pytest.raises(GradesRefused) as refused:
        grade_all(two, hr_two, 2024, [E, C, C, C], cadres_two)

    assert refused.value.problems[0].message == (
        "未保存：甲县小镇二与甲县的小单位合并计算优秀等次名额（合并计算，3 个小单位，"
        "参加考核 8 人）2024 年度为 1 名（20.0%，向下取整）；按本次录入，合并后优秀 2 名，"
        "超出 1 名。"
    )
    assert AnnualAssessment.objects.filter(unit=two).count() == 0
    grade_all(two, hr_two, 2024, [C, C, C, C], cadres_two)
    assert AnnualAssessment.objects.filter(unit__in=[one, two], grade=E).count() == 1


@pytest.mark.django_db
def test_without_pooling_the_unit_of_three_is_locked_at_zero(world, small_towns):
    QuotaPolicy.objects.filter(jurisdiction_code="3701").update(pool_below=None, pool_level="")
    (one, cadres_one, hr_one), _two = small_towns

    with pytest.raises(GradesRefused) as refused:
        grade_all(one, hr_one, 2024, [E, C, C], cadres_one)

    assert "甲县小镇一 2024 年度优秀等次名额为 0 名" in refused.value.problems[0].message


@pytest.mark.django_db
def test_the_grid_shows_the_pool_its_size_and_what_is_used(client, small_towns):
    (one, cadres_one, hr_one), (two, cadres_two, hr_two) = small_towns
    grade_all(one, hr_one, 2024, [E, C, C], cadres_one)
    grade_all(two, hr_two, 2024, [C, C, C, C], cadres_two)
    client.force_login(hr_two)

    response = client.get(reverse("assessments:grid", args=[two.pk, 2024]))

    page = response.content.decode()
    assert 'data-testid="quota-pool"' in page
    assert "甲县的小单位合并计算优秀等次名额：3 个单位共用。" in page
    pool = response.context["pool"]
    assert (pool.name, pool.size, pool.quota.participants, pool.excellent) == ("甲县", 3, 8, 1)
    assert '<span id="q-excellent">1</span> / <span id="q-allowed">1</span>' in page
