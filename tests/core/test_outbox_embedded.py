"""The embedded default (tasks in-process): a task failing after the commit is tried
again in-process, then left in the outbox; the in-process beat sends it later."""

from __future__ import annotations

import pytest
from celery import shared_task

from core import embedded_beat, outbox
from core.models import OutboxTask

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[int] = []
FAILURES = {"left": 0}


@shared_task(name="tests.core.flaky")
def flaky(n: int) -> int:
    CALLS.append(n)
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError("database is locked")
    return n


@pytest.fixture(autouse=True)
def embedded(settings, monkeypatch):
    CALLS.clear()
    settings.OUTBOX_EAGER_RAISE = False
    settings.OUTBOX_EAGER_ATTEMPTS = 3
    monkeypatch.setattr(outbox, "EAGER_PAUSE", 0)


def test_a_task_failing_once_is_retried_in_process():
    FAILURES["left"] = 1
    row = outbox.enqueue(flaky, 7)  # no transaction: sent at once
    row.refresh_from_db()
    assert CALLS == [7, 7]
    assert (row.sent_at is not None, row.attempts, row.last_error) == (True, 2, "")


def test_a_task_that_keeps_failing_is_left_for_recovery(settings):
    FAILURES["left"] = 5
    row = outbox.enqueue(flaky, 8)
    row.refresh_from_db()
    assert CALLS == [8, 8, 8]
    assert (row.sent_at, row.attempts, row.claimed_until) == (None, 3, None)
    assert "database is locked" in row.last_error
    # the recovery (what the in-process beat runs) sends it once it works again
    FAILURES["left"] = 0
    settings.EMBEDDED_BEAT_TASKS = ["core.tasks.drain_outbox"]
    embedded_beat.run_recovery()
    row.refresh_from_db()
    assert row.sent_at is not None
    assert CALLS == [8, 8, 8, 8]


def test_the_test_settings_raise_instead(settings):
    settings.OUTBOX_EAGER_RAISE = True
    settings.OUTBOX_EAGER_ATTEMPTS = 1
    FAILURES["left"] = 1
    with pytest.raises(RuntimeError):
        outbox.enqueue(flaky, 9)
    assert OutboxTask.objects.get().sent_at is None
