"""The test world's county measures.

The test world (tests/conftest.py) sits under 济南市 (unit code 3701), whose shipped measure
has a single situation. Its two county-level units 甲县 and 乙区 have published measures of
their own, as a county may (灌云县 has one): the eleven Shaanxi situations with Jinan's four
conditions and six exclusions, so that the casework tests have a catalog with several
situations, conditions and exclusions to work with. Cases of the city's authorities are
judged under Jinan's shipped measure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from promotions.models import PromotionPolicy
from promotions.policy_data import DEFAULT_CONTENT
from tolerance.catalogs import CONDITIONS, EXCLUSIONS, SHAANXI_2016
from tolerance.models import PolicyVersion
from tolerance.policy_data import policy_to_data

TEST_MEASURE = dataclasses.replace(
    SHAANXI_2016,
    code="testcounty-2016",
    jurisdiction="甲县",
    conditions=CONDITIONS,
    exclusions=EXCLUSIONS,
)
TEST_MEASURE_TITLE = "甲县支持干部干事创业容错纠错办法"
TEST_MEASURE_ISSUER = "中共甲县县委"


def publish_county_measures(*units) -> list[PolicyVersion]:
    """Published tolerance and up/down versions for each county-level unit (no audit: test
    set-up, like a data migration)."""
    content = policy_to_data(TEST_MEASURE)
    versions = []
    for unit in units:
        versions.append(
            PolicyVersion.objects.create(
                jurisdiction_code=unit.code,
                jurisdiction_name=unit.name,
                code=TEST_MEASURE.code,
                title=TEST_MEASURE_TITLE,
                issuer=TEST_MEASURE_ISSUER,
                effective_from=dt.date(2016, 1, 1),
                status="published",
                published_at=timezone.now(),
                content=content,
            )
        )
        PromotionPolicy.objects.create(
            jurisdiction_code=unit.code,
            jurisdiction_name=unit.name,
            code="testcounty-updown",
            title="甲县推进领导干部能上能下实施办法",
            issuer=TEST_MEASURE_ISSUER,
            effective_from=dt.date(2016, 1, 1),
            status="published",
            published_at=timezone.now(),
            content=DEFAULT_CONTENT,
        )
    return versions


def reseed_shipped_measures() -> None:
    """The measures the jurisdiction migrations ship, again: a transactional test's flush removes
    them (serialized_rollback would restore them but clashes with recreated content types)."""
    import importlib

    shipped = (
        ("tolerance.migrations.0004_policy_jurisdiction_policy", PolicyVersion),
        ("promotions.migrations.0001_squashed", PromotionPolicy),
    )
    for module, model in shipped:
        for row in importlib.import_module(module).MEASURES:
            values = dict(row)
            values["effective_from"] = dt.date.fromisoformat(values["effective_from"])
            if not model.objects.filter(
                code=values["code"], jurisdiction_code=values["jurisdiction_code"]
            ).exists():
                model.objects.create(status="published", published_at=timezone.now(), **values)
    from django.apps import apps

    own = importlib.import_module("promotions.migrations.0001_squashed")
    own.own_measures(apps, None)
