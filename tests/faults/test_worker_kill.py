"""A Celery worker killed with SIGKILL in the middle of rendering a ruling: after recovery
there is exactly one ruling, under the first number, and no number is lost.

Real processes against Redis and PostgreSQL: the test sends tolerance.tasks.issue_rulings
to a queue of its own, a worker (tests/faults/celery_worker.py) starts rendering and is
killed while it holds the document sequence lock; acks_late leaves the message in Redis,
and the next worker (or the same one, when only its pool process died) runs it again.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from celery import Celery

from core.documents import read_document
from core.models import AuditEvent, DocumentKind, DocumentSequence, IssuedDocument
from tolerance import tasks
from tolerance.enums import CaseState
from tolerance.models import Case

from .conftest import redis_url, wait_for

pytestmark = [
    pytest.mark.usefixtures("no_signoff"),
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def var_dir(settings, tmp_path) -> Path:
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(var / "media")},
        },
    }
    return var


@pytest.fixture
def decided_case(flow, monkeypatch) -> Case:
    """A decided case whose ruling task has not been sent (the test sends it)."""
    with monkeypatch.context() as patch:
        patch.setattr(tasks.issue_rulings, "apply_async", lambda *args, **kwargs: None)
        case = flow.decided()
    assert case.state == CaseState.DECIDED
    assert rulings(case) == []
    return case


def rulings(case: Case) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(kind=DocumentKind.TOLERANCE_RULING, object_id=case.pk)
    )


def send_issue_rulings(case: Case, queue: str) -> None:
    """Publish the task as the web process would, on a connection of its own."""
    sender = Celery("faults-sender", set_as_current=False)
    # broker_write_url: a CELERY_BROKER_URL in the environment outranks broker=.
    sender.conf.broker_write_url = redis_url()
    try:
        sender.send_task("tolerance.tasks.issue_rulings", args=[case.pk], queue=queue)
    finally:
        sender.close()


def case_state(case: Case) -> str:
    return Case.objects.values_list("state", flat=True).get(pk=case.pk)


def assert_exactly_one_ruling(case: Case) -> None:
    documents = rulings(case)
    assert len(documents) == 1
    document = documents[0]
    assert document.number.endswith(f"〔{document.year}〕1号")
    sequence = DocumentSequence.objects.get(
        authority=document.authority, year=document.year, series=document.series
    )
    assert sequence.last_number == 1  # the killed attempt consumed no number
    assert read_document(document).startswith(b"%PDF")
    issued = AuditEvent.objects.filter(action="document.issue", object_id=str(document.pk))
    assert issued.count() == 1
    assert case_state(case) == CaseState.RULING_ISSUED


def test_worker_killed_mid_ruling_then_new_worker_issues_it_once(
    decided_case, processes, var_dir, queue_name, tmp_path
):
    marker = tmp_path / "rendering.pid"
    first = processes.worker(var_dir, queue_name, slow_once=marker)
    send_issue_rulings(decided_case, queue_name)
    wait_for(marker.exists, timeout=90, what="the first worker to start rendering", log=first)
    # Mid-render: the number is allocated in an open transaction, nothing is visible.
    assert rulings(decided_case) == []

    first.kill()  # SIGKILL to the worker and its pool process
    assert rulings(decided_case) == [] and case_state(decided_case) == CaseState.DECIDED

    second = processes.worker(var_dir, queue_name)
    wait_for(
        lambda: case_state(decided_case) == CaseState.RULING_ISSUED,
        timeout=120,
        what="the new worker to issue the ruling",
        log=second,
    )
    assert_exactly_one_ruling(decided_case)


def test_pool_process_killed_mid_ruling_is_run_again_once(
    decided_case, processes, var_dir, queue_name, tmp_path
):
    """Only the process rendering dies: reject_on_worker_lost puts the message back."""
    marker = tmp_path / "rendering.pid"
    worker = processes.worker(var_dir, queue_name, slow_once=marker)
    send_issue_rulings(decided_case, queue_name)
    pid = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=90,
                       what="the pool process to start rendering", log=worker))
    assert pid != worker.popen.pid
    os.kill(pid, signal.SIGKILL)
    wait_for(
        lambda: case_state(decided_case) == CaseState.RULING_ISSUED,
        timeout=120,
        what="the worker to run the task again",
        log=worker,
    )
    assert_exactly_one_ruling(decided_case)
    assert "WorkerLostError" in worker.output()


def test_task_delivered_twice_issues_one_ruling(decided_case, processes, var_dir, queue_name):
    worker = processes.worker(var_dir, queue_name)
    send_issue_rulings(decided_case, queue_name)
    send_issue_rulings(decided_case, queue_name)
    wait_for(
        lambda: case_state(decided_case) == CaseState.RULING_ISSUED,
        timeout=120,
        what="the worker to issue the ruling",
        log=worker,
    )
    wait_for(
        lambda: worker.output().count(" succeeded in ") >= 2,
        timeout=120,
        what="both deliveries to finish",
        log=worker,
    )
    assert_exactly_one_ruling(decided_case)
