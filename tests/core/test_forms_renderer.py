"""The Python select renderer produces Django's own markup, byte for byte."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from core.forms_renderer import FormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "A & <b>"), ("1", 1)])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Group <1>", [("x", "X"), ("y", 'Y "quoted"')]), ("z", "Z")]
    )
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two"), ("3", "三")])
    flagged = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"class": "form-select", "data-x": 'q"<', "disabled": True}),
    )


def _render(renderer, data):
    form = Sample(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_select_markup_equals_django_templates():
    data = {"plain": "a", "grouped": "y", "many": ["1", "3"], "flagged": "a"}
    ours = _render(FormRenderer(), data)
    django_own = _render(DjangoTemplates(), data)
    assert ours == django_own
    assert 'value="a" selected>A &amp; &lt;b&gt;</option>' in ours["plain"]
    assert '<optgroup label="Group &lt;1&gt;">' in ours["grouped"]


def test_unbound_select_markup_equals_django_templates():
    assert _render(FormRenderer(), None) == _render(DjangoTemplates(), None)


def test_other_widgets_still_use_templates():
    class Text(forms.Form):
        name = forms.CharField(max_length=5)

    form = Text({"name": "<x>"}, renderer=FormRenderer())
    assert str(form["name"]) == (
        '<input type="text" name="name" value="&lt;x&gt;" maxlength="5" required id="id_name">'
    )
