"""The commendation form: a cadre found by the profile's id or the ID number within the
user's jurisdiction, a team by its unit; the form only shapes input."""

from __future__ import annotations

import pytest
from django.utils import timezone

from promotions.incentives.forms import CommendationForm, cadre_of_form

pytestmark = pytest.mark.django_db


def data(**extra) -> dict:
    return {
        "subject": "cadre", "kind": "outstanding", "year": "2024", "granted_on": "2024-07-01",
        "granted_by": "中共济南市委", "citation": "攻坚克难。", **extra,
    }


def test_a_cadre_found_by_id_number_in_the_jurisdiction(world, personas):
    form = CommendationForm(data(national_id=world.cadre_a1.national_id.lower()),
                            user=personas.clerk_a)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == world.cadre_a1


def test_a_cadre_found_by_the_profiles_id(world, personas):
    form = CommendationForm(data(cadre=str(world.cadre_a1.pk)), user=personas.clerk_a)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == world.cadre_a1


@pytest.mark.parametrize("how", ["national_id", "cadre", "nothing"])
def test_a_cadre_outside_the_jurisdiction_is_not_found(world, personas, how):
    given = {"national_id": {"national_id": world.cadre_b1.national_id},
             "cadre": {"cadre": str(world.cadre_b1.pk)}, "nothing": {}}[how]
    form = CommendationForm(data(**given), user=personas.clerk_a)
    assert not form.is_valid()
    assert form.errors["national_id"] == ["您的管辖范围内没有该身份证号码的干部。"]


def test_a_team_needs_no_cadre(world, personas):
    form = CommendationForm(data(subject="team", unit=str(world.township_a1.pk),
                                 team_name="拆迁专班"), user=personas.clerk_a)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["person"], form.cleaned_data["unit"]) == (None, world.township_a1)


def test_the_units_offered_are_those_the_user_writes(world, personas):
    form = CommendationForm(user=personas.clerk_a)
    units = set(form.fields["unit"].queryset)
    assert world.township_a1 in units and world.county_b not in units
    assert form.fields["year"].initial == timezone.localdate().year
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["citation"].widget.attrs["class"] == "form-control"


def test_a_required_field_says_so(personas):
    form = CommendationForm(data(granted_by=""), user=personas.clerk_a)
    assert not form.is_valid()
    assert form.errors["granted_by"] == ["此项为必填项。"]


def test_cadre_of_form_only_within_the_jurisdiction(world, personas):
    assert cadre_of_form(personas.clerk_a, str(world.cadre_a1.pk)) == world.cadre_a1
    assert cadre_of_form(personas.clerk_a, world.cadre_b1.pk) is None
    assert cadre_of_form(personas.clerk_a, "x1") is None
    assert cadre_of_form(personas.clerk_a, None) is None
