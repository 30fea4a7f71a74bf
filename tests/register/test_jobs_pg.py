"""Two runs of one export at once on PostgreSQL: one export, one set of files, audited once
(register.jobs: the claim is the declared `start` transition under a row lock)."""

from __future__ import annotations

import pytest

from core.models import AuditEvent
from register.jobs import export_run
from register.models import ExportJob, ExportState
from tests.register.support import *  # noqa: F403 - the fixtures
from tests.threads import at_once
from tests.tolerance.conftest import seeded_policy  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # A transactional test's database is flushed: the measures are published again.
    pytest.mark.usefixtures("on_postgres", "seeded_policy"),
]


def test_two_runs_at_once_export_once(ledger):  # noqa: F811
    job = ExportJob.objects.create(
        requested_by=ledger.people["auditor_a"], upto_id=10**9, total=7
    )
    results, errors = at_once(lambda: export_run(job.pk), lambda: export_run(job.pk))
    assert errors == [None, None]
    assert {r.state for r in results} <= {ExportState.DONE, ExportState.RUNNING}
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done) == (ExportState.DONE, 1, 7)
    finished = AuditEvent.objects.filter(action="register.export.finish", object_id=str(job.pk))
    assert finished.count() == 1  # one authority's documents, audited once
    archives = {r.archive.name for r in results if r.state == ExportState.DONE}
    assert archives <= {job.archive.name}
