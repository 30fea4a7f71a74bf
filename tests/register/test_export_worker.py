"""A register export end to end on a real Celery worker: Redis carries the task, another
process writes the ZIP and the Excel register, the page's progress reaches 100%.

The worker is the one of tests/tolerance/test_celery_worker.py (a `celery worker`
subprocess on this test's PostgreSQL database and the broker in CELERY_BROKER_URL). This
process cannot export: its export writer is replaced by one that fails, so files that
appear were written by the worker.

Skipped without PostgreSQL and Redis; fails instead under CI=true (tests/conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.urls import reverse

from config.celery_app import app
from core.documents import document_issue, verify_document
from core.enums import Role
from core.models import AuditEvent, DocumentKind, IssuedDocument
from register import jobs
from register.jobs import export_request
from register.models import ExportJob, ExportState
from tests.factories import make_user
from tests.tolerance.test_celery_worker import wait_for, worker  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DOCUMENTS = 120  # more than one progress step (jobs.PROGRESS_MIN_EVERY)
EXPORT_TIMEOUT = 120


@pytest.fixture
def no_local_export(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("exported in the test process, not by the worker")

    monkeypatch.setattr(jobs, "_write", refuse)


def issue_rulings(world, count: int) -> list[IssuedDocument]:
    """`count` rulings of county A's org department about 张三, each with its own PDF."""
    documents = []
    for i in range(count):
        document, _created = document_issue(
            key=f"worker-export:{i}",
            kind=DocumentKind.TOLERANCE_RULING,
            authority=world.county_a_org,
            series="容",
            title=f"容错认定决定书（张三）{i}",
            render=lambda number, on, i=i: (
                f"{number}.pdf",
                "application/pdf",
                f"%PDF-1.7\n% ruling {i} {number}\n%%EOF\n".encode(),
            ),
            subject=world.cadre_a1,
            cadre=world.cadre_a1,
            issued_on=dt.date(2026, 3, 1) + dt.timedelta(days=i % 28),
        )
        documents.append(document)
    return documents


def test_a_large_export_runs_on_the_worker_with_progress_to_100(
    world, worker, no_local_export, settings, client, record_property  # noqa: F811
):
    documents = issue_rulings(world, DOCUMENTS)
    admin = make_user("export_admin", Role.ADMIN)
    settings.REGISTER_EXPORT_INLINE_MAX = 10  # 120 documents: through Celery
    queue = app.conf.task_default_queue
    # The worker stops taking tasks, so that the page first shows the export waiting.
    app.control.cancel_consumer(queue, destination=[worker.name], reply=True)
    job = export_request(admin, {"kind": DocumentKind.TOLERANCE_RULING})
    assert (job.state, job.total) == (ExportState.QUEUED, DOCUMENTS)

    client.force_login(admin)
    progress_url = reverse("register:progress", args=[job.pk])
    waiting = client.get(progress_url).json()
    assert (waiting["state"], waiting["percent"], waiting["done"]) == ("queued", 0, 0)
    assert "archive_url" not in waiting
    seen: list[int] = [0]
    app.control.add_consumer(queue, destination=[worker.name], reply=True)

    def finished():
        payload = client.get(progress_url).json()
        if not seen or seen[-1] != payload["percent"]:
            seen.append(payload["percent"])
        return payload if payload["state"] in (ExportState.DONE, ExportState.FAILED) else None

    payload = wait_for(finished, EXPORT_TIMEOUT, "the export", worker.log)
    record_property("progress_seen", seen)
    print(f"progress seen by the page: {seen}")  # shown with -s or -rP
    assert payload["state"] == ExportState.DONE, ExportJob.objects.get(pk=job.pk).error
    assert (payload["percent"], payload["done"], payload["total"]) == (100, DOCUMENTS, DOCUMENTS)
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 100
    assert payload["archive_url"] == reverse("register:download", args=[job.pk, "zip"])

    job.refresh_from_db()
    assert (job.attempts, job.problems, job.counts) == (
        1,
        [],
        {str(world.county_a_org.pk): DOCUMENTS},
    )
    response = client.get(payload["archive_url"])
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job.archive_sha256
    archive = zipfile.ZipFile(io.BytesIO(content))
    header, *manifest = csv.reader(
        io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))
    )
    assert (header[0], header[4], header[6]) == ("文号", "SHA-256 指纹", "压缩包中的文件")
    assert len(manifest) == DOCUMENTS
    by_number = {d.number: d for d in documents}
    names = set(archive.namelist())
    for number, _kind, _cadre, _date, sha256, _size, member, *_rest in manifest:
        document = by_number.pop(number)
        assert sha256 == document.sha256
        assert member in names
        assert hashlib.sha256(archive.read(member)).hexdigest() == document.sha256
        assert verify_document(document.number, sha256).genuine
    assert by_number == {}  # every document once
    finish = AuditEvent.objects.get(action="register.export.finish", object_id=str(job.pk))
    assert (finish.actor, finish.after["count"]) == (admin, DOCUMENTS)
