"""A roster import on a real Celery worker: the request stores the file and answers at once,
Redis carries the task, another process imports; the job's page then shows it done.

This process cannot import: its roster importer is replaced by one that fails, so cadres
that appear were written by the worker (tests/tolerance/test_celery_worker.py's worker).
Skipped without PostgreSQL and Redis; fails instead under CI=true (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres.models import Cadre
from core.models import ImportJob, ImportState
from tests.cadres.roster.test_importer import good_row, make_xlsx
from tests.importing import job_of
from tests.tolerance.test_celery_worker import wait_for, worker  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

IMPORT_TIMEOUT = 120


def test_a_roster_import_runs_on_the_worker_not_in_the_request(
    world, personas, worker, client, monkeypatch  # noqa: F811
):
    def refuse(*args, **kwargs):
        raise AssertionError("imported in the web process, not by the worker")

    monkeypatch.setattr("cadres.roster.importer.roster_import", refuse)
    client.force_login(personas.clerk_a)
    data = make_xlsx([good_row({"姓名": "周七"}), good_row({"姓名": "吴八"})])
    response = client.post(
        reverse("cadres:roster-import"), {"file": SimpleUploadedFile("名册.xlsx", data)}
    )
    job = job_of(response)

    def finished():
        state = ImportJob.objects.values_list("state", flat=True).get(pk=job.pk)
        return state if state in (ImportState.DONE, ImportState.FAILED) else None

    assert wait_for(finished, IMPORT_TIMEOUT, "the import", worker.log) == ImportState.DONE
    job.refresh_from_db()
    assert (job.attempts, job.summary["counts"]) == (
        1, {"created": 2, "updated": 0, "unchanged": 0}
    )
    assert Cadre.objects.filter(name__in=["周七", "吴八"]).count() == 2
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.context["counts"][0][2] == 2
