"""The entry forms' shared base: Bootstrap classes, values of the row being edited, fields
fixed once recorded, and a service's refusal put back on the form."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.entry.base import CadreChoice, EntryForm, UnitChoice, year_field
from cadres.models import Cadre, Unit


class Sample(EntryForm):
    fixed_on_edit = ("year",)
    year = year_field()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    note = forms.CharField(required=False)

    refusal = None

    def save(self, actor):
        if self.refusal is not None:
            raise self.refusal
        return ("saved", actor, self.cleaned_data["year"])


class Row:
    year, kind, note = 2023, "b", "旧备注"


def bound(refusal=None, **data):
    form = Sample(None, {"year": "2024", "kind": "a", "note": "", **data})
    form.refusal = refusal
    assert form.is_valid(), form.errors
    return form


def test_widgets_get_bootstrap_classes():
    fields = Sample(None).fields

    assert fields["kind"].widget.attrs["class"] == "form-select"
    assert fields["note"].widget.attrs["class"] == "form-control"
    assert fields["year"].widget.attrs["class"] == "form-control"


def test_the_year_defaults_to_last_year_within_bounds(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 1, 2))
    field = year_field()

    assert field.initial() == 2025
    assert str(field.label) == "年度"
    assert (field.min_value, field.max_value) == (1990, 2100)
    assert not Sample(None, {"year": "1989", "kind": "a"}).is_valid()


def test_editing_starts_from_the_row_and_fixes_its_fields():
    form = Sample(None, instance=Row())

    assert form.initial == {"year": 2023, "kind": "b", "note": "旧备注"}
    assert form.fields["year"].disabled and not form.fields["kind"].disabled
    assert not Sample(None).fields["year"].disabled


def test_a_disabled_field_keeps_the_recorded_value_whatever_is_posted():
    form = Sample(None, {"year": "2030", "kind": "a"}, instance=Row())

    assert form.is_valid()
    assert form.cleaned_data["year"] == 2023


def test_a_successful_save_returns_the_service_result():
    assert bound().save_or_errors("actor") == ("saved", "actor", 2024)


def test_a_refusal_without_fields_goes_on_top():
    form = bound(PermissionDenied("无权录入该单位。"))

    assert form.save_or_errors("actor") is None
    assert form.non_field_errors() == ["无权录入该单位。"]

    form = bound(ValidationError(["第一条。", "第二条。"]))
    assert form.save_or_errors("actor") is None
    assert form.non_field_errors() == ["第一条。", "第二条。"]


def test_a_refusal_naming_fields_goes_next_to_them_and_the_rest_on_top():
    form = bound(ValidationError({"note": ["备注太长。"], "unit": ["单位不在范围内。"]}))

    assert form.save_or_errors("actor") is None
    assert form.errors == {"note": ["备注太长。"], "__all__": ["单位不在范围内。"]}


@pytest.mark.django_db
def test_units_and_cadres_are_labelled_for_the_pickers(world):
    units = UnitChoice(queryset=Unit.objects.all())
    cadres = CadreChoice(queryset=Cadre.objects.all())
    no_code = Unit(name="无编码单位", code="")

    assert units.label_from_instance(world.county_a) == "甲县（370124）"
    assert units.label_from_instance(no_code) == "无编码单位"
    assert cadres.label_from_instance(world.cadre_a1) == (
        f"张三（{world.cadre_a1.pk}）· 甲县城关镇"
    )
