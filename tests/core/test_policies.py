"""core.policies: the nearest jurisdiction's version, the partition, the no-policy page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.policies import (
    PolicyNotInForce,
    jurisdiction_partition,
    policy_in_force,
    policy_kinds,
)
from tolerance.models import PolicyVersion

pytestmark = pytest.mark.django_db


def test_both_apps_register_their_kinds():
    kinds = {k.key: k.model_label for k in policy_kinds()}
    assert (kinds["tolerance"], kinds["promotions"]) == (
        "tolerance.PolicyVersion",
        "promotions.PromotionPolicy",
    )


def test_nearest_jurisdiction_wins_and_one_error_names_what_is_missing(world):
    county = policy_in_force("tolerance", world.county_a_org, dt.date(2024, 1, 1))
    city = policy_in_force("tolerance", world.city_org, dt.date(2024, 1, 1))

    assert (county.jurisdiction_code, city.jurisdiction_code) == ("370124", "3701")
    with pytest.raises(PolicyNotInForce) as error:
        policy_in_force("promotions", world.city_org, dt.date(2015, 12, 31))
    assert error.value.message == (
        "2015-12-31中共济南市委组织部没有已发布的能上能下及激励办法在施行：其本级及上级管辖范围均未发布。"
    )


def test_the_partition_gives_each_jurisdiction_its_units_and_leaves_nearer_ones_out(world):
    parts = {
        version.jurisdiction_code: (path, sorted(inner))
        for version, path, inner in jurisdiction_partition("tolerance", dt.date(2024, 1, 1))
    }

    # 陕西省, 灌云县 and 浙江省 have no units in this database: nothing to govern here.
    assert parts == {
        "3701": (world.city.path, sorted([world.county_a.path, world.county_b.path])),
        "370124": (world.county_a.path, []),
        "370102": (world.county_b.path, []),
    }
    assert PolicyVersion.objects.filter(status="published").count() == 6


def test_the_2015_bonus_page_explains_that_no_measure_was_in_force(client, personas):
    client.force_login(personas.admin)

    response = client.get(reverse("promotions:bonus"), {"year": 2015})

    assert response.status_code == 200
    page = response.content.decode()
    assert "没有施行中的办法" in page
    assert (
        "2015-12-31中共济南市委组织部没有已发布的能上能下及激励办法在施行：其本级及上级管辖范围均未发布。"
        in page
    )
    assert reverse("admin:promotions_promotionpolicy_changelist") in page


def test_a_non_administrator_is_told_to_ask_one(client, personas):
    client.force_login(personas.auditor)

    response = client.get(reverse("promotions:bonus"), {"year": 2015})

    assert response.status_code == 200
    page = response.content.decode()
    assert "请联系管理员发布。" in page
    assert "/admin/" not in page
