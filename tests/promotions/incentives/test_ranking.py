"""The yearly top counties and districts with their bonus: which units, last year's place,
whether they are new to the top, and the cost."""

import copy

import pytest

from assessments.enums import RankGroup
from assessments.models import MonitoringRank
from cadres.enums import UnitKind
from promotions.incentives.ranking import BonusRow, top_with_bonus
from promotions.incentives.rules import Bonus
from promotions.policy_data import DEFAULT_CONTENT, terms_from_data
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    content = copy.deepcopy(DEFAULT_CONTENT)
    content["bonus"].update(top_counties=3, top_districts=2)
    return terms_from_data(content)


@pytest.fixture
def units(world):
    return {
        name: make_unit(name, kind=UnitKind.COUNTY, parent=world.city)
        for name in ("东县", "西县", "南县", "北县", "中县")
    }


def rank(units, year, group, places):
    for place, name in enumerate(places, start=1):
        MonitoringRank.objects.create(unit=units[name], year=year, group=group, rank=place)


def test_the_top_units_of_the_year_with_their_bonus(units, terms, django_assert_num_queries):
    county = RankGroup.COUNTY
    rank(units, 2023, county, ["南县", "中县", "北县", "东县", "西县"])
    rank(units, 2024, county, ["东县", "西县", "南县", "中县", "北县"])
    rank(units, 2025, county, ["西县", "南县", "东县", "北县", "中县"])

    with django_assert_num_queries(2):
        rows = top_with_bonus(2025, county, terms)

    assert rows == [
        BonusRow("西县", 1, 2, Bonus(100, "first_place"), units["西县"].pk),
        BonusRow("南县", 2, 3, Bonus(60, "base", 1), units["南县"].pk),
        BonusRow("东县", 3, 1, Bonus(30, "base", -2), units["东县"].pk),
    ]


def test_a_unit_new_to_the_top_gets_the_first_entry_bonus(units, terms):
    county = RankGroup.COUNTY
    rank(units, 2023, county, ["东县", "西县", "南县", "北县", "中县"])
    rank(units, 2024, county, ["东县", "西县", "南县", "北县", "中县"])
    rank(units, 2025, county, ["东县", "北县", "西县", "南县", "中县"])

    rows = top_with_bonus(2025, county, terms)

    # 北县 was 4th twice (outside the top 3): its first entry; 西县 was in the top before.
    assert [(r.unit_name, r.previous, r.bonus) for r in rows] == [
        ("东县", 1, Bonus(100, "first_place")),
        ("北县", 4, Bonus(100, "first_entry")),
        ("西县", 2, Bonus(40, "base", -1)),
    ]


def test_districts_use_their_own_top_n_and_ignore_the_county_ranking(units, world, terms):
    units.update({
        name: make_unit(name, kind=UnitKind.URBAN_DISTRICT, parent=world.city)
        for name in ("甲区", "乙区", "丙区")
    })
    rank(units, 2025, RankGroup.COUNTY, ["东县", "西县", "南县"])
    rank(units, 2024, RankGroup.DISTRICT, ["乙区", "甲区"])
    rank(units, 2025, RankGroup.DISTRICT, ["甲区", "乙区", "丙区"])

    rows = top_with_bonus(2025, RankGroup.DISTRICT, terms)

    assert [(r.unit_name, r.rank, r.previous, r.bonus) for r in rows] == [
        ("甲区", 1, 2, Bonus(100, "first_place")),
        ("乙区", 2, 1, Bonus(40, "base", -1)),
    ]


def test_a_year_without_ranks_has_no_rows(units, terms):
    rank(units, 2024, RankGroup.COUNTY, ["东县"])

    assert top_with_bonus(2025, RankGroup.COUNTY, terms) == []


def test_a_gap_year_has_no_previous_place_but_earlier_tops_still_count(units, terms):
    rank(units, 2022, RankGroup.COUNTY, ["东县", "西县"])
    rank(units, 2025, RankGroup.COUNTY, ["南县", "东县"])

    rows = top_with_bonus(2025, RankGroup.COUNTY, terms)

    assert [(r.unit_name, r.previous, r.bonus) for r in rows] == [
        ("南县", None, Bonus(100, "first_place")),
        ("东县", None, Bonus(50, "base", 0)),
    ]
