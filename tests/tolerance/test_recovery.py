"""Rulings that never arrived are sent again by the periodic recovery, within limits."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.utils import timezone

from core.models import AuditEvent, IssuedDocument, OutboxTask
from tolerance import rulings, tasks
from tolerance.enums import CaseState
from tolerance.models import Case
from tolerance.recovery import rulings_requeue_stalled

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(minutes=31)


@pytest.fixture(autouse=True)
def no_signoff(settings):
    """The lost task issues the rulings itself here (no drafts waiting for a sign-off)."""
    settings.DOCUMENT_SIGNOFF_KINDS = []
    return settings


def test_rulings_awaiting_their_sign_off_are_not_stalled(flow, no_signoff):
    no_signoff.DOCUMENT_SIGNOFF_KINDS = ["tolerance_ruling"]
    case = flow.decided(sign=False)
    Case.objects.filter(pk=case.pk).update(decided_at=LONG_AGO)
    OutboxTask.objects.filter(task=tasks.issue_rulings.name).update(sent_at=LONG_AGO)
    assert rulings_requeue_stalled(now=NOW).requeued == []
    flow.sign_rulings(case)
    assert Case.objects.get(pk=case.pk).state == CaseState.RULING_ISSUED


@pytest.fixture
def lost(flow, monkeypatch):
    """A decided case whose ruling task was sent 31 minutes ago but produced nothing."""
    with monkeypatch.context() as patch:
        patch.setattr(rulings, "issue_rulings", lambda case_id: [])
        case = flow.decided()
    assert case.state == CaseState.DECIDED
    Case.objects.filter(pk=case.pk).update(decided_at=LONG_AGO)
    rows = OutboxTask.objects.filter(task=tasks.issue_rulings.name, args=[case.pk])
    assert rows.update(sent_at=LONG_AGO) == 1
    return case


def _rows(case) -> int:
    return OutboxTask.objects.filter(task=tasks.issue_rulings.name, args=[case.pk]).count()


def test_a_lost_ruling_is_sent_again_and_arrives(lost, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = rulings_requeue_stalled(now=NOW)
    assert (run.requeued, run.given_up) == ([lost.pk], [])
    assert Case.objects.get(pk=lost.pk).state == CaseState.RULING_ISSUED
    assert IssuedDocument.objects.filter(kind="tolerance_ruling").count() == 1
    event = AuditEvent.objects.get(action="tolerance.case.ruling_requeued")
    assert (event.actor_id, event.object_id, event.after, event.authority_id) == (
        None, str(lost.pk), {"sent_before": 1}, lost.authority_id
    )
    # the case is settled now: nothing more to do
    assert rulings_requeue_stalled(now=NOW + dt.timedelta(hours=1)).requeued == []


def test_a_second_run_right_after_sends_nothing_more(lost, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run it yet
        rulings_requeue_stalled(now=NOW)
    assert rulings_requeue_stalled(now=NOW).requeued == []  # waiting in the outbox
    OutboxTask.objects.filter(sent_at__isnull=True).update(sent_at=NOW)
    assert rulings_requeue_stalled(now=NOW + dt.timedelta(minutes=29)).requeued == []
    assert _rows(lost) == 2


def test_a_recent_decision_is_given_time(lost):
    Case.objects.filter(pk=lost.pk).update(decided_at=NOW - dt.timedelta(minutes=29))
    assert rulings_requeue_stalled(now=NOW).requeued == []
    assert _rows(lost) == 1


def test_a_task_waiting_for_the_broker_is_the_drains_business(lost):
    OutboxTask.objects.filter(args=[lost.pk]).update(sent_at=None)
    assert rulings_requeue_stalled(now=NOW).requeued == []
    assert _rows(lost) == 1


def test_after_the_limit_the_case_is_left_for_an_administrator(lost, settings, caplog):
    settings.TOLERANCE_RULING_MAX_REQUEUES = 3
    for _i in range(3):
        OutboxTask.objects.create(
            task=tasks.issue_rulings.name, args=[lost.pk], sent_at=LONG_AGO
        )
    with caplog.at_level(logging.ERROR, logger="tolerance.recovery"):
        run = rulings_requeue_stalled(now=NOW)
    assert (run.requeued, run.given_up) == ([], [lost.pk])
    assert _rows(lost) == 4
    assert f"Rulings of cases [{lost.pk}] never arrived after 4 sends" in caplog.text


def test_nothing_stalled_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert rulings_requeue_stalled(now=NOW).requeued == []


def test_the_beat_task_runs_it(lost, django_capture_on_commit_callbacks):
    from tolerance.beat_tasks import requeue_stalled_rulings

    with django_capture_on_commit_callbacks(execute=False):
        result = requeue_stalled_rulings.apply().get()
    assert result == {"requeued": [lost.pk], "given_up": []}
