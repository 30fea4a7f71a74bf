"""Admin helpers of the policy tables (core.policy_admin): the action form's target
jurisdiction and the lookup of a unit code."""

from __future__ import annotations

import pytest

from core.policy_admin import JurisdictionActionForm, jurisdiction_named

pytestmark = pytest.mark.django_db


def test_a_unit_code_names_its_unit(world):
    assert jurisdiction_named("370124") == ("370124", "甲县")
    assert jurisdiction_named("3701") == ("3701", "济南市")


def test_an_unknown_code_names_nothing(world):
    assert jurisdiction_named("999999") is None
    assert jurisdiction_named("") is None


def test_the_action_form_takes_an_optional_short_code():
    blank = JurisdictionActionForm({"action": "copy", "jurisdiction_code": ""})
    blank.fields["action"].choices = [("copy", "copy")]
    assert blank.is_valid(), blank.errors
    assert blank.cleaned_data["jurisdiction_code"] == ""
    too_long = JurisdictionActionForm({"action": "copy", "jurisdiction_code": "3" * 33})
    too_long.fields["action"].choices = [("copy", "copy")]
    assert not too_long.is_valid()
    assert list(too_long.errors) == ["jurisdiction_code"]
