"""The embedded default's beat (core.embedded_beat): in-process recovery after responses,
once per interval per process, one run at a time, never with a broker."""

from __future__ import annotations

import threading

import pytest
from celery import current_app, shared_task

from core import embedded_beat

pytestmark = pytest.mark.django_db(transaction=True)


RAN: list[str] = []


@shared_task(name="tests.core.test_embedded_beat.probe")
def probe() -> None:
    RAN.append("probe")


@pytest.fixture(autouse=True)
def fresh_beat(monkeypatch):
    monkeypatch.setattr(embedded_beat, "_state", {"last": float("-inf")})
    monkeypatch.setattr(embedded_beat, "_lock", threading.Lock())


def test_the_beat_runs_once_per_interval_and_one_run_at_a_time(settings, monkeypatch):
    settings.EMBEDDED_BEAT_SECONDS = 60
    assert embedded_beat.due(1000.0) is True
    assert embedded_beat.due(1001.0) is False  # still running
    embedded_beat._lock.release()
    assert embedded_beat.due(1059.0) is False  # too soon
    assert embedded_beat.due(1060.0) is True
    embedded_beat._lock.release()


def test_the_middleware_runs_the_recovery_after_a_response(client, settings, monkeypatch):
    settings.EMBEDDED_BEAT_SECONDS = 60
    ran = threading.Event()
    monkeypatch.setattr(embedded_beat, "run_recovery", ran.set)
    assert client.get("/healthz").status_code == 200
    assert ran.wait(timeout=10)
    ran.clear()
    client.get("/healthz")
    assert not ran.wait(timeout=0.5)  # not again within the interval



def test_a_failing_recovery_task_does_not_stop_the_rest(settings, caplog):
    RAN.clear()
    settings.EMBEDDED_BEAT_TASKS = ["nowhere.task", "tests.core.test_embedded_beat.probe"]
    embedded_beat.run_recovery()
    assert RAN == ["probe"]
    assert [r.getMessage() for r in caplog.records if r.name == "core.embedded_beat"] == [
        "Embedded beat: nowhere.task failed"
    ]


@pytest.mark.parametrize(("eager", "seconds"), [(False, 60), (True, 0)])
def test_no_beat_with_a_broker_or_when_switched_off(client, settings, monkeypatch, eager, seconds):
    settings.EMBEDDED_BEAT_SECONDS = seconds
    ran = threading.Event()
    monkeypatch.setattr(embedded_beat, "run_recovery", ran.set)
    was = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = eager
    try:
        assert client.get("/healthz").status_code == 200
    finally:
        current_app.conf.task_always_eager = was
    assert not ran.wait(timeout=0.5)
    assert embedded_beat._state["last"] == float("-inf")


def test_the_middleware_is_left_out_of_the_chain_with_a_broker():
    from django.core.exceptions import MiddlewareNotUsed

    was = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    try:
        with pytest.raises(MiddlewareNotUsed):
            embedded_beat.EmbeddedBeatMiddleware(lambda request: None)
    finally:
        current_app.conf.task_always_eager = was
    assert embedded_beat.EmbeddedBeatMiddleware(lambda request: None).get_response(None) is None
