"""Which up/down policy version judges an authority's matters on a date."""

import datetime as dt

import pytest
from django.utils import timezone

from cadres.enums import ManagementLevel
from core.policies import PolicyNotInForce
from promotions.models import PromotionPolicy
from promotions.policies import KIND, policy_in_force
from promotions.policy_data import DEFAULT_CONTENT
from tests.factories import make_authority

pytestmark = pytest.mark.django_db


def publish(code: str, name: str, effective_from: dt.date) -> PromotionPolicy:
    return PromotionPolicy.objects.create(
        jurisdiction_code=code, jurisdiction_name=name, code=f"p-{code}-{effective_from.year}",
        title="能上能下实施办法", effective_from=effective_from, status="published",
        published_at=timezone.now(), content=DEFAULT_CONTENT,
    )


def test_the_kind_is_the_one_registered_with_core_policies():
    from core.policies import policy_kind

    assert KIND == "promotions"
    assert policy_kind(KIND).model is PromotionPolicy


def test_the_authority_jurisdiction_version_in_force_on_the_date(world):
    county_a = PromotionPolicy.objects.get(jurisdiction_code=world.county_a.code)
    later = publish(world.county_a.code, world.county_a.name, dt.date(2030, 1, 1))

    assert policy_in_force(world.county_a_org, dt.date(2026, 6, 1)) == county_a
    assert policy_in_force(world.county_a_org, dt.date(2030, 1, 1)) == later


def test_an_authority_without_its_own_measure_has_the_nearest_one_up_the_tree(world):
    township = make_authority("甲县城关镇党委", roots=[world.township_a1],
                              levels=[ManagementLevel.COUNTY])
    county_a = PromotionPolicy.objects.get(jurisdiction_code=world.county_a.code)

    assert policy_in_force(township, dt.date(2026, 6, 1)) == county_a
    own = publish(world.township_a1.code, world.township_a1.name, dt.date(2020, 1, 1))
    assert policy_in_force(township, dt.date(2026, 6, 1)) == own
    assert policy_in_force(township, dt.date(2019, 6, 1)) == county_a


def test_before_any_version_is_in_force_it_is_refused_naming_authority_and_date(world):
    with pytest.raises(PolicyNotInForce) as refused:
        policy_in_force(world.county_a_org, dt.date(2015, 12, 31))

    assert refused.value.authority == world.county_a_org
    assert refused.value.on == dt.date(2015, 12, 31)
    assert refused.value.kind.model is PromotionPolicy
