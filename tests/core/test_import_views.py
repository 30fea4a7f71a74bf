"""The import job's page and its error workbook: the requester's alone, the progress while
it waits (live.js reloads it), the result when finished, a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.enums import Role
from core.imports import import_run, import_transition, imports_expire
from core.models import AuditEvent, ImportJob
from tests.core.import_support import *  # noqa: F403 - the fixtures
from tests.core.import_support import queued
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def page(client, job):
    return client.get(reverse("imports:job", args=[job.pk]))


def test_a_waiting_job_shows_its_progress_and_asks_to_be_fetched_again(client, kind, clerk):
    job = queued(clerk, b"LINES\n" + b"a\n" * 8)
    client.force_login(clerk)
    html = page(client, job).content.decode()
    assert "data-live-wait data-live-swap" in html
    assert "排队等待处理…" in html
    import_transition(job.pk, "start")
    ImportJob.objects.filter(pk=job.pk).update(done=2, total=8)
    response = page(client, job)
    html = response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert 'aria-valuenow="25"' in html and "已检查 2 / 8" in html
    assert "progress-bar-animated" in html


def test_a_finished_job_shows_its_counts_details_and_the_way_back(client, kind, clerk):
    job = import_run(queued(clerk, b"LINES\na\nb\n").pk)
    client.force_login(clerk)
    response = page(client, job)
    html = response.content.decode()
    assert "data-live-wait" not in html
    assert '<span class="badge text-bg-success" data-role="state">已完成</span>' in html
    assert response.context["counts"] == [("written", "写入行数", 2)]
    assert response.context["details"] == [["a"], ["b"]]
    assert '<a class="btn btn-outline-brand btn-sm" href="/" data-role="back">' in html
    assert reverse("imports:report", args=[job.pk]) not in html  # no errors, no workbook
    assert client.get(reverse("imports:report", args=[job.pk])).status_code == 404


def test_a_refused_file_shows_its_rows_and_its_workbook_is_downloaded_audited(
    client, kind, clerk
):
    job = import_run(queued(clerk, b"LINES\nbad\nok\n").pk)
    client.force_login(clerk)
    response = page(client, job)
    assert response.context["error_headers"] == ["行号", "列", "内容", "问题"]
    assert response.context["errors"] == [[2, "行", "bad", "坏行"]]
    assert "未导入任何内容：发现 1 个问题。" in response.content.decode()
    # The run finished, but the state says what it means: nothing was imported.
    assert '<span class="badge text-bg-danger" data-role="state">未导入</span>' in (
        response.content.decode()
    )
    download = client.get(reverse("imports:report", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"PK")
    event = AuditEvent.objects.get(action="core.import.download")
    assert (event.actor, event.object_id, event.after) == (
        clerk, str(job.pk), {"kind": "tests.lines", "filename": "rows.txt", "errors": 1}
    )


def test_a_failed_and_an_expired_job_say_so(client, kind, clerk, settings):
    failed = import_run(queued(clerk, b"LINES\nboom\n").pk)
    client.force_login(clerk)
    assert "导入失败，未导入任何内容。" in page(client, failed).content.decode()
    done = import_run(queued(clerk, b"LINES\nbad\n").pk)
    imports_expire(now=timezone.now() + timezone.timedelta(days=8))
    response = page(client, done)
    assert "本次导入的文件已于" in response.content.decode()
    assert client.get(reverse("imports:report", args=[done.pk])).status_code == 404


def test_the_requester_sees_the_job_a_colleague_and_an_outsider_get_404(client, kind, clerk):
    job = import_run(queued(clerk, b"LINES\nbad\n").pk)
    colleague = make_user("colleague", Role.INTAKE_CLERK)
    outsider = make_user("outsider")
    client.force_login(clerk)
    assert page(client, job).status_code == 200
    for user in (colleague, outsider):
        client.force_login(user)
        assert page(client, job).status_code == 404
        assert client.get(reverse("imports:report", args=[job.pk])).status_code == 404
    client.logout()
    assert page(client, job).status_code == 302  # to the login page
    assert not AuditEvent.objects.filter(action="core.import.download").exists()


def test_the_job_page_costs_the_same_queries_however_large_the_result(
    client, kind, clerk, django_assert_num_queries
):
    small = import_run(queued(clerk, b"LINES\n" + b"bad\n" * 2).pk)
    large = import_run(queued(clerk, b"LINES\n" + b"bad\n" * 150).pk)
    client.force_login(clerk)
    page(client, small)  # the session and the user's caches
    # session, user, the job, the user's groups (may they still import this kind?), and
    # the page's frame: the user's authorities (two; unread notifications are cached)
    for job, rows in ((small, 2), (large, 150)):
        with django_assert_num_queries(6):
            response = page(client, job)
        assert len(response.context["errors"]) == rows
