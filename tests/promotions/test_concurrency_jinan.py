"""Two people at once on a real PostgreSQL: the row locks make exactly one win, for the
decision on an exceptional-promotion request and for proposing on the same ground.

Each thread has its own connection (closed at the end). Writing the audit row is slowed
down so that the second person certainly arrives while the first still holds the lock.
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core import audit
from core.errors import StateChanged
from core.models import AuditEvent
from promotions.exceptional.services import exceptional_transition
from promotions.grounds.services import proposal_propose
from promotions.models import ExceptionalRequest, Proposal
from tests.factories import make_user
from tests.threads import at_once

from .conftest import request_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_promotion_policy"),
]


@pytest.fixture
def slow_audit(monkeypatch):
    record = audit.record

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", slow)


def test_two_leaders_deciding_at_once_one_wins(world, county, exc, on_postgres, slow_audit):
    from core.enums import Role

    other = make_user("p_leader2", Role.APPROVING_LEADER, authorities=[world.county_a_org])
    request = exceptional_transition(
        request_for(exc, county.clerk), actor=county.clerk, action="submit"
    )
    results, errors = at_once(
        lambda: exceptional_transition(request, actor=exc.leader, action="approve"),
        lambda: exceptional_transition(request, actor=other, action="reject", reason="不同意"),
    )
    winners = [r for r in results if r is not None]
    losers = [e for e in errors if e is not None]
    assert (len(winners), len(losers)) == (1, 1)
    assert isinstance(losers[0], StateChanged)
    # The winner's state, named in whichever language the racing thread spoke (threads do not
    # inherit the language an earlier test's request activated in the main thread).
    labels = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            labels.append(str(winners[0].get_state_display()))
    assert str(losers[0]) in {
        f"Someone else was faster: the request is now “{label}”." for label in labels
    }
    request.refresh_from_db()
    assert request.state == winners[0].state
    decisions = AuditEvent.objects.filter(
        action__in=["promotions.exceptional.approve", "promotions.exceptional.reject"]
    )
    assert decisions.count() == 1
    assert ExceptionalRequest.objects.count() == 1


def test_two_clerks_proposing_the_same_ground_at_once_one_wins(world, county, on_postgres,
                                                                slow_audit):
    from core.enums import Role

    other = make_user("p_clerk2", Role.INVESTIGATOR, authorities=[world.county_a_org])
    year = timezone.localdate().year

    def propose(actor):
        return lambda: proposal_propose(county.deputy, actor=actor, ground="unfit", year=year,
                                        facts="事实", evidence="证据")

    results, errors = at_once(propose(county.clerk), propose(other))
    assert sum(r is not None for r in results) == 1
    losers = [e for e in errors if e is not None]
    assert len(losers) == 1 and isinstance(losers[0], ValidationError)
    assert losers[0].message_dict == {
        "ground": ["An adjustment proposal on this ground already exists for this cadre and year."]
    }
    assert Proposal.objects.count() == 1
    assert AuditEvent.objects.filter(action="promotions.proposal.create").count() == 1
