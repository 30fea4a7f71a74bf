"""The yearly ranking of county and district principals: the units' results as read, the
principals of each unit, places with ties, the unscored last, the cost."""

import copy

import pytest

from assessments.enums import RankGroup
from assessments.models import MonitoringRank, PovertyTarget, TargetAssessment
from cadres.enums import PostType, Rank, UnitKind
from promotions.incentives.outstanding import outstanding_ranking, unit_results
from promotions.incentives.outstanding_rules import (
    UnitResults,
    outstanding_score,
    outstanding_terms,
)
from promotions.policy_data import DEFAULT_CONTENT
from tests.factories import CadreFactory, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    content = copy.deepcopy(DEFAULT_CONTENT)
    content["outstanding"]["count"] = 2
    return outstanding_terms(content)


@pytest.fixture
def counties(world):
    units = {name: make_unit(name, kind=UnitKind.COUNTY, parent=world.city)
             for name in ("东县", "西县", "南县")}
    leaders = {}
    for name, unit in units.items():
        leaders[name] = [
            CadreFactory(name=f"{name}书记", unit=unit, position="县委书记",
                         post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_CHIEF),
            CadreFactory(name=f"{name}副县长", unit=unit, position="副县长",
                         post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_DEPUTY),
        ]
    leaders["东县"].append(CadreFactory(name="东县县长", unit=units["东县"], position="县长",
                                        post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_CHIEF))
    for year, order in ((2024, ["西县", "东县", "南县"]), (2025, ["东县", "西县", "南县"])):
        for place, name in enumerate(order, start=1):
            MonitoringRank.objects.create(unit=units[name], year=year, group=RankGroup.COUNTY,
                                          rank=place)
    TargetAssessment.objects.create(unit=units["东县"], year=2025, grade="excellent")
    TargetAssessment.objects.create(unit=units["西县"], year=2025, grade="good")
    TargetAssessment.objects.create(unit=units["南县"], year=2024, grade="excellent")
    PovertyTarget.objects.create(unit=units["东县"], year=2025, target=100, achieved=100)
    PovertyTarget.objects.create(unit=units["西县"], year=2025, target=100, achieved=90)
    PovertyTarget.objects.create(unit=units["南县"], year=2025, target=100, achieved=None)
    return units, leaders


def test_the_results_of_every_ranked_unit(counties, django_assert_num_queries):
    units, _leaders = counties

    with django_assert_num_queries(3):
        results = unit_results(2025)

    county = RankGroup.COUNTY
    assert results == {
        units["东县"].pk: ("东县", county, UnitResults("excellent", 1, 3, 2, True)),
        units["西县"].pk: ("西县", county, UnitResults("good", 2, 3, 1, False)),
        units["南县"].pk: ("南县", county, UnitResults(None, 3, 3, 3, None)),
    }
    assert unit_results(2030) == {}


def test_principals_are_placed_best_first_with_ties_and_the_unscored_last(
    counties, terms, django_assert_num_queries
):
    units, leaders = counties

    with django_assert_num_queries(5):
        rows = outstanding_ranking(2025, terms)

    assert [(r.name, r.place, r.chosen) for r in rows] == [
        ("东县书记", 1, True),
        ("东县县长", 1, True),
        ("西县书记", 3, False),
        ("南县书记", None, False),
    ]
    east = rows[0]
    assert (east.position, east.unit_id, east.unit_name, east.group) == (
        "县委书记", units["东县"].pk, "东县", RankGroup.COUNTY
    )
    assert east.score == outstanding_score(east.results, terms)
    assert rows[2].score.total < east.score.total
    assert rows[3].score.total is None and rows[3].score.missing
