"""Pure rules of error tolerance: no database."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from django.utils import translation

from tests.policy_support import TEST_MEASURE as SHAANXI_2016
from tolerance.catalogs import GUANYUN
from tolerance.enums import (
    Advice,
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    Severity,
)
from tolerance.rules import (
    DEFAULT_DELIBERATION,
    DeliberationRules,
    Findings,
    Reason,
    departs_from_advice,
    quorum_check,
    summarize,
    vote_result,
)

TOLERABLE = DistinctionSide.TOLERABLE
NOT_TOLERABLE = DistinctionSide.NOT_TOLERABLE
HOLDS = ConditionStatus.HOLDS
FAILS = ConditionStatus.FAILS
PRESENT = ExclusionStatus.PRESENT
ABSENT = ExclusionStatus.ABSENT


def pilot_reform(**changes) -> Findings:
    """Seed example: a pilot reform that failed, decided democratically, no private gain,
    losses recovered; all distinctions on the tolerable side."""
    values = {
        "distinctions": {"D1": TOLERABLE, "D2": TOLERABLE, "D3": TOLERABLE},
        "conditions": {"C1": HOLDS, "C2": HOLDS, "C3": HOLDS, "C4": HOLDS},
        "exclusions": {code: ABSENT for code in ("X1", "X2", "X3", "X4", "X5", "X6")},
        "situations": frozenset({"SX-01", "SX-02"}),
        "remedy_taken": True,
        "severity": Severity.MINOR,
    }
    values.update(changes)
    return Findings(**values)


def with_changes(mapping: dict, **changes) -> dict:
    return {**mapping, **changes}


def test_summarize_pilot_reform_with_remedy_is_exempt():
    summary = summarize(pilot_reform(), SHAANXI_2016)

    assert summary.advice == Advice.EXEMPT
    assert summary.reason_codes == (
        "SX-01", "SX-02", "D1", "D2", "D3", "C1", "C2", "C3", "C4", "SEVERITY", "REMEDY",
    )  # fmt: skip
    assert [r.code for r in summary.situations_matched] == ["SX-01", "SX-02"]
    assert summary.situations_matched[0].text == SHAANXI_2016.situation("SX-01").text
    assert summary.distinctions_tolerable[0].text == (
        "在推进改革中因缺乏经验、先行先试出现的失误和错误"
    )
    assert [r.code for r in summary.conditions_holding] == ["C1", "C2", "C3", "C4"]
    assert summary.conditions_failing == ()
    assert summary.exclusions_applying == ()
    assert summary.missing == ()
    assert summary.conflicts == ()
    assert summary.policy_code == "testcounty-2016"


def test_summarize_private_gain_is_not_tolerated():
    findings = pilot_reform(
        distinctions={"D1": TOLERABLE, "D2": TOLERABLE, "D3": NOT_TOLERABLE},
        conditions={"C1": HOLDS, "C2": HOLDS, "C3": HOLDS, "C4": FAILS},
        exclusions=with_changes(pilot_reform().exclusions, X1=PRESENT),
    )
    summary = summarize(findings, SHAANXI_2016)

    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("X1", "D3", "C4")
    assert summary.reasons[0].text == "为自己、他人或单位谋取私利的"
    assert summary.reasons[1].text == "为谋取私利的违纪违法行为"
    assert [r.code for r in summary.exclusions_applying] == ["X1"]
    assert [r.code for r in summary.conditions_failing] == ["C4"]
    assert [r.code for r in summary.distinctions_not_tolerable] == ["D3"]
    assert summary.conflicts == ()


def test_summarize_private_gain_with_d3_marked_tolerable_reports_conflicts():
    findings = pilot_reform(exclusions=with_changes(pilot_reform().exclusions, X1=PRESENT))
    with translation.override("en"):
        summary = summarize(findings, SHAANXI_2016)

    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("X1",)
    assert summary.conflicts == (
        "Exclusion X1 is present but D3 is on its tolerable side.",
        "Exclusion X1 is present but condition C4 holds.",
    )


def test_summarize_persisting_after_prohibition_is_not_tolerated():
    findings = pilot_reform(
        distinctions={"D1": TOLERABLE, "D2": NOT_TOLERABLE, "D3": TOLERABLE},
        exclusions=with_changes(pilot_reform().exclusions, X3=PRESENT),
    )
    summary = summarize(findings, SHAANXI_2016)

    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("X3", "D2")
    assert summary.reasons[1].text == "上级明令禁止后依然我行我素的违纪违法行为"


def test_summarize_bar_decides_even_when_other_facts_are_missing():
    findings = pilot_reform(
        distinctions={"D2": NOT_TOLERABLE},
        conditions={"C1": HOLDS},
        exclusions={"X3": PRESENT},
        situations=None,
        severity=None,
        remedy_taken=None,
    )
    summary = summarize(findings, SHAANXI_2016)

    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("X3", "D2")
    assert summary.missing_codes == (
        "X1", "X2", "X4", "X5", "X6", "D1", "D3", "C2", "C3", "C4",
        "SITUATIONS", "SEVERITY", "REMEDY",
    )  # fmt: skip


def test_summarize_missing_facts_is_undetermined_and_names_them():
    findings = Findings(
        distinctions={"D1": TOLERABLE, "D2": DistinctionSide.UNDETERMINED},
        conditions={"C1": HOLDS, "C2": HOLDS, "C4": HOLDS},
        exclusions={code: ABSENT for code in ("X1", "X3", "X4", "X5", "X6")},
    )
    with translation.override("en"):
        summary = summarize(findings, SHAANXI_2016)

    assert summary.advice == Advice.UNDETERMINED
    assert summary.missing_codes == (
        "X2", "D2", "D3", "C3", "SITUATIONS", "SEVERITY", "REMEDY",
    )  # fmt: skip
    assert summary.reasons == summary.missing
    texts = {reason.code: reason.text for reason in summary.missing}
    assert texts["X2"] == "明知故犯、违纪违法的"
    assert texts["C3"] == "按照实际情况经过民主决策"
    assert texts["D2"] == (
        "上级尚无明确限制的探索性试验中的失误和错误 / 上级明令禁止后依然我行我素的违纪违法行为"
    )
    assert texts["SEVERITY"] == "The severity of the consequences has not been established."
    assert texts["REMEDY"] == "It has not been established whether remedial action was taken."


def test_summarize_single_missing_fact_is_undetermined():
    summary = summarize(pilot_reform(severity=None), SHAANXI_2016)

    assert summary.advice == Advice.UNDETERMINED
    assert summary.missing_codes == ("SEVERITY",)


def test_summarize_no_matching_situation_is_not_tolerated():
    summary = summarize(pilot_reform(situations=frozenset()), SHAANXI_2016)

    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("NO-SITUATION",)
    assert summary.situations_matched == ()


@pytest.mark.parametrize(
    ("severity", "remedy_taken", "risk_filed", "advice"),
    [
        (Severity.MINOR, True, False, Advice.EXEMPT),
        (Severity.SERIOUS, True, False, Advice.MITIGATED),
        (Severity.GRAVE, True, False, Advice.LIGHTER),
        (Severity.MINOR, False, False, Advice.MITIGATED),
        (Severity.SERIOUS, False, False, Advice.LIGHTER),
        (Severity.GRAVE, False, False, Advice.LIGHTER),
        (Severity.SERIOUS, True, True, Advice.EXEMPT),
        (Severity.GRAVE, True, True, Advice.MITIGATED),
        (Severity.MINOR, False, True, Advice.MITIGATED),
    ],
)
def test_summarize_grading_by_consequences_remedy_and_filing(
    severity, remedy_taken, risk_filed, advice
):
    findings = pilot_reform(severity=severity, remedy_taken=remedy_taken, risk_filed=risk_filed)

    assert summarize(findings, SHAANXI_2016).advice == advice


def test_summarize_grading_cites_the_facts_behind_it():
    findings = pilot_reform(severity=Severity.SERIOUS, risk_filed=True)
    with translation.override("en"):
        summary = summarize(findings, SHAANXI_2016)

    assert summary.advice == Advice.EXEMPT
    assert summary.reasons[-3:] == (
        Reason("SEVERITY", "The consequences are serious."),
        Reason("RISK-FILED", "The risk was assessed and filed beforehand."),
        Reason("REMEDY", "Remedial action was taken to eliminate the impact or recover losses."),
    )


def test_summarize_accepts_plain_string_values():
    findings = pilot_reform(
        distinctions={"D1": "tolerable", "D2": "tolerable", "D3": "tolerable"},
        conditions={"C1": "holds", "C2": "holds", "C3": "holds", "C4": "holds"},
        severity="grave",
    )

    assert summarize(findings, SHAANXI_2016).advice == Advice.LIGHTER


def test_summarize_guanyun_situation_is_exempt():
    findings = pilot_reform(
        situations=frozenset({"GY-05"}),
        conditions={"GC1": HOLDS},  # Guanyun's measure names one condition of its own
        exclusions={code: ABSENT for code in ("X1", "X2", "X3")},
    )
    summary = summarize(findings, GUANYUN)

    assert summary.advice == Advice.EXEMPT
    assert summary.reason_codes[0] == "GY-05"
    assert summary.policy_code == "guanyun"


def test_summarize_unknown_codes_raise():
    with pytest.raises(ValueError, match="unknown situation code"):
        summarize(pilot_reform(situations=frozenset({"GY-05"})), SHAANXI_2016)
    with pytest.raises(ValueError, match="unknown condition code"):
        summarize(pilot_reform(conditions={"C9": HOLDS}), SHAANXI_2016)
    with pytest.raises(ValueError):
        summarize(pilot_reform(severity="catastrophic"), SHAANXI_2016)
    with pytest.raises(ValueError):
        summarize(pilot_reform(distinctions={"D1": "maybe"}), SHAANXI_2016)


@pytest.mark.parametrize(
    ("advice", "decided", "departs"),
    [
        (Advice.EXEMPT, Outcome.EXEMPT, False),
        (Advice.NOT_TOLERATED, Outcome.NOT_TOLERATED, False),
        (Advice.EXEMPT, Outcome.LIGHTER, True),
        (Advice.NOT_TOLERATED, Outcome.MITIGATED, True),
        (Advice.UNDETERMINED, Outcome.EXEMPT, True),
        ("lighter", "lighter", False),
    ],
)
def test_departs_from_advice(advice, decided, departs):
    assert departs_from_advice(advice, decided) is departs


def test_departs_from_advice_rejects_unknown_values():
    with pytest.raises(ValueError):
        departs_from_advice("pardoned", Outcome.EXEMPT)
    with pytest.raises(ValueError):
        departs_from_advice(Advice.EXEMPT, "undetermined-ish")


# Two thirds present, more than half of those present: the shape the old default had.
TWO_THIRDS = DeliberationRules(
    quorum=Fraction(2, 3), quorum_exceeds=False, majority=Fraction(1, 2),
    majority_base="present", decider="present_member",
)


def test_vote_result_quorum_exactly_met_passes():
    result = vote_result(members=9, present=6, votes_for=4, rules=TWO_THIRDS)

    assert result.required_present == 6
    assert result.required_votes == 4
    assert result.quorate is True
    assert result.passed is True


def test_vote_result_one_short_of_quorum_fails():
    result = vote_result(members=9, present=5, votes_for=5, rules=TWO_THIRDS)

    assert result.required_present == 6
    assert result.quorate is False
    assert result.passed is False


def test_vote_result_exactly_half_of_present_fails():
    result = vote_result(members=9, present=6, votes_for=3, rules=TWO_THIRDS)

    assert result.quorate is True
    assert result.required_votes == 4
    assert result.passed is False


@pytest.mark.parametrize(
    ("members", "present", "votes_for", "required_present", "required_votes", "passed"),
    [
        (9, 7, 4, 6, 4, True),
        (9, 7, 3, 6, 4, False),
        (10, 7, 4, 7, 4, True),
        (10, 6, 6, 7, 4, False),
        (3, 2, 2, 2, 2, True),
        (1, 1, 1, 1, 1, True),
    ],
)
def test_vote_result_boundaries(
    members, present, votes_for, required_present, required_votes, passed
):
    result = vote_result(members, present, votes_for, TWO_THIRDS)

    assert (result.required_present, result.required_votes, result.passed) == (
        required_present,
        required_votes,
        passed,
    )


@pytest.mark.parametrize(
    ("members", "present", "required_present", "quorate"),
    [(4, 2, 3, False), (4, 3, 3, True), (5, 3, 3, True), (5, 2, 3, False), (3, 1, 2, False),
     (2, 2, 2, True), (1, 1, 1, True)],
)
def test_default_quorum_is_more_than_half_of_the_members(members, present, required_present,
                                                         quorate):
    check = quorum_check(members, present, DEFAULT_DELIBERATION)
    assert (check.required_present, check.quorate) == (required_present, quorate)


@pytest.mark.parametrize(
    ("members", "present", "votes_for", "required_votes", "passed"),
    [(4, 4, 2, 3, False), (4, 3, 3, 3, True), (5, 3, 3, 3, True), (9, 5, 4, 5, False),
     (9, 5, 5, 5, True)],
)
def test_default_majority_counts_all_the_members(members, present, votes_for, required_votes,
                                                 passed):
    result = vote_result(members, present, votes_for, DEFAULT_DELIBERATION)
    assert (result.required_votes, result.passed) == (required_votes, passed)


def test_vote_result_majority_of_all_members_when_the_rules_say_so():
    rules = dataclasses.replace(TWO_THIRDS, majority_base="members")

    assert vote_result(9, 6, 4, rules).passed is False
    assert vote_result(9, 6, 5, rules).required_votes == 5
    assert vote_result(9, 6, 5, rules).passed is True


@pytest.mark.parametrize(
    ("members", "present", "votes_for"),
    [(0, 0, 0), (9, 10, 5), (9, -1, 0), (9, 6, 7), (9, 6, -1)],
)
def test_vote_result_rejects_impossible_counts(members, present, votes_for):
    with pytest.raises(ValueError):
        vote_result(members, present, votes_for, TWO_THIRDS)


def test_deliberation_rules_parse_the_policy_version_fields():
    rules = DeliberationRules.parse(quorum="2/3", quorum_exceeds=False, majority="1/2",
                                    majority_base="present", decider="chair")
    assert rules == dataclasses.replace(TWO_THIRDS, decider="chair")


@pytest.mark.parametrize(
    "fields",
    [
        {"quorum": "0"}, {"quorum": "3/2"}, {"quorum": "abc"}, {"majority": "1"},
        {"quorum": "1", "quorum_exceeds": True}, {"majority_base": "everyone"},
        {"decider": "anyone"},
    ],
)
def test_deliberation_rules_refuse_unusable_values(fields):
    values = {"quorum": "1/2", "quorum_exceeds": True, "majority": "1/2",
              "majority_base": "members", "decider": "present_member", **fields}
    with pytest.raises(ValueError):
        DeliberationRules.parse(**values)
