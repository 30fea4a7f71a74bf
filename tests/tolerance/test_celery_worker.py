"""End to end on a real Celery worker: Redis carries the task, another process renders.

The worker is `celery -A config.celery_app worker` in a subprocess with the test settings,
pointed at this test's PostgreSQL database and at the broker in CELERY_BROKER_URL. This
process sends for real (CELERY_TASK_ALWAYS_EAGER off) and cannot render: its renderer is
replaced by one that fails, so a ruling that appears was made by the worker. What the worker
itself sends (notification mail) runs inline there.

Skipped without PostgreSQL and Redis; fails instead under CI=true (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from config.celery_app import app
from core.documents import read_document, verify_document
from core.models import IssuedDocument
from tolerance import rulings
from tolerance.enums import CaseState
from tolerance.models import Case

pytestmark = [
    pytest.mark.usefixtures("no_signoff"),
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_policy"),
]

ROOT = Path(__file__).resolve().parents[2]
YEAR = timezone.localdate().year
START_TIMEOUT = 60
RENDER_TIMEOUT = 120


def database_url() -> str:
    """The test database (test_…), as DATABASE_URL for the worker's settings."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def wait_for(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    pytest.fail(f"timed out after {timeout} s waiting for {what}; worker log:\n{tail}")


class Worker:
    def __init__(self, process: subprocess.Popen, name: str, log: Path, started: float):
        self.process, self.name, self.log, self.started = process, name, log, started
        self.ready_after: float | None = None

    def answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.log.read_text()}")
        replies = app.control.ping(destination=[self.name], timeout=0.5)
        return any(self.name in reply for reply in replies)


@pytest.fixture
def worker(transactional_db, settings, tmp_path):
    """A worker process for this test; stopped (warm shutdown) before the database is
    flushed. Messages left on the default queue by an earlier, interrupted run are purged
    first: the broker database is the test run's own."""
    var = tmp_path / "var"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(var / "media")},
        },
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "true",  # what the worker sends itself runs inline
        "DOCUMENT_SIGNOFF_KINDS": ",".join(settings.DOCUMENT_SIGNOFF_KINDS),
        "APP_VAR_DIR": str(var),  # media (the issued files) under tmp_path
        "PDF_FONT_DIRS": ",".join(str(d) for d in settings.PDF_FONT_DIRS),
    }
    name = f"tolerance-test-{uuid.uuid4().hex[:8]}@{os.uname().nodename}"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    log = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "config.celery_app", "worker",
        "--hostname", name, "--loglevel", "INFO", "--pool", "prefork", "--concurrency", "1",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    running = Worker(process, name, log, started)
    try:
        wait_for(running.answers, START_TIMEOUT, "the worker to answer a ping", log)
        running.ready_after = time.monotonic() - started
        yield running
    finally:
        app.conf.task_always_eager = eager
        process.terminate()  # warm shutdown: finishes the task in hand
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def no_local_rendering(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("rendered in the test process, not by the worker")

    monkeypatch.setattr(rulings, "render_document", refuse)


def test_worker_renders_the_ruling_after_the_decision(
    worker, no_local_rendering, flow, record_property
):
    began = time.monotonic()
    case = flow.decided()  # the decision's on_commit sends tolerance.tasks.issue_rulings
    decided_after = time.monotonic() - began
    assert case.state == CaseState.DECIDED

    def issued():
        # The ruling, and the acceptance notice sent at acceptance (its task may come later:
        # each document's task is its own message on the queue).
        return (
            Case.objects.filter(pk=case.pk, state=CaseState.RULING_ISSUED).exists()
            and IssuedDocument.objects.filter(kind="acceptance_notice", object_id=case.pk).exists()
        )

    wait_for(issued, RENDER_TIMEOUT, "the ruling", worker.log)
    total = time.monotonic() - began
    record_property("worker_ready_s", round(worker.ready_after, 2))
    record_property("flow_to_decided_s", round(decided_after, 2))
    record_property("decided_to_ruling_issued_s", round(total - decided_after, 2))
    print(  # shown with -s or -rP
        f"worker ready after {worker.ready_after:.2f} s;"
        f" case filed to decided {decided_after:.2f} s;"
        f" decided to ruling issued {total - decided_after:.2f} s"
    )

    ruling = IssuedDocument.objects.get(kind="tolerance_ruling", object_id=case.pk)
    content = read_document(ruling)
    assert ruling.number == f"甲组容〔{YEAR}〕1号"
    assert (ruling.cadre, ruling.title) == (flow.world.cadre_a1, "容错认定决定书（张三）")
    assert ruling.sha256 == hashlib.sha256(content).hexdigest()
    assert content.startswith(b"%PDF-")
    assert (ruling.size, ruling.content_type_header) == (len(content), "application/pdf")
    assert verify_document(ruling.number, ruling.sha256).genuine
    notice = IssuedDocument.objects.get(kind="acceptance_notice", object_id=case.pk)
    assert notice.number == f"甲组容受〔{YEAR}〕1号"  # sent at acceptance, rendered there too
