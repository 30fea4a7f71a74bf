"""The outstanding-principal score: hand-computed examples, no database."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction

import pytest

from promotions.incentives.outstanding_rules import (
    UnitResults,
    chosen,
    monitoring_points,
    outstanding_score,
    outstanding_terms,
    places,
    rank_gain_points,
)
from promotions.policy_data import DEFAULT_CONTENT, PolicyDataError

TERMS = outstanding_terms(DEFAULT_CONTENT)


def test_default_terms_are_the_documented_weights():
    assert (TERMS.count, TERMS.weights, TERMS.points_per_place) == (
        10,
        {"target": 40, "monitoring": 30, "rank_gain": 10, "poverty": 20},
        10,
    )
    assert TERMS.target_points == {"excellent": 100, "good": 80, "average": 50, "poor": 0}


def test_all_four_components():
    # good 80; place 3 of 11: 100×8/10 = 80; up 2: 50+10×2 = 70; target met 100
    # (40×80 + 30×80 + 10×70 + 20×100) / 100 = 8300 / 100
    score = outstanding_score(UnitResults("good", 3, 11, 5, True), TERMS)
    assert score.total == Decimal("83.00")
    assert [(c.code, c.points) for c in score.components] == [
        ("target", 80),
        ("monitoring", 80),
        ("rank_gain", 70),
        ("poverty", 100),
    ]
    assert score.components[2].facts["gained"] == 2


def test_without_poverty_target_the_weight_leaves_the_mean():
    # (40×80 + 30×80 + 10×70) / 80 = 6300 / 80
    score = outstanding_score(UnitResults("good", 3, 11, 5, None), TERMS)
    assert score.total == Decimal("78.75")
    assert score.components[3].applies is False


def test_not_ranked_last_year_and_target_missed():
    # excellent 100; first of 7: 100; no previous rank; missed: 0
    # (40×100 + 30×100 + 20×0) / 90 = 7000 / 90 = 77.777…
    score = outstanding_score(UnitResults("excellent", 1, 7, None, False), TERMS)
    assert score.total == Decimal("77.78")
    assert score.components[2].points is None


def test_last_place_losing_a_place():
    # average 50; last of 11: 0; down 1: 50−10 = 40; (40×50 + 30×0 + 10×40) / 80 = 2400 / 80
    score = outstanding_score(UnitResults("average", 11, 11, 10, None), TERMS)
    assert score.total == Decimal("30.00")


def test_missing_required_results_leave_the_principal_unranked():
    no_grade = outstanding_score(UnitResults(None, 2, 10, 3, True), TERMS)
    assert (no_grade.total, no_grade.missing) == (None, ("target",))
    no_rank = outstanding_score(UnitResults("good", None, None, None, None), TERMS)
    assert (no_rank.total, no_rank.missing) == (None, ("monitoring",))
    unknown_grade = outstanding_score(UnitResults("splendid", 2, 10), TERMS)
    assert unknown_grade.missing == ("target",)


def test_monitoring_and_gain_points_are_linear_and_clamped():
    assert monitoring_points(1, 1) == 100
    assert monitoring_points(2, 5) == 75
    assert monitoring_points(4, 7) == 50
    assert rank_gain_points(12, 2, 10) == 100  # +10 places would be 150
    assert rank_gain_points(1, 9, 10) == 0  # −8 places would be −30
    assert rank_gain_points(4, 4, 10) == 50
    assert rank_gain_points(5, 2, 7) == Fraction(71)


def test_rounding_is_half_up_to_cents():
    terms = outstanding_terms(
        {
            "outstanding": {
                "count": 3,
                "weights": {"target": 1, "monitoring": 1, "rank_gain": 0, "poverty": 0},
                "target_points": {"good": 81},
                "points_per_place_gained": 10,
            }
        }
    )
    # (81 + 100×1/8) / 2 = (81 + 12.5) / 2 = 46.75; place 8 of 9
    assert outstanding_score(UnitResults("good", 8, 9), terms).total == Decimal("46.75")
    # (81 + 100×2/3) / 2 = 73.8333… → 73.83
    assert outstanding_score(UnitResults("good", 2, 4), terms).total == Decimal("73.83")
    # (81 + 100) / 2: zero-weight components do not count even when they apply
    assert outstanding_score(UnitResults("good", 1, 4, 3, True), terms).total == Decimal("90.50")


def test_places_share_ties_and_skip_after_them():
    scores = {
        "a": Decimal("90"),
        "b": Decimal("85"),
        "c": Decimal("85"),
        "d": Decimal("80"),
        "e": None,
    }
    assert places(scores) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert [chosen(p, 2) for p in (1, 2, 2, 4)] == [True, True, True, False]
    assert chosen(None, 10) is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("weights"), "malformed"),
        (lambda s: s["weights"].update(target=0), "above zero"),
        (lambda s: s["weights"].update(poverty=-1), "weights.poverty"),
        (lambda s: s["target_points"].update(good=120), "at most 100"),
        (lambda s: s.update(count="ten"), "count"),
    ],
)
def test_malformed_sections_are_refused(change, message):
    content = copy.deepcopy(DEFAULT_CONTENT)
    change(content["outstanding"])
    with pytest.raises(PolicyDataError, match=message):
        outstanding_terms(content)


def test_a_policy_without_the_section_is_refused():
    content = {k: v for k, v in DEFAULT_CONTENT.items() if k != "outstanding"}
    with pytest.raises(PolicyDataError, match="no 'outstanding' section"):
        outstanding_terms(content)
