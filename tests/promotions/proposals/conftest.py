"""Fixtures of the proposal tests."""

from __future__ import annotations

import pytest

from assessments.models import TargetAssessment
from promotions.models import Proposal
from promotions.triggers.scan import scan


@pytest.fixture
def proposal(world, county) -> Proposal:
    """The one proposal the scan makes for county A's poor 2023 target assessment."""
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    return Proposal.objects.get()
