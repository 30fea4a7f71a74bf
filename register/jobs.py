"""Export jobs: requested (audited), run exactly once (inline when small, else in Celery),
finished (audited per authority, with how many of its documents went out).

Both paths run `export_run`: a small export runs in the request right after it is
recorded, a large one in the `export_register` task sent through the outbox after the
commit. A run first claims the job (the declared `start` transition, under a row lock), so
a redelivered task, a double click or two workers never export twice; a run that died (no
progress for STALE_AFTER) may be claimed again, at most MAX_ATTEMPTS times in all.

`export_transition` is the one function that changes an export's state (register.retention
expires exports through it too): it locks the job, checks the transition declared on
ExportJob (with its conditions), writes, and audits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from core import audit
from core.errors import ActionRefused, StateChanged
from core.models import IssuedDocument, User
from register.models import ExportJob, ExportKind, ExportState
from tolerance.queries import situation_catalogue

from .access import can_use_register
from .export import ARCHIVE_NAME, WORKBOOK_NAME, ExportResult, RegisterExport
from .filters import RegisterFilter
from .queries import export_order, register_rows, sort_of

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500  # documents per fetch from the database
MAX_ATTEMPTS = ExportJob.MAX_ATTEMPTS
STALE_AFTER = ExportJob.STALE_AFTER
PROGRESS_STEPS = 100  # progress is written at most about this many times per export ...
PROGRESS_MIN_EVERY = 50  # ... and not more often than every this many documents
EXPORT_TASK = "register.tasks.export_register"  # by name: the task module imports this one
MAX_ACTIVE_PER_USER = 3  # queued or running exports one person may have at a time


def inline_max() -> int:
    """Exports of at most this many documents run in the request; larger ones in Celery."""
    return settings.REGISTER_EXPORT_INLINE_MAX


class ExportRefused(ActionRefused):
    """The job can no longer run as asked (the requester lost access, the filter broke)."""


def _export_authority(job: ExportJob) -> int | None:
    if job.kind == ExportKind.CASE_FILE:
        return job.case.authority_id
    return _authority_of(job.filters)


def _authority_of(filters: dict[str, str]) -> int | None:
    value = filters.get("authority", "")
    return int(value) if value.isdigit() else None


def export_request(user: User, data) -> ExportJob:
    """Record an export of what `data` (the register filter) selects, audited; run it now
    when small, else send it to Celery after the commit. Returns the job."""
    from core.outbox import enqueue

    if not can_use_register(user):
        raise PermissionDenied("This user may not export from the register")
    filterset = RegisterFilter(data, user=user)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    filters = filterset.as_data()
    if data.get("sort"):  # asked from a sorted page: the workbook in the page's order
        filters["sort"] = sort_of(data)
    active = ExportJob.objects.filter(
        requested_by=user, state__in=(ExportState.QUEUED, ExportState.RUNNING)
    ).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise ExportRefused(
            _("You have %(n)d exports still running; wait until one has finished.")
            % {"n": active}
        )
    with transaction.atomic():
        upto = IssuedDocument.objects.aggregate(top=Max("id"))["top"] or 0
        total = filterset.qs.filter(id__lte=upto).count()
        job = ExportJob.objects.create(
            requested_by=user, filters=filters, upto_id=upto, total=total
        )
        audit.record(
            "register.export.request",
            actor=user,
            obj=job,
            after={"filters": filters, "count": total},
            authority_id=_authority_of(filters),
        )
        inline = total <= inline_max()
        if not inline:
            enqueue(EXPORT_TASK, job_id=job.pk)
    if inline:
        export_run(job.pk)
        job.refresh_from_db()
    return job


def casefile_request(user: User, case) -> ExportJob:
    """Record the export of a case's file (卷宗), audited, and send it to Celery after the
    commit (register.tasks.export_register, the same task and run as the register's)."""
    from core.outbox import enqueue
    from tolerance.case_file import case_file_size, may_export

    if not may_export(user, case):
        raise PermissionDenied("Only the handling staff export a case file")
    active = ExportJob.objects.filter(
        requested_by=user, state__in=(ExportState.QUEUED, ExportState.RUNNING)
    ).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise ExportRefused(
            _("You have %(n)d exports still running; wait until one has finished.")
            % {"n": active}
        )
    with transaction.atomic():
        upto = IssuedDocument.objects.aggregate(top=Max("id"))["top"] or 0
        job = ExportJob.objects.create(
            requested_by=user, kind=ExportKind.CASE_FILE, case=case, upto_id=upto,
            total=case_file_size(case),
        )
        audit.record(
            "register.casefile.request",
            actor=user,
            obj=job,
            after={"case": case.pk, "reference": case.reference, "count": job.total},
            authority_id=case.authority_id,
        )
        enqueue(EXPORT_TASK, job_id=job.pk)
    return job


# --- the one transition function -----------------------------------------------------------

ACTIONS = ("start", "requeue", "finish", "fail", "expire")


def _writes(action: str, job: ExportJob, now: dt.datetime) -> dict:
    """What each transition writes besides the state (its caller may add more)."""
    if action == "start":
        return {
            "started_at": now, "heartbeat_at": now, "attempts": job.attempts + 1,
            "done": 0, "error": "",
        }
    if action in ("finish", "fail"):
        return {"finished_at": now}
    if action == "requeue":
        return {"finished_at": None}
    if action == "expire":
        return {"expired_at": now, "archive": "", "workbook": ""}
    return {}


def _per_authority(job: ExportJob) -> list[tuple[int | None, int]]:
    """(authority, documents) of each authority whose documents went out: one audit row
    each, so that its auditors see the export."""
    counts = sorted((int(pk), n) for pk, n in job.counts.items())
    return counts or [(_export_authority(job), 0)]


def _audit(action: str, job: ExportJob, before: dict, summary: dict) -> None:
    if action == "finish":
        summary = {
            **({"case": job.case_id} if job.kind == ExportKind.CASE_FILE else {}),
            "filters": job.filters,
            "total": job.done,
            **summary,
            "archive_sha256": job.archive_sha256,
        }
        per_authority = _per_authority(job)
        audit.record_many(
            "register.export.finish",
            actor=job.requested_by,
            entries=[(job, None, {**summary, "count": count}) for _pk, count in per_authority],
            authority_ids=[pk for pk, _count in per_authority],
        )
    elif action == "fail":
        audit.record(
            "register.export.fail",
            actor=job.requested_by,
            obj=job,
            after={"filters": job.filters, "error": job.error.partition(":")[0]},
            authority_id=_export_authority(job),
        )
    elif action == "expire":
        per_authority = sorted((int(pk), n) for pk, n in job.counts.items()) or [(None, 0)]
        after = {"filters": job.filters, **summary, "state": "expired"}
        audit.record_many(
            "register.export.expire",
            actor=None,
            entries=[(job, before, {**after, "count": n}) for _pk, n in per_authority],
            authority_ids=[pk for pk, _n in per_authority],
        )


def export_transition(job_id: int, action: str, *, summary: dict | None = None, **values):
    """THE one function that changes an export's state: lock, check the declared transition
    (and its conditions), write `values`, audit (finish, fail and expire; `summary` adds to
    the audit row). Raises StateChanged when the job's state no longer allows `action`: a
    second run, a redelivered task, an export already expired."""
    if action not in ACTIONS:
        raise ValueError(f"unknown export action {action!r}")
    with transaction.atomic():
        locked = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("requested_by", "case")
            .get(pk=job_id)
        )
        method = getattr(locked, action)
        if not can_proceed(method):
            raise StateChanged(state=ExportState(locked.state).label)
        before = {"state": locked.state}
        writes = {**_writes(action, locked, timezone.now()), **values}
        method()
        for name, value in writes.items():
            setattr(locked, name, value)
        locked.save()
        _audit(action, locked, before, summary or {})
    return locked


# --- running -------------------------------------------------------------------------------


def seconds_until_stale(job: ExportJob) -> int:
    """How long until another run may take over the job (if its run stops making progress)."""
    last = job.heartbeat_at or timezone.now()
    return max(60, int((last + STALE_AFTER - timezone.now()).total_seconds()) + 30)


def _progress(pk: int, done: int) -> None:
    """Progress and the heartbeat of the running export (no change of state)."""
    ExportJob.objects.filter(pk=pk, state=ExportState.RUNNING).update(
        done=done, heartbeat_at=timezone.now()
    )


def _documents(job: ExportJob):
    requester = job.requested_by
    if not can_use_register(requester):
        raise ExportRefused("the requester may no longer use the register")
    filterset = RegisterFilter(job.filters, user=requester)
    if not filterset.is_valid():
        raise ExportRefused(f"the filter no longer applies: {filterset.errors.as_json()}")
    documents = register_rows(filterset.qs.filter(id__lte=job.upto_id))
    return documents.order_by(*export_order(job.filters))


def _write(job: ExportJob, directory: Path) -> ExportResult:
    from tolerance.enums import Outcome

    if job.kind == ExportKind.CASE_FILE:
        return _write_case_file(job, directory)

    writer = RegisterExport(
        directory,
        situations=situation_catalogue(),
        outcomes={value: str(label) for value, label in Outcome.choices},
    )
    step = max(PROGRESS_MIN_EVERY, job.total // PROGRESS_STEPS)
    try:
        for document in _documents(job).iterator(chunk_size=CHUNK_SIZE):
            writer.add(document)
            if writer.result.count % step == 0:
                _progress(job.pk, writer.result.count)
        return writer.close()
    except BaseException:
        writer.abandon()
        raise


def _write_case_file(job: ExportJob, directory: Path) -> ExportResult:
    from tolerance.case_file import may_export

    from .casefile import write_case_file

    if not may_export(job.requested_by, job.case):
        raise ExportRefused("the requester no longer handles this case")
    step = max(1, job.total // PROGRESS_STEPS)

    def progress(done: int) -> None:
        if done % step == 0:
            _progress(job.pk, done)

    return write_case_file(job.case, directory, progress)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _store(job: ExportJob, directory: Path) -> dict:
    """Save both files to the export's storage (copied in chunks); their field values."""
    storage = ExportJob._meta.get_field("archive").storage
    stem = f"exports/{job.requested_at:%Y/%m}/{job.pk}-{secrets.token_hex(8)}"
    archive = directory / ARCHIVE_NAME
    values = {"archive_size": archive.stat().st_size, "archive_sha256": _sha256_of(archive)}
    for field_name, path, suffix in (
        ("archive", archive, ".zip"),
        ("workbook", directory / WORKBOOK_NAME, ".xlsx"),
    ):
        if not path.exists():  # a case file has no workbook
            continue
        with path.open("rb") as handle:
            values[field_name] = storage.save(stem + suffix, File(handle))
    return values


def _finish(job: ExportJob, result: ExportResult, stored: dict) -> bool:
    """Done, with its files and counts; False when another run holds the job now."""
    try:
        export_transition(
            job.pk,
            "finish",
            summary={"problems": result.problem_count},
            done=result.count,
            counts={str(k): v for k, v in result.counts.items()},
            problems=result.problems,
            **stored,
        )
    except StateChanged:
        return False
    return True


def _discard(stored: dict) -> None:
    storage = ExportJob._meta.get_field("archive").storage
    for name in (stored.get("archive"), stored.get("workbook")):
        if name:
            storage.delete(name)


def _failed(job: ExportJob, exc: BaseException, *, will_retry: bool) -> None:
    """Back to the queue for Celery's retry, or failed (audited)."""
    try:
        export_transition(
            job.pk, "requeue" if will_retry else "fail",
            error=f"{exc.__class__.__name__}: {exc}"[:500],
        )
    except StateChanged:
        pass  # another run holds the job now


def export_run(job_id: int, *, retry: bool = False) -> ExportJob | None:
    """Run the job once. With `retry`, a passing failure (OSError) puts the job back in the
    queue and is raised again for Celery to retry later; otherwise the job fails."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Export %s is gone; nothing to do", job_id)
        return None
    try:
        export_transition(job.pk, "start")
    except StateChanged:
        logger.info("Export %s is %s; not running it again", job.pk, job.state)
        return ExportJob.objects.get(pk=job.pk)
    job = ExportJob.objects.select_related("requested_by", "case__authority").get(pk=job.pk)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="register-export-") as tmp,
            translation.override(settings.LANGUAGE_CODE),
        ):
            result = _write(job, Path(tmp))
            stored = _store(job, Path(tmp))
        if not _finish(job, result, stored):
            _discard(stored)  # another run took the job over: its files count, not ours
    except Exception as exc:
        will_retry = retry and isinstance(exc, OSError) and job.attempts < MAX_ATTEMPTS
        _failed(job, exc, will_retry=will_retry)
        if will_retry:
            raise
        logger.exception("Export %s failed", job.pk)
    return ExportJob.objects.get(pk=job.pk)
