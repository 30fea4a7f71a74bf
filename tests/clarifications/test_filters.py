"""The petitions list filter (clarifications.filters): search by number, cadre or unit
(never the informant), choices drawn from the rows the user sees, nothing on a bad value."""

from __future__ import annotations

import datetime as dt

import pytest

from clarifications.filters import PetitionFilter, search_petitions
from clarifications.models import Petition
from clarifications.permissions import visible_petitions

from .conftest import INFORMANT

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(petitions, world):
    """张三's petition (2026), 李四's (2025), one about the township of 张三 (2026)."""
    zhang = petitions.received()
    li = petitions.received(cadre=world.cadre_b1, received_on=dt.date(2025, 6, 1))
    unit = petitions.received()
    Petition.objects.filter(pk=unit.pk).update(cadre=None, unit=world.township_a1)
    return zhang, li, unit


def pks(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("typed", ["XF2026-{n:05d}", "xf{n}", "XF-{n:03d}", " XF2026 {n} "])
def test_a_petition_number_finds_that_petition(three, typed):
    zhang = three[0]
    found = search_petitions(Petition.objects.all(), typed.format(n=zhang.pk))
    assert pks(found) == [zhang.pk]


def test_a_cadre_name_initials_or_unit_words_find_the_petitions(three):
    zhang, li, unit = three
    everything = Petition.objects.all()
    assert pks(search_petitions(everything, "张三")) == [zhang.pk]
    assert pks(search_petitions(everything, "zs")) == [zhang.pk]
    assert pks(search_petitions(everything, "lisi")) == [li.pk]
    assert pks(search_petitions(everything, "城关")) == [unit.pk]
    assert pks(search_petitions(everything, "   ")) == pks(everything)


def test_the_informant_is_never_searched(three):
    assert pks(search_petitions(Petition.objects.all(), INFORMANT)) == []


def test_choices_come_from_the_visible_rows(three, people, world):
    rows = visible_petitions(people.clerk)
    petitions = PetitionFilter(queryset=rows)
    assert list(petitions.filters["authority"].queryset) == [world.county_a_org]
    assert petitions.filters["year"].extra["choices"] == [(2026, 2026), (2025, 2025)]
    assert petitions.form.fields["state"].widget.attrs["class"] == "form-select"
    assert petitions.form.fields["q"].widget.attrs["class"] == "form-control"
    nothing = PetitionFilter(queryset=visible_petitions(people.city_discipline))
    assert list(nothing.filters["authority"].queryset) == []
    assert nothing.filters["year"].extra["choices"] == []


def test_filters_narrow_the_visible_rows(three, people):
    zhang, li, unit = three
    rows = visible_petitions(people.clerk)
    assert pks(PetitionFilter({"year": "2025"}, queryset=rows).matching) == [li.pk]
    assert pks(PetitionFilter({"q": "zs", "year": "2026"}, queryset=rows).matching) == [zhang.pk]
    assert pks(PetitionFilter({}, queryset=rows).matching) == sorted(p.pk for p in three)


def test_a_bad_value_matches_nothing_and_says_why(three, people):
    rows = visible_petitions(people.clerk)
    for data in ({"year": "1999"}, {"state": "nonsense"}, {"q": "x" * 65}):
        bad = PetitionFilter(data, queryset=rows)
        assert list(bad.matching) == [], data
        assert list(bad.form.errors) == list(data), data
