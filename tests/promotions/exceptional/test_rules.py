"""Pure rules of Jinan's grade trigger and exceptional promotion, at their boundaries."""

from __future__ import annotations

import datetime as dt

from cadres.enums import Rank
from promotions.exceptional.rules import exceptional_check, rank_steps
from promotions.policy_data import DEFAULT_CONTENT, DEFAULT_TERMS
from promotions.policy_jinan import Situation, jinan_terms

EX = jinan_terms(DEFAULT_CONTENT).exceptional
PLAIN = Situation("outstanding_results", "工作实绩突出")
GRADES = Situation("strong_grades", "近3年称职以上两次优秀", check="grades")
AS_OF = dt.date(2024, 6, 30)


# --------------------------------------------------------------- grade trigger


# --------------------------------------------------------------- exceptional promotion


def _check(**kw):
    args = {
        "as_of": AS_OF,
        "current_rank": Rank.SECTION_CHIEF,
        "rank_since": dt.date(2022, 1, 1),
        "target_rank": Rank.COUNTY_DEPUTY,
        "situation": PLAIN,
        "grades": {},
        "open_warnings": 0,
        "counting_matters": 0,
        "terms": DEFAULT_TERMS,
        "ex": EX,
    }
    args.update(kw)
    return exceptional_check(**args)


def _status(check):
    return {t.code: t.status for t in check.thresholds}


def test_rank_steps_counts_leadership_levels_climbed():
    ladder = EX.ladder
    assert rank_steps(Rank.SECTION_CHIEF, Rank.COUNTY_DEPUTY, ladder) == 1
    assert rank_steps(Rank.SECTION_CHIEF, Rank.COUNTY_CHIEF, ladder) == 2
    assert rank_steps(Rank.PRINCIPAL_STAFF_1, Rank.SECTION_CHIEF, ladder) == 1
    assert rank_steps(Rank.COUNTY_DEPUTY, Rank.COUNTY_DEPUTY, ladder) == 0


def test_years_in_rank_boundary_one_day_short_is_waived():
    short = _check(rank_since=dt.date(2021, 7, 1))  # 2 full years on 2024-06-30
    enough = _check(rank_since=dt.date(2021, 6, 30))  # exactly 3 full years
    assert _status(short)["years_in_rank"] == "waived"
    assert short.thresholds[0].params == {"years": 2, "minimum": 3, "since": "2021-07-01"}
    assert _status(enough)["years_in_rank"] == "met"
    assert (short.waived, short.submittable) == (("years_in_rank",), True)
    assert (enough.waived, enough.submittable) == ((), False)


def test_skipping_a_level_is_waived_one_level_is_not():
    one = _check(rank_since=dt.date(2010, 1, 1))
    two = _check(rank_since=dt.date(2010, 1, 1), target_rank=Rank.COUNTY_CHIEF)
    assert _status(one)["rank_step"] == "met"
    assert _status(two)["rank_step"] == "waived"
    assert two.thresholds[1].params == {
        "steps": 2,
        "current": Rank.SECTION_CHIEF,
        "target": Rank.COUNTY_CHIEF,
    }


def test_a_policy_that_does_not_allow_the_waiver_blocks():
    from dataclasses import replace

    strict = replace(EX, waivable=frozenset({"rank_step"}))
    check = _check(ex=strict)
    assert _status(check)["years_in_rank"] == "blocked"
    assert (check.blocked, check.submittable) == (("years_in_rank",), False)


def test_grades_situation_boundary_two_excellent_needed():
    good = {2021: "excellent", 2022: "competent", 2023: "excellent"}
    once = {2021: "excellent", 2022: "competent", 2023: "competent"}
    low = {2021: "excellent", 2022: "basic", 2023: "excellent"}
    assert _status(_check(situation=GRADES, grades=good))["situation"] == "met"
    assert _status(_check(situation=GRADES, grades=once))["situation"] == "blocked"
    assert _status(_check(situation=GRADES, grades=low))["situation"] == "blocked"
    params = [t for t in _check(situation=GRADES, grades=once).thresholds if t.code == "situation"]
    assert params[0].params == {
        "grades": {"2021": "excellent", "2022": "competent", "2023": "competent"},
        "excellent": 1,
        "needed": 2,
    }
    assert "situation" not in _status(_check(situation=PLAIN, grades=once))


def test_warnings_and_counting_matters_are_never_waived():
    check = _check(open_warnings=1, counting_matters=2)
    assert _status(check) == {
        "years_in_rank": "waived",
        "rank_step": "met",
        "warnings": "blocked",
        "matters": "blocked",
    }
    assert (check.blocked, check.submittable) == (("warnings", "matters"), False)
