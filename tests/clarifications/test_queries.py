"""Reads of clarifications (clarifications.queries): a cadre's clarifications, and the
statistics per year and handling authority."""

from __future__ import annotations

import datetime as dt

import pytest

from clarifications.enums import PetitionOutcome
from clarifications.models import Petition
from clarifications.queries import YearRow, cadre_clarifications, statistics

pytestmark = pytest.mark.django_db


def test_a_cadres_clarifications_are_his_own(petitions, world):
    mine = petitions.clarified()
    other = petitions.clarified(cadre=world.cadre_b1)
    assert list(cadre_clarifications(world.cadre_a1)) == [mine]
    assert list(cadre_clarifications(world.cadre_b1)) == [other]
    assert list(cadre_clarifications(world.cadre_city)) == []


def test_statistics_count_by_year_held_and_year_concluded_per_authority(
    petitions, world, django_assert_num_queries
):
    petitions.clarified(held_on=dt.date(2026, 4, 1))
    city = petitions.clarified(held_on=dt.date(2026, 5, 1)).petition
    petitions.clarified(
        PetitionOutcome.FALSE_ACCUSATION, held_on=dt.date(2026, 1, 5),
        concluded_on=dt.date(2025, 12, 20),
    )
    petitions.concluded(PetitionOutcome.FOUNDED)  # neither clarified nor a false accusation
    Petition.objects.filter(pk=city.pk).update(authority=world.city_discipline)
    with django_assert_num_queries(2):
        rows = statistics(Petition.objects.all())
    assert rows == [
        YearRow(2026, "中共甲县县委组织部", 2, 0),
        YearRow(2026, "济南市纪委监委", 1, 0),
        YearRow(2025, "中共甲县县委组织部", 0, 1),
    ]


def test_statistics_cover_only_the_petitions_given(petitions):
    kept = petitions.clarified(held_on=dt.date(2026, 4, 1)).petition
    petitions.clarified(held_on=dt.date(2024, 4, 1))
    assert statistics(Petition.objects.filter(pk=kept.pk)) == [
        YearRow(2026, "中共甲县县委组织部", 1, 0)
    ]
    assert statistics(Petition.objects.none()) == []
