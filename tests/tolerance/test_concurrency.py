"""Two people deciding at once, on a real PostgreSQL: the row locks make exactly one win.

Each thread has its own connection (closed at the end). The tally is slowed down so that
the second decider certainly arrives while the first still holds the lock.
"""

from __future__ import annotations

import time

import pytest

from core.models import AuditEvent
from tests.factories import CadreFactory
from tests.threads import at_once
from tolerance import deliberation, tasks
from tolerance.enums import CaseState, Outcome, StartedBy
from tolerance.errors import AlreadyDecided
from tolerance.models import Case, CaseCadre

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_policy(transactional_db):
    """The default policy the data migration seeds, which an earlier transaction test's flush
    removed. (serialized_rollback=True would restore it, but clashes with the content types
    that a flush by a transaction test without it recreates.)"""
    from tests.policy_support import reseed_shipped_measures

    reseed_shipped_measures()  # does nothing when the versions exist


@pytest.fixture(autouse=True)
def quiet(monkeypatch, settings, tmp_path):
    """No documents rendered for the decision (the acceptance notice is stored in tmp)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    enqueued = []
    monkeypatch.setattr(
        tasks.issue_rulings, "apply_async", lambda args=(), **kw: enqueued.append(args[0])
    )
    slow_tally = deliberation.tally

    def tally(*args, **kwargs):
        time.sleep(0.3)
        return slow_tally(*args, **kwargs)

    monkeypatch.setattr(deliberation, "tally", tally)
    return enqueued


def test_two_reviewers_deciding_the_same_cadre_make_one_decision(flow, staff, quiet):
    case = flow.deliberating()
    entry = case.entries.get()
    for_exemption = flow.meeting(case, Outcome.EXEMPT)
    for_lighter = flow.meeting(case, Outcome.LIGHTER)

    def decide(actor, outcome, meeting):
        return lambda: deliberation.entry_decide(
            entry, actor=actor, outcome=outcome, reason="经集体研究", meeting=meeting,
            departure_reason="情节有别",
        )

    results, errors = at_once(
        decide(staff.members[0], Outcome.EXEMPT, for_exemption),
        decide(staff.members[1], Outcome.LIGHTER, for_lighter),
    )

    winners = [i for i, result in enumerate(results) if result is not None]
    assert len(winners) == 1, errors
    loser = 1 - winners[0]
    assert isinstance(errors[loser], AlreadyDecided), errors
    outcome = results[winners[0]].outcome
    label = {"exempt": "Exempted from responsibility", "lighter": "Lighter treatment"}[outcome]
    assert str(errors[loser]) == (
        f"Someone else was faster: the conclusion on 张三 is already recorded ({label})."
    )
    stored = CaseCadre.objects.get(pk=entry.pk)
    assert (stored.outcome, stored.decided_by) == (
        outcome, [staff.members[0], staff.members[1]][winners[0]]
    )
    assert AuditEvent.objects.filter(action="tolerance.entry.decide").count() == 1
    assert AuditEvent.objects.filter(action="tolerance.case.decide").count() == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.DECIDED
    assert quiet == [case.pk]


def test_two_cadres_decided_at_once_decide_the_case_once(flow, staff, world, quiet):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = flow.deliberating(by=staff.hr, started_by=StartedBy.UNIT,
                             cadres=[world.cadre_a1, colleague])
    meeting = flow.meeting(case, Outcome.EXEMPT)
    first, second = CaseCadre.objects.filter(case=case).order_by("pk")

    def decide(entry, actor):
        return lambda: deliberation.entry_decide(
            entry, actor=actor, outcome=Outcome.EXEMPT, reason="经集体研究", meeting=meeting
        )

    results, errors = at_once(decide(first, staff.members[1]), decide(second, staff.members[0]))

    assert errors == [None, None]
    assert [r.outcome for r in results] == ["exempt", "exempt"]
    assert AuditEvent.objects.filter(action="tolerance.entry.decide").count() == 2
    assert AuditEvent.objects.filter(action="tolerance.case.decide").count() == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.DECIDED
    assert quiet == [case.pk]
