"""clarifications/migrations/0003_plan_matter_clearances: the clarifications held before
tolerance.MatterClearance existed are carried into it (once), so no matter that a
clarification cleared starts counting again."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from clarifications.enums import PetitionOutcome
from tolerance.models import AccountabilityMatter, MatterClearance

pytestmark = pytest.mark.django_db

migration = importlib.import_module("clarifications.migrations.0003_plan_matter_clearances")


def test_clarifications_held_before_become_clearances(petitions, world):
    matter = AccountabilityMatter.objects.create(
        title="招标问题", description="被举报", occurred_on=dt.date(2025, 12, 1)
    )
    held = petitions.clarified(matter=matter, held_on=dt.date(2026, 4, 2))
    petitions.concluded(PetitionOutcome.FOUNDED, matter=matter, cadre=world.cadre_b1)
    petitions.clarified()  # no matter: nothing to clear
    MatterClearance.objects.all().delete()  # the table as the migration finds it
    migration.record_clearances(apps, None)
    migration.record_clearances(apps, None)  # run twice: still one row
    assert list(
        MatterClearance.objects.values_list("matter_id", "cadre_id", "cleared_on", "source_id")
    ) == [(matter.pk, world.cadre_a1.pk, dt.date(2026, 4, 2), held.pk)]


def test_the_outcomes_frozen_in_the_migration_are_those_that_clarify():
    assert set(migration.CLARIFIABLE) == PetitionOutcome.clarifiable()
