"""Forms of the cadre pages (cadres.forms): the edit form starts from the record and reports
only what changed; the move form offers the units it is given, in tree order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from cadres.enums import MoveType, Rank
from cadres.forms import EDIT_FIELDS, CadreEditForm, CadreMoveForm, UnitChoiceField
from cadres.models import Cadre, Unit
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db


def edit_data(cadre: Cadre, **changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in model_to_dict(cadre, EDIT_FIELDS).items()}
    return {**data, "national_id": "", "reason": "档案核对更正", **changes}


def test_the_edit_form_starts_from_the_record_and_masks_the_id(world):
    cadre = world.cadre_a1
    form = CadreEditForm(cadre=cadre)
    assert form.initial["name"] == "张三"
    assert form.initial["birth_date"] == dt.date(1980, 5, 17)
    assert form.fields["national_id"].help_text == (
        f"留空则保留现有号码（{cadre.masked_national_id}）。"
    )
    assert cadre.national_id not in str(form)
    assert form.fields["birth_date"].widget.input_type == "date"
    assert form.fields["name"].widget.attrs["class"] == "form-control"
    assert form.fields["gender"].widget.attrs["class"] == "form-select"


def test_an_ethnicity_outside_the_list_stays_choosable(world):
    cadre = world.cadre_a1
    choices = [value for value, _label in CadreEditForm(cadre=cadre).fields["ethnicity"].choices]
    assert len(choices) == 56 and choices[0] == "汉族"
    cadre.ethnicity = "穿青人"
    assert CadreEditForm(cadre=cadre).fields["ethnicity"].choices[-1] == ("穿青人", "穿青人")


def test_changes_are_only_what_differs(world):
    cadre = world.cadre_a1
    form = CadreEditForm(edit_data(cadre, position="副镇长"), cadre=cadre)
    assert form.is_valid(), form.errors
    assert form.changes() == {"position": "副镇长"}
    unchanged = CadreEditForm(edit_data(cadre), cadre=cadre)
    assert unchanged.is_valid(), unchanged.errors
    assert unchanged.changes() == {}


def test_a_new_id_number_is_tidied_and_counted_only_when_new(world):
    cadre = world.cadre_a1
    new = make_id_number(dt.date(1980, 5, 17), gender="M", region="370124")
    typed = " " + new.lower() + " "
    form = CadreEditForm(edit_data(cadre, national_id=typed), cadre=cadre)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == new.upper()
    assert new != cadre.national_id  # another county's code
    assert form.changes() == {"national_id": new.upper()}
    same = CadreEditForm(edit_data(cadre, national_id=cadre.national_id.lower()), cadre=cadre)
    assert same.is_valid(), same.errors
    assert same.changes() == {}


def test_the_reason_is_required_and_its_field_marked_invalid(world):
    cadre = world.cadre_a1
    form = CadreEditForm(edit_data(cadre, reason=""), cadre=cadre)
    assert not form.is_valid()
    assert list(form.errors) == ["reason"]
    assert form.fields["reason"].widget.attrs["class"] == "form-control is-invalid"
    assert form.fields["position"].widget.attrs["class"] == "form-control"


def test_the_move_form_starts_from_the_current_post_and_offers_the_units_given(world):
    cadre = world.cadre_a1
    units = Unit.objects.filter(pk__in=[world.county_a.pk, world.township_a1.pk])
    form = CadreMoveForm(cadre=cadre, units=units)
    assert form.initial == {"unit": world.township_a1.pk, "title": "科员", "rank": cadre.rank}
    assert [name for _pk, name in form.fields["unit"].choices] == [
        "请选择单位", "甲县", "\u3000甲县城关镇",
    ]
    assert MoveType.APPOINTED not in dict(form.fields["move"].choices)
    assert MoveType.PROMOTED in dict(form.fields["move"].choices)


def test_a_move_to_a_unit_not_given_is_refused(world):
    cadre = world.cadre_a1
    data = {
        "move": MoveType.LATERAL, "on": "2026-03-01", "unit": world.bureau.pk,
        "title": "科员", "rank": Rank.PRINCIPAL_STAFF_4, "reason": "工作需要",
    }
    units = Unit.objects.filter(pk=world.township_a1.pk)
    refused = CadreMoveForm(data, cadre=cadre, units=units)
    assert list(refused.errors) == ["unit"]
    assert refused.fields["unit"].widget.attrs["class"] == "form-select is-invalid"
    accepted = CadreMoveForm({**data, "unit": world.township_a1.pk}, cadre=cadre, units=units)
    assert accepted.is_valid(), accepted.errors
    assert (accepted.cleaned_data["unit"], accepted.cleaned_data["rank"]) == (
        world.township_a1, Rank.PRINCIPAL_STAFF_4,
    )


def test_unit_choices_are_indented_below_the_shallowest_unit(world):
    field = UnitChoiceField(queryset=Unit.objects.filter(pk__in=[
        world.county_b.pk, world.township_b1.pk, world.township_a1.pk,
    ]), empty_label=None)
    # depth counts from the shallowest unit shown (乙区), whatever its branch
    assert [name for _pk, name in field.choices] == [
        "乙区", "\u3000乙区大明湖街道", "\u3000甲县城关镇",
    ]
