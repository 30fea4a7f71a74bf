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


class Inputs(forms.Form):
    name = forms.CharField(max_length=5, widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
    count = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 0}))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mail = forms.EmailField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(required=False, widget=forms.SearchInput(attrs={"autofocus": True}))
    mine = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"class": "x"}))
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": False}))


def _inputs(renderer, data):
    form = Inputs(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_input_markup_equals_django_templates():
    data = {
        "name": "<x>",
        "count": "3",
        "day": "2026-12-07",
        "mail": "a&b@example.org",
        "secret": "p'w",
        "hidden": '"h"',
        "search": "张三",
        "mine": "on",
    }
    ours = _inputs(FormRenderer(), data)
    assert ours == _inputs(DjangoTemplates(), data)
    assert ours["name"] == (
        '<input type="text" name="name" value="&lt;x&gt;" placeholder="a &quot;b&quot; &lt;c&gt;"'
        ' maxlength="5" required id="id_name">'
    )
    assert ours["mine"] == ('<input type="checkbox" name="mine" class="x" id="id_mine" checked>')


def test_unbound_input_markup_equals_django_templates():
    assert _inputs(FormRenderer(), None) == _inputs(DjangoTemplates(), None)


def test_other_widgets_still_use_templates():
    class Text(forms.Form):
        body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    form = Text({"body": "<x>"}, renderer=FormRenderer())
    assert str(form["body"]) == (
        '<textarea name="body" cols="40" rows="2" required id="id_body">\n&lt;x&gt;</textarea>'
    )
