"""Exports of the register: the ZIP, its manifest and the workbook; inline and in Celery;
run once; audited; files that fail their check are left out."""

import csv
import hashlib
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.documents import verify_document
from core.models import AuditEvent, IssuedDocument, OutboxTask
from core.views import audit_events_for_user
from register import jobs
from register.export import RegisterExport
from register.jobs import ExportRefused, export_request, export_run
from register.models import ExportJob, ExportState
from tests.register.support import *  # noqa: F403 - the fixtures
from tests.register.support import add_documents

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year
CREATE = reverse("register:export-create")


def _archive(job: ExportJob) -> zipfile.ZipFile:
    job.refresh_from_db()
    with job.archive.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _manifest(archive: zipfile.ZipFile) -> list[dict]:
    text = archive.read("manifest.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_small_export_runs_at_once_and_every_file_verifies(client, ledger):
    auditor = ledger.people["auditor_a"]
    client.force_login(auditor)
    response = client.post(CREATE, {"kind": "tolerance_ruling"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("register:export", args=[job.pk])
    assert (job.state, job.total, job.done, job.attempts) == (ExportState.DONE, 3, 3, 1)
    assert job.filters == {"kind": "tolerance_ruling"}
    assert job.counts == {str(ledger.a1.authority_id): 3}
    assert job.problems == []

    archive = _archive(job)
    pdfs = sorted(n for n in archive.namelist() if n.startswith("documents/"))
    assert sorted(set(archive.namelist()) - set(pdfs)) == [
        "SHA256SUMS", "manifest.csv", "register.xlsx"
    ]
    rows = _manifest(archive)
    assert [r["文号"] for r in rows] == [
        f"甲组容〔{Y}〕1号", f"甲组容〔{Y}〕2号", f"甲组容〔{Y}〕3号"
    ]
    assert sorted(r["干部"] for r in rows) == ["张三", "张三", "赵六"]
    for row in rows:
        document = IssuedDocument.objects.get(number=row["文号"])
        content = archive.read(row["压缩包中的文件"])
        assert hashlib.sha256(content).hexdigest() == row["SHA-256 指纹"] == document.sha256
        assert verify_document(row["文号"], row["SHA-256 指纹"]).genuine
        assert row["成文日期"] == document.issued_on.isoformat()
        assert row["核验结果"] == "与签发的文书一致"
        assert row["核验网址"].endswith("/documents/verify/?number=" + _quoted(row["文号"]))
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert sorted(sums) == sorted(f"{r['SHA-256 指纹']}  {r['压缩包中的文件']}" for r in rows)
    assert hashlib.sha256(_raw(job)).hexdigest() == job.archive_sha256

    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("register.xlsx"))).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][:10] == [
        "文号", "文书类别", "标题", "发文机关", "案件编号", "干部", "单位", "成文日期",
        "认定结论", "符合的容错情形",
    ]
    first = table[1]
    assert first[0] == f"甲组容〔{Y}〕1号"
    assert first[4:7] == [ledger.a1.reference, "张三", "甲县城关镇"]
    assert first[7].date() == timezone.localdate()
    assert first[8] == "从轻处理"  # the ruling's own conclusion, before the appeal
    assert first[9].startswith("SX-01 ")
    assert len(table) == 4


def _quoted(number: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(number)


def _raw(job) -> bytes:
    with job.archive.open("rb") as handle:
        return handle.read()


def test_each_export_is_audited_for_each_authority(client, ledger):
    both = ledger.people["auditor_both"]
    client.force_login(both)
    client.post(CREATE, {})
    job = ExportJob.objects.get()
    assert job.total == 9
    request = AuditEvent.objects.get(action="register.export.request")
    assert (request.actor, request.after, request.authority_id) == (
        both, {"filters": {}, "count": 9}, None
    )
    finished = {
        e.authority_id: e.after
        for e in AuditEvent.objects.filter(action="register.export.finish")
    }
    county, city = ledger.a1.authority_id, ledger.c1.authority_id
    assert {k: v["count"] for k, v in finished.items()} == {county: 7, city: 2}
    assert finished[county]["total"] == 9 and finished[county]["problems"] == 0
    # Each authority's auditors see the export of their documents in their audit log.
    seen = audit_events_for_user(ledger.people["auditor_city"]).filter(
        action__startswith="register.export"
    )
    assert [(e.action, e.after["count"]) for e in seen] == [("register.export.finish", 2)]


def test_a_large_export_goes_through_celery_with_progress(
    client, ledger, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REGISTER_EXPORT_INLINE_MAX = 2
    monkeypatch.setattr(jobs, "PROGRESS_MIN_EVERY", 1)
    seen = []
    original = jobs._progress
    monkeypatch.setattr(jobs, "_progress", lambda pk, done: (seen.append(done), original(pk, done)))
    client.force_login(ledger.people["admin"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(CREATE, {"authority": str(ledger.a1.authority_id)})
    job = ExportJob.objects.get()
    assert (job.state, job.total, job.done) == (ExportState.QUEUED, 7, 0)
    progress = reverse("register:progress", args=[job.pk])
    assert client.get(progress).json() == {
        "state": "queued", "state_label": "排队中", "done": 0, "total": 7, "percent": 0
    }
    page = client.get(reverse("register:export", args=[job.pk])).content.decode()
    assert 'data-state="queued"' in page and "aria-valuenow=\"0\"" in page
    sent = OutboxTask.objects.filter(task="register.tasks.export_register")
    assert sent.get().sent_at is None
    for callback in callbacks:
        callback()  # the commit: the outbox sends the task, which runs eagerly here
    job.refresh_from_db()
    assert (job.state, job.done, job.attempts) == (ExportState.DONE, 7, 1)
    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert sent.get().sent_at is not None
    payload = client.get(progress).json()
    assert payload["state"] == "done" and payload["percent"] == 100
    assert payload["archive_url"] == reverse("register:download", args=[job.pk, "zip"])
    assert len(_manifest(_archive(job))) == 7


def test_a_job_runs_once_however_often_it_is_sent(ledger):
    job = export_request(ledger.people["auditor_a"], {})
    archive = job.archive.name
    audit_rows = AuditEvent.objects.count()
    assert export_run(job.pk).archive.name == archive
    assert export_run(job.pk + 1000) is None
    from register.tasks import export_register

    assert export_register.apply(kwargs={"job_id": job.pk}).get() == 7
    job.refresh_from_db()
    assert (job.state, job.attempts, job.archive.name) == (ExportState.DONE, 1, archive)
    assert AuditEvent.objects.count() == audit_rows


def test_a_dead_run_is_taken_over_but_a_live_one_is_not(ledger, settings):
    settings.REGISTER_EXPORT_INLINE_MAX = 0
    job = export_request(ledger.people["auditor_a"], {})  # queued: nothing runs it here
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.RUNNING, attempts=1, heartbeat_at=now
    )
    assert export_run(job.pk).state == ExportState.RUNNING  # someone is on it
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=now - jobs.STALE_AFTER * 2)
    job = export_run(job.pk)
    assert (job.state, job.attempts, job.done) == (ExportState.DONE, 2, 7)


def test_a_passing_failure_is_retried_a_bounded_number_of_times(ledger, settings, monkeypatch):
    from register.tasks import export_register

    settings.REGISTER_EXPORT_INLINE_MAX = 0
    job = export_request(ledger.people["auditor_a"], {})

    def broken(self, document):
        raise OSError("disk full")

    monkeypatch.setattr(RegisterExport, "add", broken)
    with pytest.raises(OSError):
        export_run(job.pk, retry=True)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (ExportState.QUEUED, 1, "OSError: disk full")
    # Celery retries with backoff in a worker; eagerly, each retry runs at once.
    monkeypatch.setitem(export_register.app.conf, "task_eager_propagates", False)
    export_register.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportState.FAILED, jobs.MAX_ATTEMPTS)
    failed = AuditEvent.objects.get(action="register.export.fail")
    assert failed.after == {"filters": {}, "error": "OSError"}
    assert export_run(job.pk).state == ExportState.FAILED  # never claimed again


def test_a_missing_or_altered_file_is_left_out_and_named(ledger):
    county = IssuedDocument.objects.filter(authority=ledger.a1.authority).order_by("id")
    missing, altered = county[0], county[1]
    storage = missing.file.storage
    storage.delete(missing.file.name)
    with open(storage.path(altered.file.name), "wb") as handle:
        handle.write(b"%PDF-1.7 forged")
    job = export_request(ledger.people["auditor_a"], {})
    assert (job.state, job.done) == (ExportState.DONE, 7)
    assert job.problems == [
        {"id": missing.pk, "number": missing.number, "problem": "missing"},
        {"id": altered.pk, "number": altered.number, "problem": "differs"},
    ]
    archive = _archive(job)
    rows = {r["文号"]: r for r in _manifest(archive)}
    assert rows[missing.number]["压缩包中的文件"] == ""
    assert rows[missing.number]["核验结果"].startswith("文件缺失")
    assert rows[altered.number]["核验结果"].startswith("文件与签发的文书不一致")
    assert len([n for n in archive.namelist() if n.startswith("documents/")]) == 5
    assert AuditEvent.objects.get(action="register.export.finish").after["problems"] == 2


def test_an_export_holds_only_what_the_requester_reads_when_it_runs(ledger, settings):
    auditor = ledger.people["auditor_a"]
    with pytest.raises(ValidationError):
        export_request(auditor, {"authority": str(ledger.c1.authority_id)})
    settings.REGISTER_EXPORT_INLINE_MAX = 0
    job = export_request(auditor, {})
    auditor.groups.clear()
    job = export_run(job.pk)
    assert job.state == ExportState.FAILED
    assert job.error == "ExportRefused: the requester may no longer use the register"
    assert not job.archive


def test_exports_are_their_requester_s_and_downloads_are_audited(client, ledger):
    people = ledger.people
    job = export_request(people["auditor_a"], {"kind": "acceptance_notice"})
    urls = [
        reverse("register:export", args=[job.pk]),
        reverse("register:progress", args=[job.pk]),
        reverse("register:download", args=[job.pk, "zip"]),
        reverse("register:download", args=[job.pk, "xlsx"]),
    ]
    for name in ("auditor_both", "admin", "outsider"):
        client.force_login(people[name])
        assert [client.get(url).status_code for url in urls] == [404] * 4, name
    client.force_login(people["auditor_a"])
    assert client.get(reverse("register:download", args=[job.pk, "pdf"])).status_code == 404
    response = client.get(urls[2])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == job.archive_sha256
    download = AuditEvent.objects.get(action="register.export.download")
    assert (download.actor, download.after, download.authority_id) == (
        people["auditor_a"], {"part": "zip", "count": 2}, ledger.a1.authority_id
    )
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING)
    assert client.get(urls[2]).status_code == 404


def test_one_person_has_at_most_a_few_exports_running(client, ledger, settings):
    settings.REGISTER_EXPORT_INLINE_MAX = 0
    auditor = ledger.people["auditor_a"]
    for _ in range(jobs.MAX_ACTIVE_PER_USER):
        export_request(auditor, {})
    with pytest.raises(ExportRefused):
        export_request(auditor, {})
    client.force_login(auditor)
    response = client.post(CREATE, {}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("register:list")
    assert "还有 3 个导出未完成" in response.content.decode()
    assert ExportJob.objects.count() == jobs.MAX_ACTIVE_PER_USER


def test_the_export_costs_the_same_queries_at_two_sizes(
    ledger, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(jobs, "PROGRESS_MIN_EVERY", 10_000)
    # The filter's choices (newest document, authorities and years: register.queries.Span)
    # are not read: the job's filter gives no authority or year to check.
    # Content types are cached per process: warm them all, so that the count does not
    # depend on which tests ran before in this process.
    ContentType.objects.get_for_models(*apps.get_models())
    auditor = ledger.people["auditor_a"]
    small = ExportJob.objects.create(requested_by=auditor, upto_id=10**9, total=7)
    # The claim and the finish each lock the job and save it (export_transition): four
    # queries more than a compare-and-swap update, as many at either size.
    with django_assert_num_queries(16):
        assert export_run(small.pk).done == 7
    add_documents(ledger.a1, 120, cadre=ledger.a1.entries.get().cadre)
    large = ExportJob.objects.create(requested_by=auditor, upto_id=10**9, total=127)
    with django_assert_num_queries(16):
        assert export_run(large.pk).done == 127


def test_memory_stays_flat_however_many_documents(ledger, monkeypatch):
    """40 documents of 256 KiB (10 MiB of PDFs) are exported within a small, fixed budget."""
    from core.documents import document_issue

    case, cadre = ledger.a1, ledger.a1.entries.get().cadre
    for i in range(40):
        blob = hashlib.sha256(str(i).encode()).digest() * (256 * 1024 // 32)
        document_issue(
            key=f"test.big:{i}", kind="tolerance_ruling", authority=case.authority, series="容",
            title="容错认定决定书", subject=case, cadre=cadre,
            render=lambda number, day, blob=blob: ("big.pdf", "application/pdf", b"%PDF" + blob),
        )
    job = ExportJob.objects.create(
        requested_by=ledger.people["auditor_a"], upto_id=10**9, total=47
    )
    tracemalloc.start()
    try:
        export_run(job.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert job.done == 47 and job.archive_size > 40 * 256 * 1024
    assert peak < 3 * 1024 * 1024, peak


def test_a_name_that_looks_like_a_formula_stays_text(ledger):
    from cadres.models import Cadre

    Cadre.objects.filter(name="赵六").update(name="=HYPERLINK(\"http://x\")")
    job = export_request(ledger.people["auditor_a"], {"kind": "tolerance_ruling"})
    archive = _archive(job)
    names = [row["干部"] for row in _manifest(archive)]
    assert "'=HYPERLINK(\"http://x\")" in names
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("register.xlsx"))).active
    (cell,) = [c for c in sheet["F"] if str(c.value).startswith("=")]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\")", "s")


def test_the_task_looks_again_later_when_another_run_holds_the_job(ledger, settings, monkeypatch):
    from register.tasks import export_register

    settings.REGISTER_EXPORT_INLINE_MAX = 0
    job = export_request(ledger.people["auditor_a"], {})
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.RUNNING, attempts=1, heartbeat_at=now
    )
    job.refresh_from_db()
    assert 900 <= jobs.seconds_until_stale(job) <= 930
    retried = []
    monkeypatch.setattr(
        export_register, "retry", lambda **kw: retried.append(kw) or RuntimeError("retry")
    )
    with pytest.raises(RuntimeError):
        export_register.apply(kwargs={"job_id": job.pk}, throw=True)
    assert [kw["countdown"] > 800 for kw in retried] == [True]
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportState.RUNNING, 1)
    # The run died: once its claim is stale, the task takes the job over.
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=now - jobs.STALE_AFTER * 2)
    assert export_register.apply(kwargs={"job_id": job.pk}).get() == 7
