"""The case file (卷宗): one ZIP of every document (superseded ones too), attachment, signed
receipt, finding, statement, minutes and the timeline, with a manifest and SHA-256 sums,
through the register's export jobs (Celery after the commit, progress, audited), for the
staff handling the case only."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.drafts import document_correct, draft_transition
from core.filenames import FORBIDDEN
from core.models import AuditEvent, IssuedDocument, OutboxTask
from register.models import ExportJob, ExportKind, ExportState
from tests.register.support import fast_pdf, media  # noqa: F401 - fixtures
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures
from tolerance.enums import Outcome
from tolerance.feedback import case_feed_back
from tolerance.filing import attachment_add
from tolerance.models import DeliveryMethod
from tolerance.models.case import AttachmentKind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def handled(flow, staff, django_capture_on_commit_callbacks):  # noqa: F811
    """A fed-back case with an attachment whose name Windows refuses, a signed receipt, and
    a ruling corrected once (the old one superseded)."""
    case = flow.decided(outcome=Outcome.LIGHTER)
    attachment_add(case, actor=staff.cadre, kind=AttachmentKind.STATEMENT,
                   upload=SimpleUploadedFile('陈述:第1次?.pdf', PDF), note="书面陈述")
    case = case_feed_back(
        case, actor=staff.clerk, method=DeliveryMethod.POST, delivered_on=timezone.localdate(),
        receipt=SimpleUploadedFile("送达回证.pdf", PDF, content_type="application/pdf"),
    )
    ruling = IssuedDocument.objects.get(kind="tolerance_ruling")
    draft = document_correct(ruling, actor=staff.clerk, reason="当事人单位名称有误")
    draft = draft_transition(draft, actor=staff.investigator, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=staff.leader, action="sign")
    return case


def _zip(client, job) -> zipfile.ZipFile:
    response = client.get(reverse("register:download", args=[job.pk, "zip"]))
    assert response.status_code == 200
    assert "%E5%8D%B7%E5%AE%97" in response["Content-Disposition"]  # 卷宗-…
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_handling_staff_get_the_whole_case_file(
    client, handled, staff, django_capture_on_commit_callbacks  # noqa: F811
):
    client.force_login(staff.clerk)
    url = reverse("register:case-file", args=[handled.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "register:export", args=[job.pk])
    # Nothing is written in the request: the register's task runs after the commit.
    assert (job.kind, job.case, job.state, job.total) == (
        ExportKind.CASE_FILE, handled, ExportState.QUEUED, 12)
    assert OutboxTask.objects.filter(task="register.tasks.export_register").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    job.refresh_from_db()
    assert (job.state, job.done, job.problems, job.workbook.name) == (ExportState.DONE, 12, [], "")
    archive = _zip(client, job)
    names = archive.namelist()
    documents = IssuedDocument.objects.filter(object_id=handled.pk).order_by("issued_at", "id")
    assert [n for n in names if n.startswith("documents/")] == [
        f"documents/{d.filename}" for d in documents
    ]
    assert len(documents) == 3  # acceptance notice, the ruling and its correction
    assert [n for n in names if not n.startswith("documents/")] == [
        f"attachments/{handled.attachments.get().pk}-陈述_第1次_.pdf",
        f"receipts/{handled.deliveries.get().pk}-送达回证.pdf",
        "record/case.txt",
        "record/findings-1-张三.txt",
        "record/notes.csv",
        f"record/minutes-{timezone.localdate().isoformat()}-{handled.meetings.get().pk}.txt",
        "record/deliveries.csv",
        "record/appeals.csv",
        "record/timeline.csv",
        "manifest.csv",
        "SHA256SUMS",
    ]
    assert not any(FORBIDDEN.search(part) for n in names for part in n.split("/"))
    # Every file's sum is in SHA256SUMS and matches its bytes; documents their issued hash.
    sums = dict(
        reversed(line.split("  ", 1)) for line in archive.read("SHA256SUMS").decode().splitlines()
    )
    assert sorted(sums) == sorted(n for n in names if n != "SHA256SUMS")
    for name, digest in sums.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    for document in documents:
        assert sums[f"documents/{document.filename}"] == document.sha256
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[0] == [
        "压缩包中的文件", "类别", "说明", "大小（字节）", "SHA-256 指纹", "核验结果"
    ]
    assert len(manifest) == 13
    old = documents.get(supersedes__isnull=True, kind="tolerance_ruling")
    new = documents.get(supersedes=old)
    row = next(r for r in manifest if r[0] == f"documents/{old.filename}")
    assert row[2] == f"容错认定决定书 {old.number} （已被{new.number}更正替代）"
    assert {r[5] for r in manifest[1:]} == {"与登记一致"}
    timeline = list(csv.reader(io.StringIO(
        archive.read("record/timeline.csv").decode("utf-8-sig"))))
    assert timeline[0] == ["时间", "办理人", "事项", "详情", "理由"]
    assert len(timeline) == 1 + AuditEvent.objects.filter(
        object_id=str(handled.pk), content_type__model="case").count()
    findings = archive.read("record/findings-1-张三.txt").decode("utf-8-sig")
    assert "认定结论: 从轻处理" in findings
    lines = findings.split("\r\n")
    # Yes/no findings read 是/否 (never True/False); the advice reads as its label.
    assert lines[6:8] == ["已采取补救措施: 是", "事前已进行风险评估并备案: 否"]
    assert lines[12:17] == [
        "认定结论: 从轻处理",
        "所依据的条款: SX-01、D1、D2、D3、C1、C2、C3、C4",
        "认定理由: 符合容错情形",
        "作出决定时的规则建议: 免除责任",
        "与规则建议不一致的理由: 集体研究认为情节有所不同",
    ]
    minutes = archive.read(next(n for n in names if n.startswith("record/minutes-")))
    assert "会议纪要" in minutes.decode("utf-8-sig")
    actions = list(AuditEvent.objects.filter(action__startswith="register.").order_by("id")
                   .values_list("action", "authority_id"))
    assert actions == [
        ("register.casefile.request", handled.authority_id),
        ("register.export.finish", handled.authority_id),
        ("register.export.download", handled.authority_id),
    ]


def test_only_the_handling_staff_export_it(client, handled, staff):  # noqa: F811
    url = reverse("register:case-file", args=[handled.pk])
    for user in (staff.cadre, staff.hr, staff.clerk_b, staff.outsider):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert ExportJob.objects.count() == 0
    # the case page offers the button to the staff only
    client.force_login(staff.cadre)
    page = client.get(reverse("tolerance:case_detail", args=[handled.pk]))
    assert page.context["page"].may_export_file is False
    client.force_login(staff.clerk)
    page = client.get(reverse("tolerance:case_detail", args=[handled.pk]))
    assert page.context["page"].may_export_file is True
    assert 'data-testid="case-file"' in page.content.decode()


def test_the_file_is_its_requester_s_while_they_handle_the_case(
    client, handled, staff, django_capture_on_commit_callbacks  # noqa: F811
):
    client.force_login(staff.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register:case-file", args=[handled.pk]))
    job = ExportJob.objects.get()
    download = reverse("register:download", args=[job.pk, "zip"])
    for user in (staff.leader, staff.cadre, staff.outsider):
        client.force_login(user)
        assert client.get(download).status_code == 404
    client.force_login(staff.clerk)
    assert client.get(reverse("register:download", args=[job.pk, "xlsx"])).status_code == 404
    page = client.get(reverse("register:export", args=[job.pk]))
    assert page.status_code == 200
    assert page.context["filters"] == [("案件编号", handled.reference)]
    staff.clerk.authorities.clear()  # moved away from the authority: no longer theirs
    assert client.get(download).status_code == 404
