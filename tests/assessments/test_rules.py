"""Pure rules: no database."""

from dataclasses import replace
from decimal import Decimal

import pytest

from assessments.enums import CheckupSource, Dimension, Grade, IncidentKind, Rating, Rounding
from assessments.rules import (
    CheckupInput,
    CheckupPolicy,
    QuotaTerms,
    RotationPolicy,
    UniformityPolicy,
    check_quota,
    competition_winner,
    detect_everyone_competent,
    detect_rotating_excellent,
    excellent_quota,
    incident_problems,
    missing_sources,
    needs_exemption_reason,
    participants,
    poverty_target_met,
    rank_change,
    rank_problems,
    reverse_checkup_list,
)

# The seeded defaults (migration 0004_default_detection_policy).
ROTATION = RotationPolicy(
    window_years=4, max_awards_per_person=1, min_rotating_awards=3, min_coverage=Decimal("0.5")
)
CHECKUP = CheckupPolicy(problems_for_warning=1, concerns_for_warning=2)
UNIFORMITY = UniformityPolicy(
    min_years=3, min_participants=5, max_below_competent=0, min_competent_share=Decimal("0.8")
)

E, C, B, INC, N = (
    Grade.EXCELLENT,
    Grade.COMPETENT,
    Grade.BASIC,
    Grade.INCOMPETENT,
    Grade.NOT_GRADED,
)

# ---------------------------------------------------------------- quota


@pytest.mark.parametrize(
    ("count", "rounding", "allowed"),
    [
        (10, Rounding.FLOOR, 2),  # 20% of 10 = 2.0 exactly
        (14, Rounding.FLOOR, 2),  # 2.8
        (14, Rounding.HALF_UP, 3),
        (14, Rounding.CEIL, 3),
        (12, Rounding.HALF_UP, 2),  # 2.4
        (12, Rounding.CEIL, 3),
        (4, Rounding.FLOOR, 0),  # 0.8: a small unit gets none when rounding down
        (0, Rounding.CEIL, 0),
    ],
)
def test_quota_township_share_rounding(count, rounding, allowed):
    quota = excellent_quota(count, QuotaTerms(Decimal("0.20"), rounding))
    assert quota.allowed == allowed
    assert quota.exact == Decimal("0.20") * count


def test_quota_half_up_exactly_at_half():
    # 15% of 10 = 1.5: half up gives 2, floor 1
    assert excellent_quota(10, QuotaTerms(Decimal("0.15"), Rounding.HALF_UP)).allowed == 2
    assert excellent_quota(10, QuotaTerms(Decimal("0.15"), Rounding.FLOOR)).allowed == 1
    # just under the half: 15% of 9 = 1.35
    assert excellent_quota(9, QuotaTerms(Decimal("0.15"), Rounding.HALF_UP)).allowed == 1


def test_quota_ceil_exact_product_is_not_rounded_up():
    # as floats 0.1 * 30 = 3.0000000000000004, which would round up to 4
    assert excellent_quota(30, QuotaTerms(Decimal("0.1"), Rounding.CEIL)).allowed == 3
    assert excellent_quota(31, QuotaTerms(Decimal("0.1"), Rounding.CEIL)).allowed == 4


def test_quota_refuses_bad_values():
    with pytest.raises(ValueError):
        excellent_quota(-1, QuotaTerms(Decimal("0.2")))
    with pytest.raises(ValueError):
        excellent_quota(5, QuotaTerms(Decimal("1.2")))


def test_check_quota_counts_participants_without_not_graded():
    grades = [E, E, E, C, C, C, C, C, C, C, N, N]  # 10 participants, 3 excellent
    check = check_quota(grades, QuotaTerms(Decimal("0.20")))
    assert participants(grades) == 10
    assert (check.quota.allowed, check.excellent, check.within, check.excess) == (2, 3, False, 1)
    assert check_quota(grades[2:], QuotaTerms(Decimal("0.20"))).excess == 0  # 1 of 8 allowed 1


def test_exemption_reason_needed_only_below_competent_with_an_exemption():
    assert needs_exemption_reason(B, 1)
    assert needs_exemption_reason(INC, 2)
    assert not needs_exemption_reason(C, 1)
    assert not needs_exemption_reason(B, 0)


# ---------------------------------------------------------------- ranks, poverty


def test_rank_change_directions():
    assert rank_change(5, 2).places == 3
    assert rank_change(5, 2).direction == "up"
    assert rank_change(2, 5).places == -3
    assert rank_change(2, 5).direction == "down"
    assert rank_change(4, 4).direction == "same"
    assert rank_change(None, 4).direction == "new"
    with pytest.raises(ValueError):
        rank_change(0, 1)


def test_rank_problems_gap_and_duplicate():
    assert rank_problems({1: 1, 2: 2, 3: 3}) == []
    assert rank_problems({1: 1, 2: 2, 3: 2}) == ["duplicate:2", "gap:3"]
    assert rank_problems({1: 1, 2: 3}) == ["gap:2"]


def test_poverty_target_met():
    assert poverty_target_met(1200, 1200) is True
    assert poverty_target_met(1200, 1199) is False
    assert poverty_target_met(1200, None) is None
    assert poverty_target_met(0, 0) is True


# ---------------------------------------------------------------- rotating excellent


def _years(start, *rows):
    return {start + i: dict(enumerate(row, start=1)) for i, row in enumerate(rows)}


def test_rotation_flagged_when_excellent_passes_around():
    # cadre 1 (principal) every year; 2, 3, 4, 5 once each in turn; 6 units members
    grades = _years(
        2021,
        [E, E, C, C, C, C],
        [E, C, E, C, C, C],
        [E, C, C, E, C, C],
        [E, C, C, C, E, C],
    )
    finding = detect_rotating_excellent(grades, end_year=2024, policy=ROTATION)
    assert finding.flagged
    assert finding.fixed == (1,)
    assert finding.sequence == ((2021, (2,)), (2022, (3,)), (2023, (4,)), (2024, (5,)))
    assert (finding.rotating_awards, finding.holders, finding.members) == (4, 4, 5)
    assert finding.coverage == Decimal("0.8")


def test_rotation_not_flagged_when_the_same_performer_repeats():
    grades = _years(
        2021,
        [E, E, C, C, C, C],
        [E, E, C, C, C, C],
        [E, C, E, C, C, C],
        [E, C, C, E, C, C],
    )
    finding = detect_rotating_excellent(grades, end_year=2024, policy=ROTATION)
    assert not finding.flagged
    assert finding.failed == ("no_repeat",)


def test_rotation_needs_every_year_and_complete_data():
    grades = _years(2021, [E, C, C], [C, E, C], [C, C, E])
    finding = detect_rotating_excellent(grades, end_year=2024, policy=ROTATION)  # 2024 missing
    assert finding.failed == ("complete", "every_year")
    assert detect_rotating_excellent(
        grades, end_year=2023, policy=replace(ROTATION, window_years=3)
    ).flagged


def test_rotation_spread_threshold():
    # 3 awards among 10 members: coverage 0.3
    grades = _years(
        2022,
        [E] + [C] * 9,
        [C, E] + [C] * 8,
        [C, C, E] + [C] * 7,
    )
    policy = replace(ROTATION, window_years=3, min_coverage=Decimal("0.3"))
    assert detect_rotating_excellent(grades, end_year=2024, policy=policy).flagged
    policy = replace(ROTATION, window_years=3, min_coverage=Decimal("0.31"))
    finding = detect_rotating_excellent(grades, end_year=2024, policy=policy)
    assert finding.failed == ("spread",)


# ---------------------------------------------------------------- everyone competent


def test_everyone_competent_three_uniform_years():
    row = [E] + [C] * 5 + [N]
    grades = _years(2022, row, row, row)
    finding = detect_everyone_competent(grades, end_year=2024, policy=UNIFORMITY)
    assert finding.flagged
    assert [(y.year, y.participants, y.competent, y.below) for y in finding.years] == [
        (2022, 6, 5, 0),
        (2023, 6, 5, 0),
        (2024, 6, 5, 0),
    ]


def test_everyone_competent_broken_by_one_differentiated_year():
    uniform = [E] + [C] * 5
    grades = _years(2022, uniform, [E, C, C, C, C, B], uniform)
    assert not detect_everyone_competent(grades, end_year=2024, policy=UNIFORMITY).flagged
    lenient = replace(UNIFORMITY, max_below_competent=1, min_competent_share=Decimal("0.6"))
    assert detect_everyone_competent(grades, end_year=2024, policy=lenient).flagged


def test_everyone_competent_needs_enough_participants_and_share():
    small = [C] * 4
    assert not detect_everyone_competent(
        _years(2022, small, small, small), end_year=2024, policy=UNIFORMITY
    ).flagged
    many_excellent = [E, E, C, C, C]  # competent share 0.6 < 0.8
    grades = _years(2022, many_excellent, many_excellent, many_excellent)
    assert not detect_everyone_competent(grades, end_year=2024, policy=UNIFORMITY).flagged
    assert detect_everyone_competent(
        grades, end_year=2024, policy=replace(UNIFORMITY, min_competent_share=Decimal("0.6"))
    ).flagged


# ---------------------------------------------------------------- incidents, check-ups


def test_incident_problems_by_kind():
    assert incident_problems(
        IncidentKind.ENVIRONMENT, handled_in_time=None, secondary_disaster=False, criticized_by=""
    ) == {"handled_in_time": "required"}
    assert incident_problems(
        IncidentKind.WORK_SAFETY,
        handled_in_time=True,
        secondary_disaster=None,
        criticized_by="central",
    ) == {"handled_in_time": "environment_only", "criticized_by": "party_building_only"}
    assert (
        incident_problems(
            IncidentKind.PARTY_BUILDING,
            handled_in_time=None,
            secondary_disaster=None,
            criticized_by="provincial",
        )
        == {}
    )


def test_reverse_checkup_list_and_warnings():
    inputs = [
        CheckupInput(CheckupSource.PRINCIPAL, Dimension.CONDUCT, Rating.CONCERN, "迟到"),
        CheckupInput(CheckupSource.RECIPIENTS, Dimension.CONDUCT, Rating.CONCERN, "态度差"),
        CheckupInput(CheckupSource.FUNCTIONAL, Dimension.MORAL, Rating.CONCERN, ""),
        CheckupInput(CheckupSource.ORGANIZATION, Dimension.LAW, Rating.PROBLEM, "违规"),
        CheckupInput(CheckupSource.PEERS_PUBLIC, Dimension.POLITICAL, Rating.OK, ""),
    ]
    found = reverse_checkup_list(inputs, CHECKUP)
    assert [(f.dimension, f.warning) for f in found] == [
        (Dimension.MORAL, False),
        (Dimension.LAW, True),
        (Dimension.CONDUCT, True),
    ]
    strict = reverse_checkup_list(inputs, replace(CHECKUP, concerns_for_warning=1))
    assert all(f.warning for f in strict)
    assert missing_sources(inputs) == []
    assert missing_sources(inputs[:2]) == [
        CheckupSource.PEERS_PUBLIC,
        CheckupSource.FUNCTIONAL,
        CheckupSource.ORGANIZATION,
    ]


def test_competition_winner():
    assert competition_winner(Decimal("91.5"), Decimal("88")) == "a"
    assert competition_winner(Decimal("80"), Decimal("88")) == "b"
    assert competition_winner(Decimal("80"), Decimal("80")) == "tie"
    assert competition_winner(None, Decimal("80")) is None
