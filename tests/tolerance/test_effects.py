"""Does an accountability matter still count against a cadre? The one question other apps ask."""

from __future__ import annotations

import pytest

from tolerance.effects import Effect, MatterEffect, effect_of_outcome, matter_effect, matter_effects
from tolerance.enums import CaseState, Outcome
from tolerance.workflow import case_transition


@pytest.mark.parametrize(
    ("outcome", "effect"),
    [
        (Outcome.EXEMPT, Effect.CLEARED),
        (Outcome.MITIGATED, Effect.REDUCED),
        (Outcome.LIGHTER, Effect.REDUCED),
        (Outcome.NOT_TOLERATED, Effect.COUNTS),
        ("", Effect.COUNTS),
        (None, Effect.COUNTS),
    ],
)
def test_effect_of_outcome(outcome, effect):
    assert effect_of_outcome(outcome) == effect


@pytest.mark.parametrize(
    ("outcome", "effect", "counts"),
    [
        (Outcome.EXEMPT, Effect.CLEARED, False),
        (Outcome.LIGHTER, Effect.REDUCED, True),
        (Outcome.MITIGATED, Effect.REDUCED, True),
        (Outcome.NOT_TOLERATED, Effect.COUNTS, True),
    ],
)
def test_matter_effect_after_the_decision(outcome, effect, counts, flow, world):
    case = flow.decided(outcome=outcome)
    assert matter_effect(case.matter_id, world.cadre_a1.pk) == MatterEffect(
        effect, outcome, case.pk
    )
    assert matter_effect(case.matter_id, world.cadre_a1.pk).counts is counts


def test_matter_effect_counts_while_undecided(flow, world):
    case = flow.deliberating()
    assert matter_effect(case.matter_id, world.cadre_a1.pk) == MatterEffect(Effect.COUNTS)


def test_matter_effect_counts_after_withdrawal_or_non_acceptance(flow, staff, world):
    withdrawn = case_transition(flow.investigating(), actor=staff.cadre, action="withdraw",
                                reason="撤回申请")
    rejected = case_transition(flow.submitted(), actor=staff.clerk, action="reject",
                               reason="不属于受理范围")
    assert (withdrawn.state, rejected.state) == (CaseState.WITHDRAWN, CaseState.NOT_ACCEPTED)
    for case in (withdrawn, rejected):
        assert matter_effect(case.matter_id, world.cadre_a1.pk) == MatterEffect(Effect.COUNTS)


def test_matter_effect_is_per_matter_and_cadre(flow, world):
    case = flow.decided(outcome=Outcome.EXEMPT)
    assert matter_effect(case.matter_id, world.cadre_b1.pk) == MatterEffect(Effect.COUNTS)
    assert matter_effect(case.matter_id + 999, world.cadre_a1.pk) == MatterEffect(Effect.COUNTS)


def test_matter_effects_for_many_pairs_in_two_queries(flow, world, django_assert_num_queries):
    exempt = flow.decided(outcome=Outcome.EXEMPT)
    lighter = flow.decided(outcome=Outcome.LIGHTER)
    refused = flow.decided(outcome=Outcome.NOT_TOLERATED)
    pending = flow.deliberating()
    a1, b1 = world.cadre_a1.pk, world.cadre_b1.pk
    pairs = [
        (exempt.matter_id, a1), (lighter.matter_id, a1), (refused.matter_id, a1),
        (pending.matter_id, a1), (exempt.matter_id, b1), (lighter.matter_id, b1),
    ]
    with django_assert_num_queries(2):
        effects = matter_effects(pairs)
    assert effects == {
        (exempt.matter_id, a1): MatterEffect(Effect.CLEARED, "exempt", exempt.pk),
        (lighter.matter_id, a1): MatterEffect(Effect.REDUCED, "lighter", lighter.pk),
        (refused.matter_id, a1): MatterEffect(Effect.COUNTS, "not_tolerated", refused.pk),
        (pending.matter_id, a1): MatterEffect(Effect.COUNTS),
        (exempt.matter_id, b1): MatterEffect(Effect.COUNTS),
        (lighter.matter_id, b1): MatterEffect(Effect.COUNTS),
    }


def test_matter_effects_of_nothing_asks_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert matter_effects([]) == {}
