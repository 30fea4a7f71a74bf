"""Finished exports are kept for a while, then their files are deleted.

An export's files (the ZIP of PDFs and the Excel register) are copies of documents that
stay in the archive; they are kept for REGISTER_EXPORT_RETENTION_DAYS (default 7) after the
export finished. `exports_expire` (run daily by Celery beat, see register.tasks)
deletes the files of every export older than that and marks it expired, audited once per
authority whose documents it held, as its finish was.

Safe to run twice or at the same time: the files are deleted first (deleting a file that
is gone does nothing), then the job is moved from done to expired by the one transition
function (register.jobs.export_transition, under a row lock); only the run that moved it
writes the audit rows.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from core.errors import StateChanged
from register.models import ExportJob, ExportState

logger = logging.getLogger(__name__)

def retention() -> dt.timedelta:
    """How long a finished export's files are kept."""
    days = settings.REGISTER_EXPORT_RETENTION_DAYS
    return dt.timedelta(days=days)


def expires_at(job: ExportJob) -> dt.datetime | None:
    """When the files of a finished export will be deleted (None while it is not done)."""
    if job.state != ExportState.DONE or job.finished_at is None:
        return None
    return job.finished_at + retention()


def _delete_files(job: ExportJob) -> None:
    storage = ExportJob._meta.get_field("archive").storage
    for name in (job.archive.name, job.workbook.name):
        if name:
            storage.delete(name)


def export_expire(job: ExportJob, *, now: dt.datetime) -> bool:
    """Delete one finished export's files and mark it expired; True if this call did."""
    from .jobs import export_transition

    _delete_files(job)
    try:
        export_transition(
            job.pk,
            "expire",
            expired_at=now,
            summary={
                "finished_at": job.finished_at.isoformat() if job.finished_at else None,
                "archive_sha256": job.archive_sha256,
                "retention_days": retention().days,
            },
        )
    except StateChanged:
        return False
    return True


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Expire every finished export older than the retention; how many this run expired."""
    now = now or timezone.now()
    due = ExportJob.objects.filter(state=ExportState.DONE, finished_at__lt=now - retention())
    expired = 0
    for job in due.order_by("finished_at", "pk").iterator(chunk_size=200):
        if export_expire(job, now=now):
            expired += 1
    if expired:
        logger.info("Expired %d register exports", expired)
    return expired
