"""Each jurisdiction's up/down measure holds only what its own seed says (migration 0008)."""

from __future__ import annotations

import pytest

from promotions.models import PromotionPolicy
from promotions.policy_data import DEFAULT_CONTENT, TRIGGER_SECTIONS, terms_from_data

pytestmark = pytest.mark.django_db


def test_jinans_measure_has_its_grounds_and_exceptional_promotion_and_no_seed_003_parts():
    jinan = PromotionPolicy.objects.get(jurisdiction_code="3701", code="jinan-2018")

    assert jinan.terms.areas == frozenset()
    assert jinan.terms.has_bonus is False and jinan.terms.top_counties == 0
    assert [g.code for g in jinan.jinan.grounds] == [
        "unsuitable", "unfit", "incompetent", "not_accepted"
    ]
    assert [s.code for s in jinan.jinan.exceptional.situations] == [
        "outstanding_results", "strong_grades", "chucai"
    ]
    assert "outstanding" not in jinan.content
    assert "不含这些部分" in jinan.note and "陕西" not in jinan.note


def test_shaanxis_measure_has_the_seven_areas_and_the_bonus_and_no_jinan_parts():
    shaanxi = PromotionPolicy.objects.get(jurisdiction_code="61", code="shaanxi-2016")

    assert shaanxi.terms.areas == frozenset(TRIGGER_SECTIONS)
    assert (shaanxi.terms.has_bonus, shaanxi.terms.top_counties) == (True, 10)
    assert shaanxi.jinan.grounds == () and shaanxi.jinan.exceptional is None


def test_a_measure_without_trigger_areas_fires_no_incident_trigger():
    terms = terms_from_data({"format": 1, "eligibility": DEFAULT_CONTENT["eligibility"]})

    assert (terms.environment_roles, terms.work_safety.roles, terms.party_roles) == ((), (), ())
    assert terms.target_roles == () and terms.monitoring_roles == ()
