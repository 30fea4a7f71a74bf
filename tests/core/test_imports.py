"""core.imports: the import job's declared transitions, its one transition function, the
request (checked, stored, audited, queued), the run (claimed once, progress, finished or
failed), access and retention — with a test kind registered as an app would."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import TestCase
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from openpyxl import load_workbook

from core import imports
from core.enums import Role
from core.errors import StateChanged
from core.imports import (
    ImportKind,
    ImportOutcome,
    ImportRefused,
    get_import_job_for_user,
    import_request,
    import_run,
    import_transition,
    imports_expire,
)
from core.models import AuditEvent, ImportJob, ImportState, OutboxTask
from core.uploads import UploadRejected
from tests.core.import_support import *  # noqa: F403 - the fixtures
from tests.core.import_support import KIND, queued, stored, upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db

def _check(data: bytes, options: dict) -> None:  # for a kind registered twice
    return None


# --- the declared transitions ---------------------------------------------------------------


def test_the_declared_transitions_go_queued_running_done_expired(kind, clerk):
    job = queued(clerk)
    assert job.state == ImportState.QUEUED
    job.start()
    assert job.state == ImportState.RUNNING
    with pytest.raises(TransitionNotAllowed):
        job.expire()  # only a finished job expires
    job.finish()
    assert job.state == ImportState.DONE
    with pytest.raises(TransitionNotAllowed):
        job.start()
    job.expire()
    assert job.state == ImportState.EXPIRED


def test_a_running_job_is_claimable_only_once_stale_and_with_attempts_left(kind, clerk):
    job = queued(clerk)
    assert job.claimable() is True
    job.start()
    job.attempts, job.heartbeat_at = 1, timezone.now()
    assert job.claimable() is False
    job.heartbeat_at = timezone.now() - ImportJob.STALE_AFTER - dt.timedelta(seconds=1)
    assert job.claimable() is True
    job.attempts = ImportJob.MAX_ATTEMPTS
    assert job.claimable() is False


def test_the_state_cannot_be_assigned_by_hand(kind, clerk):
    job = queued(clerk)
    with pytest.raises(AttributeError):
        setattr(job, "state", ImportState.DONE)  # noqa: B010 - as a careless caller would


# --- the one transition function ------------------------------------------------------------


def test_start_locks_counts_the_attempt_and_a_second_start_is_refused(kind, clerk):
    job = queued(clerk)
    started = import_transition(job.pk, "start")
    assert (started.state, started.attempts, started.done) == (ImportState.RUNNING, 1, 0)
    assert started.started_at == started.heartbeat_at
    with pytest.raises(StateChanged):
        import_transition(job.pk, "start")
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_finish_writes_and_audits_fail_records_the_error(kind, clerk):
    job = queued(clerk)
    import_transition(job.pk, "start")
    done = import_transition(job.pk, "finish", summary={"counts": {"written": 2}})
    assert (done.state, done.summary) == (ImportState.DONE, {"counts": {"written": 2}})
    event = AuditEvent.objects.get(action="core.import.finish")
    assert (event.actor, event.before, event.after) == (
        None,
        {"state": "running"},
        {"state": "done", "kind": KIND, "filename": "rows.txt", "written": 2, "errors": 0},
    )
    other = queued(clerk)
    failed = import_transition(other.pk, "fail", error="RuntimeError: x")
    assert (failed.state, failed.error) == (ImportState.FAILED, "RuntimeError: x")
    assert AuditEvent.objects.get(action="core.import.fail").after["error"] == "RuntimeError"


def test_an_unknown_action_is_a_programming_error(kind, clerk):
    with pytest.raises(ValueError, match="unknown import action"):
        import_transition(queued(clerk).pk, "approve")


# --- the request ----------------------------------------------------------------------------


def test_the_request_stores_the_file_audits_and_queues_the_task(kind, clerk):
    job = queued(clerk, sheet="x")
    assert (job.kind, job.filename, job.options, job.upload_size) == (
        KIND, "rows.txt", {"sheet": "x"}, 10
    )
    assert job.upload.name.startswith("imports/uploads/") and stored(job.upload.name)
    event = AuditEvent.objects.get(action="core.import.request")
    assert (event.actor, event.object_id, event.after) == (
        clerk, str(job.pk), {"kind": KIND, "filename": "rows.txt", "bytes": 10, "sheet": "x"}
    )
    task = OutboxTask.objects.get()
    assert (task.task, task.kwargs) == ("core.tasks.run_import", {"job_id": job.pk})


def test_a_refused_upload_records_nothing(kind, clerk):
    with pytest.raises(UploadRejected, match="不是行文件"):
        import_request(clerk, KIND, upload(b"CSV\n1\n"))
    with pytest.raises(UploadRejected):
        import_request(clerk, KIND, upload(b""))
    assert not ImportJob.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_person_without_the_right_cannot_queue(kind):
    with pytest.raises(PermissionDenied):
        import_request(make_user("auditor", Role.AUDITOR), KIND, upload(b"LINES\n"))
    with pytest.raises(PermissionDenied):
        import_request(make_user("admin", Role.ADMIN), "tests.nothing", upload(b"LINES\n"))


def test_one_person_has_at_most_three_imports_waiting(kind, clerk):
    for _n in range(imports.MAX_ACTIVE_PER_USER):
        queued(clerk)
    with pytest.raises(ImportRefused) as refused:
        queued(clerk)
    assert str(refused.value) == "您有 3 个导入仍在进行，请等其中一个完成后再提交。"
    assert ImportJob.objects.count() == 3


def test_registering_another_kind_under_a_taken_name_is_refused(kind):
    imports.register_import_kind(KIND, kind)  # the same again: harmless
    with pytest.raises(ValueError, match="already registered"):
        imports.register_import_kind(KIND, ImportKind("x", bool, _check, _check, "home"))


# --- the run --------------------------------------------------------------------------------


def test_a_run_imports_writes_progress_and_finishes_once(kind, clerk):
    job = queued(clerk, b"LINES\na\nb\nc\n")
    upload_name = job.upload.name
    done = import_run(job.pk)
    assert (done.state, done.attempts, done.done, done.total) == (ImportState.DONE, 1, 3, 3)
    assert done.summary == {
        "counts": {"written": 3},
        "errors": [],
        "error_count": 0,
        "details": [["a"], ["b"], ["c"]],
        "detail_count": 3,
    }
    assert (done.upload.name, done.report.name) == ("", "")
    assert not stored(upload_name)  # the upload is not kept once imported
    # Delivered again: nothing runs twice.
    assert import_run(job.pk).attempts == 1
    assert AuditEvent.objects.filter(action="core.import.finish").count() == 1
    assert import_run(job.pk + 1000) is None


def test_row_errors_finish_the_job_with_a_formula_safe_error_workbook(kind, clerk):
    job = import_run(queued(clerk, b"LINES\na\nbad\n=1+1\nbad\n").pk)
    assert job.state == ImportState.DONE
    assert (job.summary["counts"], job.summary["error_count"]) == ({}, 2)
    assert job.summary["errors"] == [[3, "行", "bad", "坏行"], [5, "行", "bad", "坏行"]]
    with job.report.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert list(sheet.values) == [
        ("文件：rows.txt", None, None, None),
        ("行号", "列", "内容", "问题"),
        (3, "行", "bad", "坏行"),
        (5, "行", "bad", "坏行"),
    ]


def test_the_page_keeps_the_first_rows_and_the_workbook_all(kind, clerk, monkeypatch):
    monkeypatch.setattr(imports, "ROWS_ON_PAGE", 2)
    job = import_run(queued(clerk, b"LINES\n" + b"bad\n" * 5).pk)
    assert (len(job.summary["errors"]), job.summary["error_count"]) == (2, 5)
    with job.report.open("rb") as handle:
        assert load_workbook(io.BytesIO(handle.read())).active.max_row == 7


def test_a_broken_importer_fails_the_job_and_keeps_nothing(kind, clerk):
    job = queued(clerk, b"LINES\na\nboom\n")
    upload_name = job.upload.name
    failed = import_run(job.pk)
    assert (failed.state, failed.error) == (ImportState.FAILED, "RuntimeError: importer broke")
    assert not stored(upload_name)
    assert import_run(job.pk).state == ImportState.FAILED  # never claimed again


def test_a_passing_failure_goes_back_to_the_queue_then_fails_after_the_attempts(kind, clerk):
    job = queued(clerk, b"LINES\ndisk\n")
    with pytest.raises(OSError):
        import_run(job.pk, retry=True)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (ImportState.QUEUED, 1, "OSError: disk full")
    assert stored(job.upload.name)  # kept for the next attempt
    for _attempt in range(ImportJob.MAX_ATTEMPTS - 2):
        with pytest.raises(OSError):
            import_run(job.pk, retry=True)
    last = import_run(job.pk, retry=True)
    assert (last.state, last.attempts) == (ImportState.FAILED, ImportJob.MAX_ATTEMPTS)


def test_a_dead_run_is_taken_over_but_a_live_one_is_not(kind, clerk):
    job = queued(clerk)
    import_transition(job.pk, "start")
    assert import_run(job.pk).state == ImportState.RUNNING  # someone is on it
    stale = timezone.now() - ImportJob.STALE_AFTER * 2
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    job = import_run(job.pk)
    assert (job.state, job.attempts) == (ImportState.DONE, 2)


def test_a_requester_who_lost_the_right_gets_a_failed_job(kind, clerk):
    job = queued(clerk)
    clerk.groups.clear()
    clerk.__dict__.pop("roles", None)
    failed = import_run(job.pk)
    assert failed.state == ImportState.FAILED
    assert failed.error.startswith("ImportRefused:")


def test_the_task_runs_the_job_after_the_commit(kind, clerk):
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = queued(clerk)
    job.refresh_from_db()
    assert (job.state, job.summary["counts"]) == (ImportState.DONE, {"written": 2})
    assert OutboxTask.objects.get().sent_at is not None


def test_progress_is_written_now_and_then_not_for_every_row(kind, clerk, django_assert_num_queries):
    job = queued(clerk)
    import_transition(job.pk, "start")
    progress = imports._Progress(job.pk)
    with django_assert_num_queries(2):  # the first call, then the last row
        for done in range(1000):
            progress(done, 100_000)
        progress(100_000, 100_000)
    job.refresh_from_db()
    assert (job.done, job.total) == (100_000, 100_000)


# --- access and retention ------------------------------------------------------------------


def test_a_job_is_its_requester_s_alone(kind, clerk):
    job = queued(clerk)
    assert get_import_job_for_user(clerk, job.pk) == job
    colleague = make_user("colleague", Role.INTAKE_CLERK)
    for user in (colleague, make_user("outsider")):
        with pytest.raises(Http404):
            get_import_job_for_user(user, job.pk)
    with pytest.raises(Http404):
        get_import_job_for_user(clerk, job.pk + 1000)
    clerk.groups.clear()
    clerk.__dict__.pop("roles", None)
    with pytest.raises(Http404):  # no longer may import this kind
        get_import_job_for_user(clerk, job.pk)


def test_old_jobs_lose_their_files_once_and_are_audited(kind, clerk, settings):
    settings.IMPORT_JOB_RETENTION_DAYS = 7
    done = import_run(queued(clerk, b"LINES\nbad\n").pk)
    fresh = import_run(queued(clerk).pk)
    waiting = queued(clerk)
    report = done.report.name
    assert stored(report)
    later = timezone.now() + dt.timedelta(days=7, minutes=1)
    ImportJob.objects.filter(pk=fresh.pk).update(finished_at=later - dt.timedelta(days=1))
    assert imports_expire(now=later) == 1
    assert imports_expire(now=later) == 0
    done.refresh_from_db()
    assert (done.state, done.report.name, done.expired_at) == (ImportState.EXPIRED, "", later)
    assert not stored(report)
    states = dict(ImportJob.objects.values_list("pk", "state"))
    assert (states[fresh.pk], states[waiting.pk]) == (ImportState.DONE, ImportState.QUEUED)
    assert AuditEvent.objects.filter(action="core.import.expire").count() == 1


def test_the_beat_schedule_expires_imports_daily_through_the_task(kind, clerk, settings):
    from core.tasks import expire_imports

    entry = settings.CELERY_BEAT_SCHEDULE["core-expire-imports"]
    assert entry["task"] == expire_imports.name == "core.tasks.expire_imports"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {25})
    import_run(queued(clerk).pk)
    ImportJob.objects.update(finished_at=timezone.now() - dt.timedelta(days=8))
    assert expire_imports.apply().get() == 1


# --- a kind that is not safe to run twice: its writes commit with the job's end ------------


def _appending_run(run) -> ImportOutcome:
    """Appends one group per line (a second run would append them again)."""
    from django.contrib.auth.models import Group

    lines = run.data.decode().splitlines()[1:]
    for line in lines:
        Group.objects.create(name=f"imported {line}")
    if "boom" in lines:
        raise RuntimeError("importer broke after writing")
    if "taken" in lines:  # another run finished the job meanwhile
        ImportJob.objects.filter(pk=run.job.pk).update(state=ImportState.DONE)
    return ImportOutcome(counts={"written": len(lines)})


@pytest.fixture
def appending(kind, monkeypatch):
    monkeypatch.setitem(
        imports.KINDS, KIND,
        ImportKind(**{**kind.__dict__, "run": _appending_run, "finish_with_writes": True}),
    )


def _imported() -> list[str]:
    from django.contrib.auth.models import Group

    return sorted(Group.objects.filter(name__startswith="imported ").values_list("name", flat=True))


def test_an_appending_import_writes_and_finishes_in_one_go(appending, clerk):
    job = import_run(queued(clerk, b"LINES\na\nb\n").pk)
    assert (job.state, job.summary["counts"]) == (ImportState.DONE, {"written": 2})
    assert _imported() == ["imported a", "imported b"]
    assert import_run(job.pk).attempts == 1  # delivered again: nothing appended twice
    assert _imported() == ["imported a", "imported b"]


def test_an_appending_import_that_breaks_after_writing_leaves_nothing_written(appending, clerk):
    job = import_run(queued(clerk, b"LINES\na\nboom\n").pk)
    assert job.state == ImportState.FAILED
    assert job.error == "RuntimeError: importer broke after writing"
    assert _imported() == []


def test_an_appending_import_taken_over_before_its_end_rolls_its_writes_back(appending, clerk):
    job = import_run(queued(clerk, b"LINES\na\ntaken\n").pk)
    # The finish was refused (the job was no longer running), so what this run wrote, and
    # the simulated takeover made inside the same transaction, rolled back together.
    assert _imported() == []
    assert (job.state, job.summary) == (ImportState.RUNNING, {})
    assert AuditEvent.objects.filter(action="core.import.finish").count() == 0
