"""get_FOO_display through core.display: Django's own result, translated per language."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.utils import translation

from core.display import get_field_display, labels
from promotions.enums import ProposalState, TriggerArea
from promotions.models import Proposal


def test_generated_display_methods_use_the_cached_labels():
    assert Proposal.__dict__["get_area_display"].func is get_field_display


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_display_equals_djangos_in_each_language(language):
    proposal = Proposal(area=TriggerArea.POVERTY, state=ProposalState.DECIDED)
    with translation.override(language):
        field = Proposal._meta.get_field("area")
        assert proposal.get_area_display() == Model._get_FIELD_display(proposal, field)
        assert proposal.get_state_display() == str(ProposalState.DECIDED.label)
    assert labels(field) is labels(field)


def test_display_switches_language():
    proposal = Proposal(area=TriggerArea.POVERTY)
    with translation.override("en"):
        english = proposal.get_area_display()
    with translation.override("zh-hans"):
        chinese = proposal.get_area_display()
    assert english == "Poverty target missed"
    assert chinese != english


def test_unknown_value_is_shown_as_is():
    assert Proposal(area="elsewhere").get_area_display() == "elsewhere"
