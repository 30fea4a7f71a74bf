from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from cadres.models import Cadre
from core.pickers import CadrePicker, ChipsSelectMultiple, PickerSelectMultiple


def pick(client, kind, q):
    response = client.get(reverse("workbench:pick", args=[kind]), {"q": q})
    assert response.status_code == 200
    return [row["text"].split(" · ")[0] for row in response.json()["results"]]


@pytest.mark.django_db
def test_cadre_picker_finds_by_pinyin_within_jurisdiction(client, world, personas):
    client.force_login(personas.clerk_a)
    assert pick(client, "cadres", "zs") == ["张三"]
    assert pick(client, "cadres", "张") == ["张三"]
    assert pick(client, "cadres", "ww") == []  # 王五 is the city's
    client.force_login(personas.clerk_city)
    assert pick(client, "cadres", "ww") == ["王五"]
    assert pick(client, "cadres", "zs") == []
    client.force_login(personas.outsider)
    assert pick(client, "cadres", "zs") == []


@pytest.mark.django_db
def test_unit_picker_finds_by_name_or_code_within_jurisdiction(client, world, personas):
    client.force_login(personas.clerk_a)
    names = pick(client, "units", "城关")
    assert names == ["甲县城关镇（37012401）"]
    assert pick(client, "units", "370124")[:1] == ["甲县（370124）"]
    client.force_login(personas.outsider)
    assert pick(client, "units", "城关") == []


@pytest.mark.django_db
def test_picker_answers_nothing_without_text_and_404_for_other_kinds(client, personas):
    client.force_login(personas.clerk_a)
    assert client.get(reverse("workbench:pick", args=["cadres"])).json() == {"results": []}
    assert client.get(reverse("workbench:pick", args=["users"])).status_code == 404
    client.logout()
    assert client.get(reverse("workbench:pick", args=["cadres"])).status_code == 302


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
