"""Two workers given the same import at once on PostgreSQL: the file is imported once
(core.imports: the claim under a row lock)."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from core import imports
from core.imports import import_run
from core.models import AuditEvent, ImportJob, ImportState
from tests.core.import_support import *  # noqa: F403 - the fixtures
from tests.core.import_support import KIND, queued
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_postgres"),
]


def test_two_claims_at_once_run_the_job_once(kind, clerk, monkeypatch):  # noqa: F811
    runs = []
    lock = threading.Lock()

    def slow_run(run):
        with lock:
            runs.append(run.job.pk)
        time.sleep(2)  # the other worker arrives while this one holds the job
        return kind.run(run)

    monkeypatch.setitem(imports.KINDS, KIND, dataclasses.replace(kind, run=slow_run))
    job = queued(clerk, b"LINES\na\nb\n")

    results, errors = at_once(lambda: import_run(job.pk), lambda: import_run(job.pk))

    assert errors == [None, None]
    assert runs == [job.pk]
    # The loser saw the job running (or, on a slow machine, already done): never queued.
    assert {r.state for r in results} <= {ImportState.DONE, ImportState.RUNNING}
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.state, job.attempts, job.summary["counts"]) == (
        ImportState.DONE, 1, {"written": 2}
    )
    assert AuditEvent.objects.filter(action="core.import.finish").count() == 1
