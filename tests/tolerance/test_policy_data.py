"""A policy's stored content: the round trip to JSON-ready data and every refusal of
malformed content, each with its code (pure, no database)."""

import dataclasses
import json
from fractions import Fraction

import pytest
from django.utils import translation

from tolerance.catalogs import DEFAULT_PROCEDURE, GUANYUN, JINAN_2016, SHAANXI_2016, ZHEJIANG_2018
from tolerance.policies import policy_error_message
from tolerance.policy_data import (
    FORMAT,
    PolicyDataError,
    check_policy,
    policy_from_data,
    policy_to_data,
)
from tolerance.policy_types import RepeatedErrors


@pytest.mark.parametrize("policy", [SHAANXI_2016, JINAN_2016, GUANYUN, ZHEJIANG_2018])
def test_every_shipped_catalog_survives_a_json_round_trip(policy):
    data = json.loads(json.dumps(policy_to_data(policy)))

    assert policy_from_data(data) == policy


def test_fractions_and_tuples_are_stored_as_json_values():
    data = policy_to_data(ZHEJIANG_2018)

    assert data["format"] == FORMAT == 1
    assert data["code"] == "zhejiang-2018"
    assert data["procedure"]["quorum"] == "2/3"
    assert data["procedure"]["majority"] == "1/2"
    assert isinstance(data["procedure"]["published_outcomes"], list)
    assert data["repeated_errors"] == {
        "exclusion": "X4", "look_back_years": 3, "effect": "refuse"
    }
    assert policy_to_data(SHAANXI_2016)["repeated_errors"] is None


def test_reminder_days_round_trip():
    policy = dataclasses.replace(
        SHAANXI_2016, procedure=dataclasses.replace(DEFAULT_PROCEDURE, reminder_days=5)
    )

    data = policy_to_data(policy)

    assert data["procedure"]["reminder_days"] == 5
    assert policy_from_data(data) == policy


def test_content_stored_before_reminder_days_loads_with_two_days():
    data = policy_to_data(SHAANXI_2016)
    del data["procedure"]["reminder_days"]

    assert policy_from_data(data).procedure.reminder_days == 2


def test_content_without_separations_loads_with_none():
    data = policy_to_data(GUANYUN)
    del data["separations"]

    assert policy_from_data(data).separations == ()


def test_content_that_is_not_an_object_is_refused():
    with pytest.raises(PolicyDataError) as error:
        policy_from_data([1, 2])

    assert error.value.code == "not_object"
    with translation.override("zh-hans"):
        assert policy_error_message(error.value) == "内容必须是一个用 { } 括起来的 JSON 对象。"


def _code_of(change) -> tuple[str, dict]:
    data = policy_to_data(ZHEJIANG_2018)
    change(data)
    with pytest.raises(PolicyDataError) as error:
        policy_from_data(data)
    return error.value.code, error.value.params or {}


@pytest.mark.parametrize(
    ("change", "code", "params"),
    [
        (lambda d: d.update(format=None), "format", {"format": None}),
        (lambda d: d.pop("procedure"), "missing", {"key": "procedure"}),
        (lambda d: d["source"].pop("title"), "malformed", None),
        (lambda d: d["situations"][0].update(colour="red"), "malformed", None),
        (lambda d: d["procedure"].update(quorum="1/0"), "malformed", None),
        (lambda d: d.update(distinctions=[]), "empty", {"kind": "distinction"}),
        (lambda d: d.update(conditions=[]), "empty", {"kind": "condition"}),
        (
            lambda d: d["exclusions"].append(d["exclusions"][0]),
            "duplicate",
            {"kind": "exclusion"},
        ),
        (lambda d: d["procedure"].update(appeal_window_days=366), "days",
         {"name": "appeal_window_days"}),
        (lambda d: d["procedure"].update(acceptance_days=True), "days",
         {"name": "acceptance_days"}),
        (lambda d: d["procedure"].update(feedback_days=2.5), "days", {"name": "feedback_days"}),
        (lambda d: d["procedure"].update(quorum="0"), "vote", {}),
        (lambda d: d["procedure"].update(quorum="3/2"), "vote", {}),
        (lambda d: d["procedure"].update(majority="0"), "vote", {}),
        (lambda d: d["procedure"].update(majority_base="all"), "base", {}),
        (lambda d: d["procedure"].update(default_publication_scope="world"), "scope", {}),
        (lambda d: d["repeated_errors"].update(exclusion="X9"), "repeated", {}),
        (lambda d: d["repeated_errors"].update(look_back_years=21), "repeated", {}),
        (lambda d: d["repeated_errors"].update(look_back_years=0), "repeated", {}),
        (lambda d: d["repeated_errors"].update(look_back_years=True), "repeated", {}),
        (lambda d: d["repeated_errors"].update(effect="ignore"), "repeated", {}),
    ],
)
def test_malformed_content_is_refused_with_its_code(change, code, params):
    found_code, found_params = _code_of(change)

    assert found_code == code
    if params is not None:
        assert found_params == params


def test_a_policy_without_exclusions_may_be_used():
    policy = dataclasses.replace(SHAANXI_2016, exclusions=())

    check_policy(policy)  # does not raise

    assert policy_from_data(policy_to_data(policy)).exclusions == ()


def test_the_limits_themselves_are_allowed():
    procedure = dataclasses.replace(
        DEFAULT_PROCEDURE, acceptance_days=1, appeal_window_days=365, quorum=Fraction(1)
    )
    policy = dataclasses.replace(
        ZHEJIANG_2018,
        procedure=procedure,
        repeated_errors=RepeatedErrors(exclusion="X4", look_back_years=20, effect="warn"),
    )

    assert policy_from_data(policy_to_data(policy)) == policy
