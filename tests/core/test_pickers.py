"""Type-ahead pickers: a select renders only the chosen options (the endpoint offers the
rest), a local one keeps all its options as chips; the form's validation is unchanged."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from cadres.models import Cadre
from core.pickers import (
    CadrePicker,
    CadresPicker,
    ChipsSelectMultiple,
    PickerSelectMultiple,
    UnitPicker,
)


@pytest.mark.django_db
def test_picker_select_renders_only_the_chosen_option(world):
    class Form(forms.Form):
        cadre = forms.ModelChoiceField(Cadre.objects.all(), widget=CadrePicker)

    assert Cadre.objects.count() == 3
    html = str(Form(initial={"cadre": world.cadre_a1.pk})["cadre"])
    assert html.count("<option") == 2  # the empty choice and 张三
    assert "张三" in html and "李四" not in html
    assert f'data-picker="{reverse("workbench:pick", args=["cadres"])}"' in html
    bound = Form({"cadre": world.cadre_b1.pk})
    assert bound.is_valid() and bound.cleaned_data["cadre"] == world.cadre_b1
    assert not Form({"cadre": "not-a-number"}).is_valid()
    assert str(Form({"cadre": "not-a-number"})["cadre"]).count("<option") == 1


def test_picker_on_plain_choices_and_local_chips():
    choices = [(str(i), f"条款{i}") for i in range(30)]

    class Form(forms.Form):
        cadres = forms.MultipleChoiceField(choices=choices, widget=PickerSelectMultiple("cadres"))
        clauses = forms.MultipleChoiceField(choices=choices, widget=ChipsSelectMultiple)

    form = Form(initial={"cadres": ["3", "7"], "clauses": ["1"]})
    assert str(form["cadres"]).count("<option") == 2
    assert str(form["clauses"]).count("<option") == 30
    assert 'data-picker="local"' in str(form["clauses"])


@pytest.mark.django_db
def test_a_multiple_picker_renders_the_chosen_cadres_with_no_empty_option(world):
    class Form(forms.Form):
        cadres = forms.ModelMultipleChoiceField(Cadre.objects.all(), widget=CadresPicker)

    html = str(Form(initial={"cadres": [world.cadre_a1.pk, world.cadre_b1.pk]})["cadres"])
    assert html.count("<option") == 2
    assert "multiple" in html


def test_pickers_name_their_endpoints_and_keep_a_form_select_class():
    unit = UnitPicker().get_context("unit", None, {"class": "x"})["widget"]["attrs"]
    assert unit["data-picker"] == reverse("workbench:pick", args=["units"])
    assert unit["class"] == "form-select"
    assert unit["data-placeholder"] == "输入以搜索"
