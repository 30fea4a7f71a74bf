"""cadres.lrmx.forms: the .lrmx import form offers the units the person may write to, and
refuses, at the unit, a placement the person may not make; its placement is the choice."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cadres.enums import ManagementLevel, PostType, Rank
from cadres.lrmx.forms import LrmxImportForm
from cadres.lrmx.importing import Placement

pytestmark = pytest.mark.django_db


def form_of(user, unit, level=ManagementLevel.COUNTY) -> LrmxImportForm:
    data = {
        "unit": unit.pk, "management_level": level, "rank": Rank.SECTION_DEPUTY,
        "post_type": PostType.LEADERSHIP,
    }
    files = {"file": SimpleUploadedFile("孙八.lrmx", b"<Person/>")}
    return LrmxImportForm(data, files, user=user)


def test_a_permitted_placement_is_the_form_s_placement(world, personas):
    form = form_of(personas.clerk_a, world.township_a1)
    assert form.is_valid(), form.errors
    assert form.placement() == Placement(
        unit=world.township_a1, management_level="county", rank=Rank.SECTION_DEPUTY,
        post_type="leadership",
    )


def test_only_writable_units_are_offered(world, personas):
    form = form_of(personas.hr_a1, world.county_b)
    assert list(form.fields["unit"].queryset) == [world.township_a1]
    with translation.override("en"):
        assert form.errors["unit"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ]


def test_a_level_the_person_may_not_place_is_refused_at_the_unit(world, personas):
    form = form_of(personas.hr_a1, world.township_a1, level=ManagementLevel.CITY)
    with translation.override("en"):
        assert form.errors == {
            "unit": ["You may not add cadres of this management level to this unit."]
        }
