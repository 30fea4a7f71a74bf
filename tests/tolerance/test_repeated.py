"""The repeated-error exclusion, pure (no database)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from tests.policy_support import TEST_MEASURE
from tolerance.catalogs import JINAN_2016, ZHEJIANG_2018
from tolerance.enums import Advice, ConditionStatus, DistinctionSide, ExclusionStatus, Outcome
from tolerance.repeated import EarlierCase, apply_repeated_error, find_repeated_error
from tolerance.rules import Findings, summarize

CONDUCT = dt.date(2026, 3, 10)
ZJ = Findings(
    distinctions={c: DistinctionSide.TOLERABLE for c in ("D1", "D2", "D3")},
    conditions={"ZC1": ConditionStatus.HOLDS},
    exclusions={c: ExclusionStatus.ABSENT for c in ("X1", "X2", "X3", "X4", "X6")},
    situations=frozenset({"ZJ-01"}),
    remedy_taken=True,
    severity="minor",
)


def earlier(outcome=Outcome.EXEMPT, on=dt.date(2025, 6, 1), situations=("ZJ-01",)):
    return EarlierCase("RC2025-00007", outcome, frozenset(situations), "项目审批失误", on)


def advice(cases, reason=""):
    found = find_repeated_error(
        ZHEJIANG_2018, cases, situations=ZJ.situations, occurred_on=CONDUCT, not_same_reason=reason
    )
    return apply_repeated_error(summarize(ZJ, ZHEJIANG_2018), found)


def test_without_an_earlier_case_the_advice_is_exempt():
    assert advice([]).advice == Advice.EXEMPT


def test_an_earlier_tolerated_case_of_the_same_situation_refuses_citing_it():
    with translation.override("en"):
        summary = advice([earlier()])

    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reasons[0].code == "X4"
    assert summary.reasons[0].text == (
        "Repeated error: earlier case RC2025-00007 (项目审批失误, conduct on 2025-06-01) was "
        "tolerated for the same situation ZJ-01 within 3 years."
    )


def test_an_earlier_case_outside_the_look_back_or_not_tolerated_does_not_count():
    assert advice([earlier(on=dt.date(2023, 3, 9))]).advice == Advice.EXEMPT
    assert advice([earlier(outcome=Outcome.NOT_TOLERATED)]).advice == Advice.EXEMPT
    assert advice([earlier(situations=("ZJ-02",))]).advice == Advice.EXEMPT
    assert advice([earlier(on=dt.date(2023, 3, 10))]).advice == Advice.NOT_TOLERATED


def test_the_investigator_records_it_is_not_the_same_error_with_a_reason():
    with translation.override("en"):
        summary = advice([earlier()], reason="前案系审批程序问题，本案系资金拨付问题")

    assert summary.advice == Advice.EXEMPT
    assert summary.reasons[-1].text == (
        "Earlier case RC2025-00007 (项目审批失误) shares situation ZJ-01, but the "
        "investigator recorded that it is not the same error: "
        "前案系审批程序问题，本案系资金拨付问题"
    )


def test_a_measure_without_the_rule_ignores_earlier_cases():
    for policy in (JINAN_2016, TEST_MEASURE):
        found = find_repeated_error(
            policy, [earlier(situations=("JN-01", "SX-01"))],
            situations=frozenset({"JN-01", "SX-01"}), occurred_on=CONDUCT,
        )
        assert found is None


def test_a_warning_policy_keeps_the_advice_and_adds_the_reason():
    import dataclasses

    warn = dataclasses.replace(
        ZHEJIANG_2018,
        repeated_errors=dataclasses.replace(ZHEJIANG_2018.repeated_errors, effect="warn"),
    )
    found = find_repeated_error(warn, [earlier()], situations=ZJ.situations, occurred_on=CONDUCT)
    summary = apply_repeated_error(summarize(ZJ, warn), found)

    assert (summary.advice, summary.reasons[-1].code) == (Advice.EXEMPT, "X4")
