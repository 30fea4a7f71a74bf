"""Pure rules at their boundaries (no database)."""

import dataclasses
import datetime as dt

import pytest

from promotions.policy_data import DEFAULT_CONTENT, DEFAULT_TERMS, PolicyDataError, terms_from_data
from promotions.triggers import rules
from promotions.triggers.rules import IncidentFact, MatterFact, WarningFact

T = DEFAULT_TERMS


# ------------------------------------------------------------------ area 1: target grades


def test_target_average_exactly_two_consecutive_years_fires():
    firing = rules.target_trigger({2022: "average", 2023: "average"}, 2023, T)
    assert firing == rules.Firing("target.average", (2022, 2023))


def test_target_average_two_non_consecutive_years_does_not_fire():
    assert rules.target_trigger({2021: "average", 2022: "good", 2023: "average"}, 2023, T) is None


def test_target_average_two_running_but_not_ending_this_year_does_not_fire():
    assert rules.target_trigger({2021: "average", 2022: "average", 2023: "good"}, 2023, T) is None


def test_target_poor_this_year_fires_alone():
    assert rules.target_trigger({2023: "poor"}, 2023, T) == rules.Firing("target.poor", (2023,))


def test_target_poor_last_year_only_does_not_fire():
    assert rules.target_trigger({2022: "poor", 2023: "good"}, 2023, T) is None


def test_target_policy_three_years_needs_three():
    terms = dataclasses.replace(T, target_average_years=3)
    assert rules.target_trigger({2022: "average", 2023: "average"}, 2023, terms) is None


# ------------------------------------------------------------------ area 2: rank drops


def test_largest_drops_top_three_of_counties():
    changes = {1: -5, 2: -4, 3: -3, 4: -2, 5: 3, 6: None}
    assert rules.largest_drops(changes, 3) == {1, 2, 3}


def test_largest_drops_ties_share_the_last_place():
    changes = {1: -5, 2: -4, 3: -4, 4: -4, 5: -1}
    assert rules.largest_drops(changes, 3) == {1, 2, 3, 4}


def test_largest_drop_of_districts_tie_at_the_top():
    assert rules.largest_drops({1: -2, 2: -2, 3: -1}, 1) == {1, 2}


def test_largest_drops_ignore_gains_unchanged_and_new():
    assert rules.largest_drops({1: 0, 2: 4, 3: None}, 3) == set()


def test_monitoring_two_consecutive_years_fires():
    assert rules.monitoring_trigger({2022, 2023}, 2023, T) == rules.Firing(
        "monitoring.drops", (2022, 2023)
    )


def test_monitoring_two_non_consecutive_years_does_not_fire():
    assert rules.monitoring_trigger({2021, 2023}, 2023, T) is None


# ------------------------------------------------------------------ area 3: poverty


def test_poverty_missed_fires_met_or_unknown_does_not():
    assert rules.poverty_trigger(False, 2023) == rules.Firing("poverty.missed", (2023,))
    assert rules.poverty_trigger(True, 2023) is None
    assert rules.poverty_trigger(None, 2023) is None


# ------------------------------------------------------------------ areas 4–7: incidents


def _fact(pk, severity, **kw):
    return IncidentFact(pk, severity, **kw)


def test_one_especially_serious_accident_fires():
    firing = rules.count_trigger([_fact(7, "especially_serious")], T.work_safety, "work_safety")
    assert firing == rules.Firing("work_safety.especially_serious", evidence=(7,))


def test_two_serious_accidents_in_one_year_fire():
    firing = rules.count_trigger(
        [_fact(1, "serious"), _fact(2, "serious")], T.work_safety, "work_safety"
    )
    assert firing == rules.Firing("work_safety.serious", evidence=(1, 2))


def test_one_serious_accident_in_each_of_two_years_does_not_fire():
    # the scan passes one year's incidents: each year holds one serious accident
    assert rules.count_trigger([_fact(1, "serious")], T.work_safety, "work_safety") is None
    assert rules.count_trigger([_fact(2, "serious")], T.work_safety, "work_safety") is None


def test_exempted_accident_does_not_count():
    facts = [_fact(1, "serious"), _fact(2, "serious", counts=False)]
    assert rules.count_trigger(facts, T.work_safety, "work_safety") is None


def test_relatively_serious_never_counts():
    facts = [_fact(i, "relatively_serious") for i in range(5)]
    assert rules.count_trigger(facts, T.stability, "stability") is None


def test_environment_not_handled_in_time_or_secondary_disaster():
    assert rules.environment_trigger(
        [_fact(1, "serious", handled_in_time=False, secondary_disaster=False)], T
    ) == rules.Firing("environment.mishandled", evidence=(1,))
    assert rules.environment_trigger(
        [_fact(2, "serious", handled_in_time=True, secondary_disaster=True)], T
    ) == rules.Firing("environment.mishandled", evidence=(2,))
    assert (
        rules.environment_trigger(
            [_fact(3, "serious", handled_in_time=True, secondary_disaster=False)], T
        )
        is None
    )
    assert rules.environment_trigger([_fact(4, "ordinary", handled_in_time=False)], T) is None


def test_party_building_needs_circulated_criticism():
    assert rules.party_trigger([_fact(1, "serious", criticized_by="provincial")], T) == (
        rules.Firing("party_building.criticized", evidence=(1,))
    )
    assert rules.party_trigger([_fact(2, "serious", criticized_by="")], T) is None


# ------------------------------------------------------------------ bonus (hand-computed)


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


# ------------------------------------------------------------------ eligibility


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


# ------------------------------------------------------------------ policy data


def test_policy_data_rejects_negative_and_missing():
    broken = {**DEFAULT_CONTENT, "bonus": {**DEFAULT_CONTENT["bonus"], "base": -1}}
    with pytest.raises(PolicyDataError):
        terms_from_data(broken)
    with pytest.raises(PolicyDataError):
        terms_from_data({"format": 1})
