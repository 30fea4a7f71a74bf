"""tolerance.clearances: another procedure clears a cadre of a matter, once, audited; the
effects read it."""

import datetime as dt

import pytest

from core.models import AuditEvent
from tests.factories import make_user
from tolerance.clearances import cleared_pairs, matter_clear
from tolerance.effects import CLARIFIED, Effect, MatterEffect, matter_effect
from tolerance.models import AccountabilityMatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(world):
    return AccountabilityMatter.objects.create(
        title="招标问题", description="被举报", occurred_on=dt.date(2025, 12, 1)
    )


def test_a_clearance_is_recorded_once_and_audited(world, matter):
    clerk = make_user("clerk")
    first = matter_clear(
        matter.pk, world.cadre_a1.pk, actor=clerk, cleared_on=dt.date(2026, 4, 1),
        source="clarifications.clarification", source_id=7, authority_id=None,
    )
    again = matter_clear(
        matter.pk, world.cadre_a1.pk, actor=clerk, cleared_on=dt.date(2026, 5, 1),
        source="clarifications.clarification", source_id=8,
    )
    assert again == first
    assert (again.cleared_on, again.source_id) == (dt.date(2026, 4, 1), 7)
    event = AuditEvent.objects.get(action="tolerance.matter.clear")
    assert (event.actor, event.object_id) == (clerk, str(first.pk))
    assert event.after == {
        "matter": matter.pk,
        "cadre": world.cadre_a1.pk,
        "cleared_on": "2026-04-01",
        "source": "clarifications.clarification:7",
    }


def test_cleared_pairs_and_the_effect_read_the_clearance(world, matter, django_assert_num_queries):
    a1, b1 = world.cadre_a1.pk, world.cadre_b1.pk
    assert matter_effect(matter.pk, a1) == MatterEffect(Effect.COUNTS)
    matter_clear(
        matter.pk, a1, actor=None, cleared_on=dt.date(2026, 4, 1),
        source="clarifications.clarification", source_id=1,
    )
    with django_assert_num_queries(1):
        assert cleared_pairs([matter.pk], [a1, b1]) == {(matter.pk, a1)}
    assert matter_effect(matter.pk, a1) == MatterEffect(Effect.CLEARED, CLARIFIED, None)
    assert matter_effect(matter.pk, b1) == MatterEffect(Effect.COUNTS)
