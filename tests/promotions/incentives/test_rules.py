"""promotions.incentives.rules: the top units' bonus and a cadre's promotion eligibility."""

import datetime as dt

import pytest

from promotions.incentives import rules
from promotions.incentives.rules import MatterFact, WarningFact
from promotions.policy_data import DEFAULT_TERMS

T = DEFAULT_TERMS

@pytest.mark.parametrize(
    ("rank", "previous", "first", "amount", "clause", "places"),
    [
        (1, 4, False, 100, "first_place", 0),  # first place: 100万元
        (7, None, True, 100, "first_entry", 0),  # first-time entrant: 100万元
        (3, 5, False, 70, "base", 2),  # up 2 places: 50 + 2×10
        (6, 2, False, 10, "base", -4),  # down 4 places: 50 − 4×10
        (4, 4, False, 50, "base", 0),  # unchanged: 50
        (10, 2, False, 0, "base", -8),  # down 8: never below zero
    ],
)
def test_bonus_hand_computed(rank, previous, first, amount, clause, places):
    assert rules.bonus(rank, previous, first, T) == rules.Bonus(amount, clause, places)


def test_top_units_best_first():
    assert rules.top_units({10: 3, 11: 1, 12: 6, 13: 2}, 3) == [11, 13, 10]


AS_OF = dt.date(2024, 3, 1)


GOOD = {2021: "excellent", 2022: "excellent", 2023: "competent"}


def _explain(**kw):
    args = dict(
        as_of=AS_OF,
        rank_since=dt.date(2020, 1, 1),
        grades=GOOD,
        warnings=[],
        matters=[],
        team_grade=None,
        terms=T,
    )
    args.update(kw)
    return rules.eligibility(**args)


def _status(explanation):
    return {line.code: line.status for line in explanation.lines}


def test_eligibility_strong_grades_priority():
    e = _explain()
    assert e.verdict == "priority"
    assert _status(e) == {
        "years_in_rank": "ok",
        "grades": "priority",
        "warnings": "ok",
        "matters": "ok",
        "team": "info",
    }


def test_eligibility_competent_only_is_eligible():
    e = _explain(grades={2021: "competent", 2022: "excellent", 2023: "competent"})
    assert e.verdict == "eligible"


def test_eligibility_missing_or_basic_grade_blocks():
    assert _explain(grades={2021: "excellent", 2022: "excellent"}).verdict == "blocked"
    assert (
        _explain(grades={2021: "basic", 2022: "excellent", 2023: "excellent"}).verdict == "blocked"
    )


def test_eligibility_years_in_rank_boundary():
    assert _status(_explain(rank_since=dt.date(2021, 3, 1)))["years_in_rank"] == "ok"
    assert _status(_explain(rank_since=dt.date(2021, 3, 2)))["years_in_rank"] == "blocked"


def test_eligibility_short_years_with_strong_grades_is_exceptional():
    e = _explain(rank_since=dt.date(2022, 1, 1))
    assert (e.verdict, e.exceptional) == ("priority", True)


def test_eligibility_short_years_with_ordinary_grades_blocks():
    e = _explain(rank_since=dt.date(2022, 1, 1), grades={y: "competent" for y in GOOD})
    assert (e.verdict, e.exceptional) == ("blocked", False)


def test_eligibility_open_warning_blocks():
    e = _explain(warnings=[WarningFact(1, "conduct", dt.date(2023, 5, 1))])
    assert e.verdict == "blocked"
    assert _status(e)["warnings"] == "blocked"


def test_eligibility_counting_matter_blocks_exempted_does_not():
    counting = _explain(matters=[MatterFact(1, "事项", "counts")])
    reduced = _explain(matters=[MatterFact(1, "事项", "reduced")])
    exempted = _explain(matters=[MatterFact(1, "事项", "cleared")])
    assert (counting.verdict, reduced.verdict, exempted.verdict) == (
        "blocked",
        "blocked",
        "priority",
    )
    assert exempted.lines[3].params["cleared"] == [MatterFact(1, "事项", "cleared")]


def test_eligibility_good_team_gives_priority():
    e = _explain(grades={y: "competent" for y in GOOD}, team_grade="good")
    assert e.verdict == "priority"
    assert _status(e)["team"] == "priority"
