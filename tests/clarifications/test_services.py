"""Petitions through verification and outcome, clarification, and the "still counts" chain."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from clarifications import services
from clarifications.enums import PetitionOutcome, PetitionState
from clarifications.errors import ClarificationError
from core.models import AuditEvent
from tolerance.effects import CLARIFIED, Effect, MatterEffect, matter_effect, matter_effects
from tolerance.enums import Outcome

from .conftest import CONTACT, INFORMANT


def test_petition_create_records_and_audits_without_the_informant(petitions, world, people):
    petition = petitions.received()
    assert (petition.state, petition.informant_name, petition.subject_name) == (
        PetitionState.RECEIVED, INFORMANT, "张三",
    )
    event = AuditEvent.objects.get(action="clarifications.petition.create")
    assert event.authority_id == world.county_a_org.pk
    assert event.object_repr == petition.reference == f"XF2026-{petition.pk:05d}"
    assert event.after["cadre"] == world.cadre_a1.pk
    assert "informant_name" not in event.after and "informant_contact" not in event.after


def test_no_audit_row_ever_contains_the_identity(petitions):
    petition = petitions.clarified(outcome=PetitionOutcome.FALSE_ACCUSATION)
    services.petition_record_accuser_result(
        petition.petition, actor=petitions.people.handler,
        result=f"经查，{INFORMANT}捏造事实，已给予党内警告处分。", recorded_on=dt.date(2026, 5, 6),
    )
    events = list(AuditEvent.objects.all())
    assert [e.action for e in events][::-1][:5] == [
        "clarifications.petition.create",
        "clarifications.petition.verify",
        "clarifications.petition.conclude",
        "clarifications.clarification.record",
        "clarifications.petition.accuser_result",
    ]
    for event in events:
        dumped = json.dumps([event.before, event.after, event.object_repr, event.reason],
                            ensure_ascii=False)
        assert INFORMANT not in dumped and CONTACT not in dumped


@pytest.mark.parametrize("who", ["clerk", "leader", "auditor", "admin", "city_discipline"])
def test_only_handling_staff_register_and_verify(petitions, people, world, who):
    actor = getattr(people, who)
    with pytest.raises(ClarificationError):
        services.petition_create(
            actor=actor, authority=world.county_a_org, received_on=dt.date(2026, 3, 2),
            channel="letter", cadre=world.cadre_a1, allegations="x",
        )
    petition = petitions.received()
    with pytest.raises(ClarificationError):
        services.petition_record_verification(
            petition, actor=actor, explanation_heard_on=None, explanation="", opinions="",
            findings="x",
        )
    petition.refresh_from_db()
    assert petition.state == PetitionState.RECEIVED


def test_discipline_staff_of_the_authority_handle_it(petitions, people):
    petition = petitions.received()
    verified = services.petition_record_verification(
        petition, actor=people.discipline_a, explanation_heard_on=dt.date(2026, 3, 9),
        explanation="说明", opinions="意见", findings="查无实据",
    )
    assert (verified.state, verified.verifier) == (PetitionState.VERIFYING, people.discipline_a)


def test_conclusion_needs_the_cadres_explanation(petitions, people):
    petition = petitions.received()
    services.petition_record_verification(
        petition, actor=people.handler, explanation_heard_on=None, explanation="",
        opinions="意见", findings="查无实据",
    )
    with pytest.raises(ClarificationError, match="干部本人说明"):
        services.petition_conclude(
            petition, actor=people.handler, outcome=PetitionOutcome.UNFOUNDED,
            concluded_on=dt.date(2026, 3, 20), reason="查无实据",
        )


def test_founded_and_false_accusation_need_a_referral(petitions, people):
    petition = petitions.verified()
    for outcome in (PetitionOutcome.FOUNDED, PetitionOutcome.FALSE_ACCUSATION):
        with pytest.raises(ClarificationError):
            services.petition_conclude(
                petition, actor=people.handler, outcome=outcome,
                concluded_on=dt.date(2026, 3, 20), reason="理由",
            )
    founded = services.petition_conclude(
        petition, actor=people.handler, outcome=PetitionOutcome.FOUNDED,
        concluded_on=dt.date(2026, 3, 20), reason="问题属实", referred_to="县纪委监委",
    )
    assert (founded.state, founded.outcome, founded.referred_to) == (
        PetitionState.CONCLUDED, "founded", "县纪委监委",
    )


def test_founded_is_not_clarified(petitions, people):
    petition = petitions.concluded(PetitionOutcome.FOUNDED)
    with pytest.raises(ClarificationError):
        services.clarification_record(
            petition, actor=people.handler, method="talk", held_on=dt.date(2026, 4, 1),
            scope="本人", attendees="", content="澄清",
        )


def test_false_accusation_records_the_result_on_the_accuser(petitions, people):
    petition = petitions.concluded(PetitionOutcome.FALSE_ACCUSATION)
    assert petition.referred_to == "县纪委监委"
    done = services.petition_record_accuser_result(
        petition, actor=people.handler, result="已立案查处", recorded_on=dt.date(2026, 5, 6),
    )
    assert (done.accuser_result, done.accuser_result_on) == ("已立案查处", dt.date(2026, 5, 6))
    unfounded = petitions.concluded(PetitionOutcome.UNFOUNDED)
    with pytest.raises(ClarificationError):
        services.petition_record_accuser_result(
            unfounded, actor=people.handler, result="x", recorded_on=dt.date(2026, 5, 6),
        )


def test_a_petition_is_clarified_once(petitions, people):
    clarification = petitions.clarified()
    with pytest.raises(ClarificationError):
        services.clarification_record(
            clarification.petition, actor=people.handler, method="talk",
            held_on=dt.date(2026, 4, 2), scope="本人", attendees="", content="再次澄清",
        )


# --- outcome → clarification → "still counts" ---------------------------------------------


def test_not_tolerated_matter_counts_until_the_cadre_is_clarified(flow, petitions, world):
    case = flow.decided(outcome=Outcome.NOT_TOLERATED)
    matter = case.matter
    a1 = world.cadre_a1.pk
    assert matter_effect(matter.pk, a1) == MatterEffect(Effect.COUNTS, "not_tolerated", case.pk)
    concluded = petitions.concluded(PetitionOutcome.MINOR, matter=matter)
    # An outcome without a clarification changes nothing yet.
    assert matter_effect(matter.pk, a1).counts is True
    services.clarification_record(
        concluded, actor=petitions.people.handler, method="circular",
        held_on=dt.date(2026, 4, 1), scope="全县", attendees="", content="问题轻微，予以澄清。",
    )
    assert matter_effect(matter.pk, a1) == MatterEffect(Effect.CLEARED, CLARIFIED, case.pk)
    assert matter_effect(matter.pk, a1).counts is False
    # Another cadre of the same matter is not cleared by 张三's clarification.
    assert matter_effect(matter.pk, world.cadre_b1.pk) == MatterEffect(Effect.COUNTS)


def test_clarification_without_a_case_clears_the_matter(petitions, world):
    from tolerance.models import AccountabilityMatter

    matter = AccountabilityMatter.objects.create(
        title="招标问题", description="被举报", occurred_on=dt.date(2025, 12, 1)
    )
    petitions.clarified(matter=matter)
    assert matter_effect(matter.pk, world.cadre_a1.pk) == MatterEffect(
        Effect.CLEARED, CLARIFIED, None
    )


def test_matter_effects_stays_at_two_queries_with_clarifications(
    flow, petitions, world, django_assert_num_queries
):
    cases = [flow.decided(outcome=o) for o in (Outcome.NOT_TOLERATED, Outcome.LIGHTER)]
    for case in cases:
        petitions.clarified(matter=case.matter)
    a1, b1 = world.cadre_a1.pk, world.cadre_b1.pk
    pairs = [(c.matter_id, cadre) for c in cases for cadre in (a1, b1)]
    with django_assert_num_queries(2):
        effects = matter_effects(pairs)
    assert effects == {
        (cases[0].matter_id, a1): MatterEffect(Effect.CLEARED, CLARIFIED, cases[0].pk),
        (cases[1].matter_id, a1): MatterEffect(Effect.CLEARED, CLARIFIED, cases[1].pk),
        (cases[0].matter_id, b1): MatterEffect(Effect.COUNTS),
        (cases[1].matter_id, b1): MatterEffect(Effect.COUNTS),
    }


def test_each_step_tells_the_other_handlers_of_the_petition(petitions, people, world):
    from core.models import Notification

    petition = petitions.received()  # registered by the handler
    services.petition_record_verification(
        petition, actor=people.discipline_a, explanation_heard_on=dt.date(2026, 3, 9),
        explanation="说明", opinions="意见", findings="查无实据",
    )
    assert list(Notification.objects.values_list("recipient__username", "code", "params")) == [
        ("c_handler", "clarifications.petition.verifying",
         {"ref": petition.reference, "by": "c_disc_a"}),
    ]
    services.petition_conclude(
        petition, actor=people.handler, outcome=PetitionOutcome.UNFOUNDED,
        concluded_on=dt.date(2026, 3, 20), reason="经核查，反映问题查无实据。",
    )
    told = Notification.objects.filter(code="clarifications.petition.concluded")
    assert list(told.values_list("recipient__username", "target_type", "target_id")) == [
        ("c_disc_a", "clarifications.petition", petition.pk)
    ]
