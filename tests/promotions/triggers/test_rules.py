"""Pure rules at their boundaries (no database)."""

import dataclasses

import pytest

from promotions.policy_data import DEFAULT_TERMS
from promotions.triggers import rules
from promotions.triggers.rules import Firing, IncidentFact, incompetent_grade_trigger

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


# ------------------------------------------------------------------ eligibility


# ------------------------------------------------------------------ policy data


INCOMPETENT = frozenset({"incompetent"})


@pytest.mark.parametrize(
    ("grade", "fired"),
    [("incompetent", True), ("basic", False), ("competent", False), (None, False)],
)
def test_grade_trigger_fires_only_on_the_named_grade(grade, fired):
    firing = incompetent_grade_trigger(
        grade, 2023, exempted_matters=0, exemption_reason="", grades=INCOMPETENT
    )
    assert firing == (Firing("grade.incompetent", (2023,)) if fired else None)


def test_grade_trigger_follows_the_policy_grades():
    both = frozenset({"incompetent", "basic"})
    assert incompetent_grade_trigger(
        "basic", 2023, exempted_matters=0, exemption_reason="", grades=both
    ) == Firing("grade.incompetent", (2023,))
    assert (
        incompetent_grade_trigger(
            "incompetent", 2023, exempted_matters=0, exemption_reason="", grades=frozenset()
        )
        is None
    )


def test_grade_in_an_exempted_year_needs_the_written_reason():
    args = {"grades": INCOMPETENT, "exempted_matters": 1}
    assert incompetent_grade_trigger("incompetent", 2023, exemption_reason="", **args) is None
    assert incompetent_grade_trigger("incompetent", 2023, exemption_reason="  \n", **args) is None
    assert incompetent_grade_trigger(
        "incompetent", 2023, exemption_reason="另有严重失职", **args
    ) == Firing("grade.incompetent_despite_exemption", (2023,))
