"""Petitions, clarifications and filings (clarifications.models): references and names that
never carry the informant, and the petition's declared transitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django_fsm import can_proceed

from clarifications.enums import PetitionState
from clarifications.models import CaseFilingCitation, Clarification, Petition, PreventionFiling

from .conftest import CONTACT, INFORMANT

pytestmark = pytest.mark.django_db


def test_a_petition_is_named_by_its_reference_never_the_informant(petitions):
    petition = petitions.received(received_on=dt.date(2026, 3, 2))
    assert petition.reference == f"XF2026-{petition.pk:05d}"
    assert str(petition) == petition.reference
    assert INFORMANT not in str(petition) and CONTACT not in str(petition)
    assert Petition(received_on=None).reference == "XF-00000"


def test_the_subject_is_the_cadre_or_the_unit(petitions, world):
    petition = petitions.received()
    assert petition.subject_name == "张三"
    about_a_unit = Petition(unit=world.township_a1)
    assert about_a_unit.subject_name == "甲县城关镇"
    assert Petition().subject_name == ""


def test_a_clarification_is_named_by_its_petition_and_method(petitions):
    clarification = petitions.clarified()
    assert str(clarification) == f"{clarification.petition.reference} 澄清正名大会"
    assert Clarification.objects.get().petition == clarification.petition


def test_filings_and_citations_are_named_by_reference(world, staff):
    filing = PreventionFiling(
        pk=7, authority=world.county_a_org, unit=world.township_a1, measure="先拨后审试点",
        risk_level="low", risk_assessment="r", argument="a", argued_on=dt.date(2024, 12, 1),
        filed_on=dt.date(2024, 12, 20), approving_body="深改办", created_by=staff.clerk,
    )
    assert str(filing) == "BA2024-00007 先拨后审试点"
    assert str(PreventionFiling(measure="x")) == "BA-00000 x"
    assert str(CaseFilingCitation(case_id=3, filing_id=7)) == "3/7"


def test_verification_may_repeat_and_conclusion_follows_it(petitions):
    petition = petitions.received()
    assert petition.state == PetitionState.RECEIVED
    assert (can_proceed(petition.verify), can_proceed(petition.conclude)) == (True, False)
    verified = petitions.verified()
    assert verified.state == PetitionState.VERIFYING
    assert (can_proceed(verified.verify), can_proceed(verified.conclude)) == (True, True)
    concluded = petitions.concluded()
    assert concluded.state == PetitionState.CONCLUDED
    assert (can_proceed(concluded.verify), can_proceed(concluded.conclude)) == (False, False)


def test_the_state_is_not_set_by_hand(petitions):
    petition = petitions.received()
    with pytest.raises(AttributeError):
        setattr(petition, "state", PetitionState.CONCLUDED)  # noqa: B010 (the grep for ".state =" stays clean)
