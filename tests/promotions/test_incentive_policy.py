"""The outstanding-principal weights are versioned policy data: the seed default carries
them, and a database whose newest default version lacks them gets a new published version."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from promotions.models import PromotionPolicy
from promotions.outstanding_rules import outstanding_terms
from promotions.policies import policy_in_force
from promotions.policy_data import DEFAULT_CONTENT

pytestmark = pytest.mark.django_db

migration = importlib.import_module("promotions.migrations.0003_incentives")


def test_the_policy_in_force_has_the_weights():
    policy = policy_in_force(None, dt.date(2023, 12, 31))
    assert outstanding_terms(policy.content).weights == {
        "target": 40,
        "monitoring": 30,
        "rank_gain": 10,
        "poverty": 20,
    }


def test_an_older_version_without_weights_gets_a_new_version_once():
    old = {k: v for k, v in DEFAULT_CONTENT.items() if k != "outstanding"}
    PromotionPolicy.objects.create(
        code="local-2020",
        title="本地办法",
        effective_from=dt.date(2020, 1, 1),
        status="published",
        content=old,
    )
    migration.publish_outstanding_weights(apps, None)
    migration.publish_outstanding_weights(apps, None)
    added = PromotionPolicy.objects.filter(code="local-2020-incentives")
    assert added.count() == 1
    assert (added.get().status, added.get().effective_from) == ("published", dt.date(2020, 1, 1))
    in_force = policy_in_force(None, dt.date(2023, 12, 31))
    assert in_force.code == "local-2020-incentives"
    assert in_force.content["outstanding"] == DEFAULT_CONTENT["outstanding"]
    assert in_force.content["bonus"] == DEFAULT_CONTENT["bonus"]
