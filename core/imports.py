"""Imports run in the background: the request stores the file, a Celery task imports it.

An app registers each kind of import it offers (`register_import_kind`, from its
AppConfig.ready), as apps register document reading rules in core.document_access: who may
import (`may_import`, also who may still see the job), what the upload must be (`check`,
raising UploadRejected) and the runner (`run`), which keeps the importer's all-or-nothing
semantics and returns an ImportOutcome: counts, the row errors, the details of what changed.
Core names no domain app.

- `import_request` (the view): checks the upload (size, then the kind's check), stores it
  under private storage (never served), records the job (audited) and enqueues
  `core.tasks.run_import` through the outbox; nothing is imported in the request.
- `import_run` (the task): claims the job, so a redelivered task or a second worker never
  runs it twice; a run that died (no progress for ImportJob.STALE_AFTER) is taken over, at
  most ImportJob.MAX_ATTEMPTS runs in all. It runs the importer, writing the progress
  every few rows, then finishes: the summary and the row errors' workbook (core.sheets).
- `import_transition` is the one function that changes a job's state: it locks the job,
  checks the declared transition (core.models.ImportJob), writes, audits.
- `get_import_job_for_user`: a job is its requester's alone, while they may still import
  its kind; 404 for anyone else. `imports_expire` (Celery beat, daily) deletes the error
  workbooks of jobs older than IMPORT_JOB_RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from . import audit
from .errors import ActionRefused, StateChanged
from .models import ImportJob, ImportState, User
from .outbox import enqueue
from .sheets.report import error_headers, error_workbook
from .uploads import read_upload

logger = logging.getLogger(__name__)

MAX_ACTIVE_PER_USER = 3  # queued or running imports one person may have at a time
ROWS_ON_PAGE = 200  # error and detail rows kept for the page; the workbook has all
PROGRESS_STEPS = 50  # progress is written at most about this many times per run ...
PROGRESS_SECONDS = 2.0  # ... or when this long has passed since the last write
RUN_TASK = "core.tasks.run_import"


@dataclass(frozen=True)
class ImportRun:
    """What a runner gets: the stored file, who asked, the options of the form."""

    job: ImportJob
    data: bytes
    actor: User
    filename: str
    options: dict
    progress: Callable[[int, int], None]  # (done, total): rows or files checked


@dataclass
class ImportOutcome:
    """What came of a run: counts by code, the row errors (cells in the kind's
    error_headers order; any error means nothing was written), the details of what changed.
    A detail cell may be {"text": ..., "url": ...} for a link."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[list] = field(default_factory=list)
    details: list[list] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportKind:
    label: Any  # lazy translation
    may_import: Callable[[User], bool]
    check: Callable[[bytes, dict], None]  # raises UploadRejected
    run: Callable[[ImportRun], ImportOutcome]
    back_url: str  # URL name of the page the import is started from
    counts: tuple[tuple[str, Any], ...] = ()  # (code, lazy label) shown when finished
    error_headers: Callable[[], list[str]] = error_headers
    error_widths: tuple[int, ...] = (8, 14, 24, 80)
    detail_title: Any = ""
    detail_headers: Callable[[], list[str]] = list
    report_name: Any = gettext_lazy("import-errors.xlsx")
    # True for an import that is not safe to run twice (rows appended, not matched): its
    # writes and the job's "finish" commit in one transaction, so a run that dies after
    # writing leaves nothing written and a takeover cannot write a second time. Its
    # progress then shows when the run ends; an import matched by key (the roster, .lrmx,
    # by ID number) keeps its live progress and may harmlessly be run again.
    finish_with_writes: bool = False


KINDS: dict[str, ImportKind] = {}


def register_import_kind(name: str, kind: ImportKind) -> None:
    """Offer an import (call in AppConfig.ready); registering it again is harmless."""
    current = KINDS.get(name)
    if current is not None and current != kind:
        raise ValueError(f"The import {name!r} is already registered")
    KINDS[name] = kind


class ImportRefused(ActionRefused):
    """The import cannot be queued or run as asked."""


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_import(user, name: str) -> bool:
    kind = KINDS.get(name)
    return kind is not None and _active(user) and kind.may_import(user)


def get_import_job_for_user(user, pk: int) -> ImportJob:
    """The job if `user` asked for it and may still import its kind; else 404."""
    if not _active(user):
        raise Http404("No such import")
    job = ImportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404("No such import")
    if not may_import(user, job.kind):
        raise Http404("No such import")
    return job


RECENT = 5  # jobs an import page lists for its user


def recent_import_jobs(user, name: str) -> list[ImportJob]:
    """The user's latest jobs of this kind (for the import page: a way back to them)."""
    if not _active(user):
        return []
    jobs = ImportJob.objects.filter(requested_by=user, kind=name)
    return list(jobs.order_by("-requested_at", "-id")[:RECENT])


# --- request -------------------------------------------------------------------------------


def _storage():
    return ImportJob._meta.get_field("upload").storage


def _stored_name(folder: str, suffix: str) -> str:
    return f"imports/{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(12)}{suffix}"


def import_request(user: User, name: str, upload, *, options: dict | None = None) -> ImportJob:
    """Check the upload, store it, record the job (audited) and queue its run after the
    commit. Raises UploadRejected (for the file field), ImportRefused, PermissionDenied."""
    if not may_import(user, name):
        raise PermissionDenied("This user may not import this kind")
    options = options or {}
    data = read_upload(upload)
    KINDS[name].check(data, options)
    active = ImportJob.objects.filter(requested_by=user, state__in=ImportState.active()).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise ImportRefused(
            _("You have %(n)d imports still running; wait until one has finished.")
            % {"n": active}
        )
    filename = PurePath((upload.name or "").replace("\\", "/")).name[:200]
    suffix = PurePath(filename).suffix.lower()[:8]
    stored = _storage().save(_stored_name("uploads", suffix), ContentFile(data))
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                requested_by=user, kind=name, options=options, filename=filename,
                language=translation.get_language() or "", upload=stored,
                upload_size=len(data),
            )
            audit.record(
                "core.import.request",
                actor=user,
                obj=job,
                after={"kind": name, "filename": filename, "bytes": len(data), **options},
            )
            enqueue(RUN_TASK, job_id=job.pk)
    except BaseException:
        _storage().delete(stored)
        raise
    return job


# --- the one transition function -----------------------------------------------------------

ACTIONS = ("start", "requeue", "finish", "fail", "expire")
AUDITED = ("finish", "fail", "expire")  # a run's start and requeue are the machine's own


def _writes(action: str, job: ImportJob, now: dt.datetime) -> dict[str, Any]:
    """What every transition writes besides the state (its caller may add more)."""
    if action == "start":
        return {
            "started_at": now, "heartbeat_at": now, "attempts": job.attempts + 1,
            "done": 0, "error": "",
        }
    if action in ("finish", "fail"):
        return {"finished_at": now}
    if action == "expire":
        return {"expired_at": now, "report": "", "upload": ""}
    return {}


def _audit_after(action: str, job: ImportJob) -> dict[str, Any]:
    after: dict[str, Any] = {"state": job.state, "kind": job.kind, "filename": job.filename}
    if action == "finish":
        after.update(job.summary.get("counts", {}), errors=job.summary.get("error_count", 0))
    elif action == "fail":
        after["error"] = job.error.partition(":")[0]
    return after


def import_transition(
    job_id: int, action: str, *, actor: User | None = None, **values
) -> ImportJob:
    """THE one function that changes an import job's state: lock, check the declared
    transition (and its conditions), write, audit. Raises StateChanged when the job is no
    longer in a state that allows `action` (another run took it, it already finished)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown import action {action!r}")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job_id)
        method = getattr(locked, action)
        if not can_proceed(method):
            raise StateChanged(state=ImportState(locked.state).label)
        before = {"state": locked.state}
        writes = {**_writes(action, locked, timezone.now()), **values}
        method()
        for name, value in writes.items():
            setattr(locked, name, value)
        locked.save()
        if action in AUDITED:
            audit.record(
                "core.import.finish" if action == "finish"
                else "core.import.fail" if action == "fail"
                else "core.import.expire",
                actor=actor,
                obj=locked,
                before=before,
                after=_audit_after(action, locked),
            )
    return locked


# --- running -------------------------------------------------------------------------------


class _Progress:
    """Writes (done, total) and the heartbeat now and then, outside any transaction."""

    def __init__(self, pk: int):
        self.pk = pk
        self.last_done = -1
        self.last_total = -1
        self.last_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        step = max(1, total // PROGRESS_STEPS)
        if (
            total == self.last_total
            and done != total
            and done - self.last_done < step
            and now - self.last_at < PROGRESS_SECONDS
        ):
            return
        self.last_done, self.last_total, self.last_at = done, total, now
        ImportJob.objects.filter(pk=self.pk, state=ImportState.RUNNING).update(
            done=min(done, total), total=total, heartbeat_at=timezone.now()
        )


def _delete(*names: str) -> None:
    for name in names:
        if name:
            _storage().delete(name)


def _summary(outcome: ImportOutcome) -> dict[str, Any]:
    return {
        "counts": outcome.counts,
        "errors": outcome.errors[:ROWS_ON_PAGE],
        "error_count": len(outcome.errors),
        "details": outcome.details[:ROWS_ON_PAGE],
        "detail_count": len(outcome.details),
    }


def _store_report(job: ImportJob, kind: ImportKind, outcome: ImportOutcome) -> str:
    if outcome.ok:
        return ""
    content = error_workbook(
        kind.error_headers(), outcome.errors, filename=job.filename, widths=kind.error_widths
    )
    return _storage().save(_stored_name("reports", ".xlsx"), ContentFile(content))


def _execute(job: ImportJob, kind: ImportKind | None) -> tuple[dict, str]:
    if kind is None:
        raise ImportRefused(f"no import is registered as {job.kind!r}")
    if not kind.may_import(job.requested_by):
        raise ImportRefused("the requester may no longer import this kind")
    with job.upload.open("rb") as handle:
        data = handle.read()
    with translation.override(job.language or settings.LANGUAGE_CODE):
        outcome = kind.run(
            ImportRun(
                job=job, data=data, actor=job.requested_by, filename=job.filename,
                options=job.options, progress=_Progress(job.pk),
            )
        )
        return _summary(outcome), _store_report(job, kind, outcome)


def import_run(job_id: int, *, retry: bool = False) -> ImportJob | None:
    """Run the job once. With `retry`, a passing failure (OSError) puts the job back in the
    queue and is raised again for Celery to retry later; otherwise the job fails."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Import %s is gone; nothing to do", job_id)
        return None
    try:
        job = import_transition(job.pk, "start")
    except StateChanged:
        logger.info("Import %s is %s; not running it again", job.pk, job.state)
        return ImportJob.objects.get(pk=job.pk)
    job = ImportJob.objects.select_related("requested_by").get(pk=job.pk)
    upload = job.upload.name
    kind = KINDS.get(job.kind)
    if kind is not None and kind.finish_with_writes:
        return _run_and_finish_at_once(job, kind, upload, retry=retry)
    try:
        summary, report = _execute(job, kind)
    except Exception as exc:
        return _failed(job, upload, exc, retry=retry)
    try:
        job = import_transition(job.pk, "finish", summary=summary, report=report, upload="")
    except StateChanged:
        _delete(report)  # another run took the job over: its report counts, not ours
        return ImportJob.objects.get(pk=job.pk)
    _delete(upload)
    return job


def _failed(job: ImportJob, upload: str, exc: Exception, *, retry: bool) -> ImportJob:
    will_retry = retry and isinstance(exc, OSError) and job.attempts < job.MAX_ATTEMPTS
    error = f"{exc.__class__.__name__}: {exc}"[:500]
    try:
        if will_retry:
            import_transition(job.pk, "requeue", error=error)
        else:
            import_transition(job.pk, "fail", error=error, upload="")
            _delete(upload)
    except StateChanged:
        pass  # another run took the job over
    if will_retry:
        raise exc
    logger.exception("Import %s failed", job.pk)
    return ImportJob.objects.get(pk=job.pk)


class _TakenOver(Exception):
    """Another run finished the job first: roll back what this run wrote."""


def _run_and_finish_at_once(
    job: ImportJob, kind: ImportKind, upload: str, *, retry: bool
) -> ImportJob:
    """The run for a kind with finish_with_writes: the importer's writes and "finish" in one
    transaction (a takeover that finished first rolls this run's writes back)."""
    report = ""
    try:
        with transaction.atomic():
            summary, report = _execute(job, kind)
            try:
                finished = import_transition(
                    job.pk, "finish", summary=summary, report=report, upload=""
                )
            except StateChanged as exc:
                raise _TakenOver from exc
    except _TakenOver:
        _delete(report)  # another run took the job over: its writes and report count
        return ImportJob.objects.get(pk=job.pk)
    except Exception as exc:
        _delete(report)
        return _failed(job, upload, exc, retry=retry)
    _delete(upload)
    return finished


def seconds_until_stale(job: ImportJob) -> int:
    """How long until another run may take over the job (if its run stops making progress)."""
    last = job.heartbeat_at or timezone.now()
    return max(60, int((last + job.STALE_AFTER - timezone.now()).total_seconds()) + 30)


# --- retention -----------------------------------------------------------------------------


def retention() -> dt.timedelta:
    return dt.timedelta(days=settings.IMPORT_JOB_RETENTION_DAYS)


def imports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of finished imports older than the retention and mark them expired
    (audited); safe to run twice. How many this run expired."""
    now = now or timezone.now()
    due = ImportJob.objects.filter(
        state__in=(ImportState.DONE, ImportState.FAILED), finished_at__lt=now - retention()
    )
    expired = 0
    for job in due.order_by("finished_at", "pk").iterator(chunk_size=200):
        _delete(job.report.name, job.upload.name)  # a file already gone: nothing happens
        try:
            import_transition(job.pk, "expire", expired_at=now)
        except StateChanged:
            continue
        expired += 1
    if expired:
        logger.info("Expired %d imports", expired)
    return expired
