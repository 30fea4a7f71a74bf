"""Exempted accountability matters per cadre and year, as the tolerance app concludes them."""

import datetime as dt

import pytest

from assessments.exemptions import Exemption, exemptions_in_year
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures
from tolerance.enums import Outcome
from tolerance.models import AccountabilityMatter

pytestmark = pytest.mark.django_db


def test_an_exempted_matter_counts_for_the_year_it_occurred(flow, world):  # noqa: F811
    case = flow.decided(outcome=Outcome.EXEMPT)

    assert exemptions_in_year([world.cadre_a1.pk, world.cadre_b1.pk], 2025) == {
        world.cadre_a1.pk: [
            Exemption(case.matter_id, "乡村振兴试点项目资金拨付偏差", dt.date(2025, 3, 10),
                      case.pk)
        ]
    }
    assert exemptions_in_year([world.cadre_a1.pk], 2024) == {}
    assert exemptions_in_year([world.cadre_a1.pk], 2026) == {}


def test_a_matter_occurring_on_the_last_day_of_the_year_counts_for_that_year(
    flow, world  # noqa: F811
):
    case = flow.decided(outcome=Outcome.EXEMPT)
    AccountabilityMatter.objects.filter(pk=case.matter_id).update(
        occurred_on=dt.date(2024, 12, 31)
    )

    assert [e.occurred_on for e in exemptions_in_year([world.cadre_a1.pk], 2024)[
        world.cadre_a1.pk]] == [dt.date(2024, 12, 31)]
    assert exemptions_in_year([world.cadre_a1.pk], 2025) == {}


def test_matters_not_exempted_or_not_yet_decided_are_not_listed(flow, world):  # noqa: F811
    flow.decided(outcome=Outcome.LIGHTER)
    flow.deliberating()

    assert exemptions_in_year([world.cadre_a1.pk], 2025) == {}


def test_no_cadres_cost_no_query_and_any_number_costs_two(
    flow, world, django_assert_num_queries  # noqa: F811
):
    with django_assert_num_queries(0):
        assert exemptions_in_year([], 2025) == {}
    flow.decided(outcome=Outcome.EXEMPT)
    flow.decided(outcome=Outcome.EXEMPT)
    ids = [world.cadre_a1.pk, world.cadre_b1.pk]

    # the matters of the year, the settled cases, the clearances
    with django_assert_num_queries(3):
        assert len(exemptions_in_year(ids, 2025)[world.cadre_a1.pk]) == 2
    with django_assert_num_queries(1):
        assert exemptions_in_year(ids, 2020) == {}
