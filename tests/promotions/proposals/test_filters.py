"""The proposal list's filter: valid values kept, invalid ones dropped; each narrows."""

import pytest

from promotions.enums import ProposalState, TriggerArea
from promotions.models import Proposal
from promotions.proposals.filters import filter_proposals, proposal_filters
from tests.factories import CadreFactory


def test_valid_values_are_kept_and_the_search_is_tidied():
    assert proposal_filters({
        "q": "  张   三 ", "year": "2024", "area": "target", "state": "decided",
    }) == {"q": "张 三", "year": 2024, "area": "target", "state": "decided"}


def test_invalid_values_are_dropped():
    assert proposal_filters({"year": "二〇二四x", "area": "weather", "state": "lost"}) == {
        "q": "", "year": None, "area": "", "state": "",
    }
    assert proposal_filters({}) == {"q": "", "year": None, "area": "", "state": ""}


def test_the_search_is_cut_to_forty_characters():
    assert proposal_filters({"q": "字" * 50})["q"] == "字" * 40


@pytest.fixture
def proposals(world):
    zhao = CadreFactory(name="赵六", unit=world.township_a1)

    def make(cadre, year, area, state=ProposalState.PROPOSED):
        row = Proposal.objects.create(
            authority=world.county_a_org, cadre=cadre, unit=cadre.unit, area=area, year=year,
            clause=f"{area}.x",
        )
        Proposal.objects.filter(pk=row.pk).update(state=state)
        return row.pk

    return {
        "zhang_2023": make(world.cadre_a1, 2023, TriggerArea.TARGET),
        "zhang_2024": make(world.cadre_a1, 2024, TriggerArea.POVERTY, ProposalState.DECIDED),
        "zhao_2024": make(zhao, 2024, TriggerArea.TARGET, ProposalState.DECIDED),
    }


def pks(params) -> set[int]:
    return set(filter_proposals(Proposal.objects.all(), params).values_list("pk", flat=True))


@pytest.mark.django_db
def test_each_filter_narrows_the_rows(proposals):
    p = proposals

    assert pks({}) == set(p.values())
    assert pks({"q": "张三"}) == {p["zhang_2023"], p["zhang_2024"]}
    assert pks({"q": "zl"}) == {p["zhao_2024"]}
    assert pks({"year": "2024"}) == {p["zhang_2024"], p["zhao_2024"]}
    assert pks({"area": "target"}) == {p["zhang_2023"], p["zhao_2024"]}
    assert pks({"state": "decided"}) == {p["zhang_2024"], p["zhao_2024"]}
    assert pks({"q": "zs", "year": "2024", "area": "poverty", "state": "decided"}) == {
        p["zhang_2024"]
    }


@pytest.mark.django_db
def test_invalid_filters_narrow_nothing_and_punctuation_finds_nobody(proposals):
    assert pks({"year": "x", "area": "weather", "state": "lost"}) == set(proposals.values())
    assert pks({"q": "--"}) == set()
