"""Jinan's seed defaults (seed 000, 004): part of the default content, each entry cited,
and they parse into the terms the rules read."""

from cadres.enums import Rank
from promotions.enums import TriggerArea
from promotions.policy_data import DEFAULT_CONTENT
from promotions.policy_jinan import jinan_terms
from promotions.policy_jinan_data import EXCEPTIONAL, GROUNDS, GROUNDS_SOURCE, INCOMPETENT_GRADE


def test_the_sections_are_part_of_the_default_content():
    assert DEFAULT_CONTENT["grounds"] is GROUNDS
    assert DEFAULT_CONTENT["incompetent_grade"] is INCOMPETENT_GRADE
    assert DEFAULT_CONTENT["exceptional"] is EXCEPTIONAL


def test_default_sections_parse():
    terms = jinan_terms(DEFAULT_CONTENT)
    assert [g.code for g in terms.grounds] == ["unsuitable", "unfit", "incompetent", "not_accepted"]
    assert all(g.situations == () for g in terms.grounds)
    assert terms.incompetent_grades == frozenset({"incompetent"})
    assert [s.code for s in terms.exceptional.situations] == [
        "outstanding_results",
        "strong_grades",
        "chucai",
    ]
    assert terms.exceptional.declared_situations == 12
    assert terms.exceptional.waivable == frozenset({"years_in_rank", "rank_step"})


def test_the_grounds_are_the_staff_proposed_trigger_areas_each_cited():
    assert {g["code"] for g in GROUNDS} == TriggerArea.ground_areas()
    assert {g["source"] for g in GROUNDS} == {GROUNDS_SOURCE}
    assert [g["title"] for g in GROUNDS] == [
        "不适宜担任现职", "不胜任现职", "不称职", "不被干部群众公认"
    ]


def test_the_exceptional_ladder_climbs_leadership_ranks():
    ladder = EXCEPTIONAL["ladder"]

    assert ladder == sorted(ladder) and len(set(ladder)) == len(ladder)
    assert [Rank(value).name for value in ladder[:3]] == [
        "SECTION_DEPUTY", "SECTION_CHIEF", "COUNTY_DEPUTY"
    ]
    assert all(s["source"] and s["title"] for s in EXCEPTIONAL["situations"])
    assert len(EXCEPTIONAL["situations"]) < EXCEPTIONAL["declared_situations"]
