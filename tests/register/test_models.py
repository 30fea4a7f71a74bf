"""register.models: the export job's declared transitions and when a run may claim it (the
one function taking them, register.jobs.export_transition, is tested in test_jobs.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from register.models import ExportJob, ExportKind, ExportState
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(db) -> ExportJob:
    return ExportJob.objects.create(requested_by=make_user("auditor"), total=8, done=2)


def test_an_export_goes_queued_running_done_expired(job):
    assert (job.state, job.kind) == (ExportState.QUEUED, ExportKind.REGISTER)
    job.start()
    assert job.state == ExportState.RUNNING
    with pytest.raises(TransitionNotAllowed):
        job.expire()
    job.finish()
    assert (job.state, job.percent) == (ExportState.DONE, 100)
    job.expire()
    assert job.state == ExportState.EXPIRED
    with pytest.raises(TransitionNotAllowed):
        job.start()


def test_a_running_export_goes_back_to_the_queue_or_fails(job):
    job.start()
    job.requeue()
    assert job.state == ExportState.QUEUED
    job.start()
    job.fail()
    assert job.state == ExportState.FAILED
    with pytest.raises(TransitionNotAllowed):
        job.expire()  # a failed export has no files to expire


def test_a_run_claims_a_queued_export_or_a_stale_one_with_attempts_left(job):
    assert job.claimable() is True
    job.start()
    job.attempts, job.heartbeat_at = 1, timezone.now()
    assert job.claimable() is False
    job.heartbeat_at -= ExportJob.STALE_AFTER + dt.timedelta(seconds=1)
    assert job.claimable() is True
    job.attempts = ExportJob.MAX_ATTEMPTS
    assert job.claimable() is False
    with pytest.raises(TransitionNotAllowed):
        job.start()


def test_the_state_is_not_assigned_by_hand_and_the_percent_follows_progress(job):
    with pytest.raises(AttributeError):
        setattr(job, "state", ExportState.DONE)  # noqa: B010 - as a careless caller would
    assert job.percent == 25
    assert str(job) == f"export {job.pk} (queued)"
