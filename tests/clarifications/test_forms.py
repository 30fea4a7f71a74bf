"""Forms of the clarification pages (clarifications.forms): choices limited to what the
user may act on, Bootstrap classes on every input, a clear error next to its field."""

from __future__ import annotations

import pytest

from clarifications.forms import CiteForm, ConclusionForm, FilingForm, PetitionForm

pytestmark = pytest.mark.django_db


def petition_data(world, **extra):
    return {
        "authority": world.county_a_org.pk, "received_on": "2026-03-02", "channel": "letter",
        "cadre": world.cadre_a1.pk, "allegations": "反映违规操作。", **extra,
    }


def test_the_petition_form_offers_the_users_authorities_cadres_and_units(people, world):
    form = PetitionForm(user=people.handler, authority_ids={world.county_a_org.pk})
    assert list(form.fields["authority"].queryset) == [world.county_a_org]
    assert list(form.fields["cadre"].queryset) == [world.cadre_a1]
    assert list(form.fields["unit"].queryset) == [world.county_a, world.township_a1]


def test_a_cadre_outside_the_users_reach_is_refused_next_to_its_field(people, world):
    form = PetitionForm(
        petition_data(world, cadre=world.cadre_b1.pk, authority=world.city_org.pk),
        user=people.handler, authority_ids={world.county_a_org.pk},
    )
    assert not form.is_valid()
    assert sorted(form.errors) == ["authority", "cadre"]
    assert form.errors["cadre"] == ["所选项无效，请重新选择。"]


def test_a_valid_petition_form_cleans_its_values(people, world):
    form = PetitionForm(
        petition_data(world, anonymous="on"), user=people.handler,
        authority_ids={world.county_a_org.pk},
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["authority"], data["cadre"], data["unit"], data["anonymous"]) == (
        world.county_a_org, world.cadre_a1, None, True,
    )
    assert str(data["received_on"]) == "2026-03-02"


def test_every_input_is_styled(people, world):
    form = PetitionForm(user=people.handler, authority_ids=set())
    assert form.fields["anonymous"].widget.attrs["class"] == "form-check-input"
    assert form.fields["allegations"].widget.attrs["class"] == "form-control form-control-sm"
    assert form.fields["received_on"].widget.input_type == "date"


def test_the_filing_form_offers_the_users_units(people, world):
    form = FilingForm(user=people.clerk, authority_ids={world.county_a_org.pk})
    assert list(form.fields["authority"].queryset) == [world.county_a_org]
    assert list(form.fields["unit"].queryset) == [world.county_a, world.township_a1]
    nobody = FilingForm(user=people.outsider, authority_ids=set())
    assert list(nobody.fields["unit"].queryset) == []


def test_conclusion_and_citation_forms_check_their_inputs():
    conclusion = ConclusionForm({"outcome": "maybe", "concluded_on": "2026-13-01", "reason": ""})
    assert sorted(conclusion.errors) == ["concluded_on", "outcome", "reason"]
    assert not CiteForm({"case": "0"}).is_valid()
    assert CiteForm({"case": "12"}).is_valid()
