"""Finished exports expire: files deleted after the retention, job marked, audited, once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from register.jobs import export_request
from register.models import ExportJob, ExportState
from register.retention import expires_at, exports_expire, retention
from register.tasks import expire_exports
from tests.register.support import *  # noqa: F403 - the fixtures

pytestmark = pytest.mark.django_db


def _storage():
    return ExportJob._meta.get_field("archive").storage


def _finished(ledger, *, days_ago: float, person="auditor_a") -> ExportJob:
    job = export_request(ledger.people[person], {})
    assert job.state == ExportState.DONE
    finished = timezone.now() - dt.timedelta(days=days_ago)
    ExportJob.objects.filter(pk=job.pk).update(finished_at=finished)
    job.refresh_from_db()
    return job


def test_retention_is_a_setting_with_a_default_of_seven_days(settings):
    assert retention() == dt.timedelta(days=7)
    settings.REGISTER_EXPORT_RETENTION_DAYS = 30
    assert retention() == dt.timedelta(days=30)


def test_exports_past_the_retention_lose_their_files_and_are_marked(ledger):
    old = _finished(ledger, days_ago=8)
    fresh = _finished(ledger, days_ago=6)
    files = {old.pk: (old.archive.name, old.workbook.name)}
    assert all(_storage().exists(name) for name in files[old.pk])
    now = timezone.now()
    assert exports_expire(now=now) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.state, old.expired_at, old.archive.name, old.workbook.name) == (
        ExportState.EXPIRED,
        now,
        "",
        "",
    )
    assert not any(_storage().exists(name) for name in files[old.pk])
    assert old.archive_sha256  # the record of what was exported stays
    assert fresh.state == ExportState.DONE
    assert _storage().exists(fresh.archive.name)


def test_expiry_is_audited_once_per_authority_and_is_idempotent(ledger):
    job = _finished(ledger, days_ago=10, person="auditor_both")
    assert exports_expire() == 1
    assert exports_expire() == 0
    assert expire_exports.delay().get() == 0  # the beat task: nothing left to do
    events = AuditEvent.objects.filter(action="register.export.expire").order_by(
        "authority_id"
    )
    assert [(e.actor, e.actor_repr, e.object_id, e.authority_id) for e in events] == [
        (None, "system", str(job.pk), int(pk)) for pk in sorted(job.counts, key=int)
    ]
    assert [e.after["count"] for e in events] == [
        job.counts[pk] for pk in sorted(job.counts, key=int)
    ]
    assert events[0].before == {"state": "done"}
    assert events[0].after["retention_days"] == 7
    assert len(job.counts) == 2


def test_a_file_already_gone_still_expires_the_job(ledger):
    job = _finished(ledger, days_ago=9)
    _storage().delete(job.archive.name)
    assert exports_expire() == 1
    job.refresh_from_db()
    assert job.state == ExportState.EXPIRED
    assert not _storage().exists(job.workbook.name or "missing")


def test_only_finished_exports_expire(ledger, settings):
    failed = _finished(ledger, days_ago=30)
    ExportJob.objects.filter(pk=failed.pk).update(state=ExportState.FAILED)
    settings.REGISTER_EXPORT_INLINE_MAX = 0
    queued = export_request(ledger.people["auditor_a"], {})
    ExportJob.objects.filter(pk=queued.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=30)
    )
    assert exports_expire() == 0
    assert set(ExportJob.objects.values_list("state", flat=True)) == {"queued", "failed"}


def test_the_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["register-expire-exports"]
    assert entry["task"] == expire_exports.name == "register.tasks.expire_exports"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {15})


def test_the_download_of_an_expired_export_says_so(client, ledger):
    job = _finished(ledger, days_ago=8)
    client.force_login(ledger.people["auditor_a"])
    detail = client.get(reverse("register:export", args=[job.pk]))
    assert "保留至" in detail.content.decode()
    assert expires_at(job) == job.finished_at + dt.timedelta(days=7)
    exports_expire()
    job.refresh_from_db()
    for part in ("zip", "xlsx"):
        response = client.get(reverse("register:download", args=[job.pk, part]))
        assert response.status_code == 410
        html = response.content.decode()
        on = timezone.localtime(job.expired_at).strftime("%Y-%m-%d %H:%M")
        assert (
            f"本次导出已过期：导出文件在完成后保留 7 天，已于 {on} 删除。"
            "文书本身仍在登记簿中，如需文件请重新导出。"
        ) in html
        assert "已过期" in html
    assert not AuditEvent.objects.filter(action="register.export.download").exists()
    progress = client.get(reverse("register:progress", args=[job.pk])).json()
    assert (progress["state"], progress["state_label"]) == ("expired", "已过期")
    assert "archive_url" not in progress
    # Someone else's expired export is still simply not there.
    client.force_login(ledger.people["auditor_both"])
    assert client.get(reverse("register:download", args=[job.pk, "zip"])).status_code == 404


def test_the_register_lists_an_expired_export(client, ledger):
    job = _finished(ledger, days_ago=8)
    exports_expire()
    job.refresh_from_db()
    client.force_login(ledger.people["auditor_a"])
    html = client.get(reverse("register:list")).content.decode()
    assert f"文件已于 {timezone.localtime(job.expired_at):%Y-%m-%d} 删除" in html
    assert reverse("register:download", args=[job.pk, "zip"]) not in html
