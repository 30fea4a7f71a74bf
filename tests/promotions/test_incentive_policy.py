"""The outstanding-principal weights are versioned policy data: Shaanxi's shipped measure
carries them."""

from __future__ import annotations

import pytest

from promotions.incentives.outstanding_rules import outstanding_terms
from promotions.models import PromotionPolicy

pytestmark = pytest.mark.django_db

def test_the_policy_in_force_has_the_weights():
    policy = PromotionPolicy.objects.get(jurisdiction_code="61", status="published")
    assert outstanding_terms(policy.content).weights == {
        "target": 40,
        "monitoring": 30,
        "rank_gain": 10,
        "poverty": 20,
    }
