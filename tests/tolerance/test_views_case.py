"""The case page: who sees it, what each viewer sees, and what it costs."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import AuditEvent, DocumentKind, IssuedDocument, OutboxTask
from tests.factories import CadreFactory
from tolerance.deliberation import entry_decide
from tolerance.enums import Advice, CaseState, Outcome, StartedBy
from tolerance.feedback import case_feed_back
from tolerance.filing import attachment_add
from tolerance.investigation import note_add
from tolerance.models import Case
from tolerance.models.case import AttachmentKind, NoteKind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def url(case: Case) -> str:
    return reverse("tolerance:case_detail", args=[case.pk])


def page_of(client, user, case: Case):
    client.force_login(user)
    response = client.get(url(case))
    assert response.status_code == 200
    return response


def upload(name="材料.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def colleague(world):
    return CadreFactory(name="赵六", unit=world.township_a1)


@pytest.fixture
def unit_case(flow, staff, world, colleague):
    """Deliberating, filed by the unit for 张三 and 赵六, with a meeting."""
    case = flow.deliberating(
        by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague]
    )
    flow.meeting(case)
    return case


# --- who sees the page ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "clerk_b"])
def test_case_page_is_404_for_outsiders(client, flow, staff, who):
    case = flow.deliberating()
    client.force_login(getattr(staff, who))
    assert client.get(url(case)).status_code == 404


def test_case_page_is_404_for_a_missing_case(client, staff):
    client.force_login(staff.clerk)
    assert client.get(reverse("tolerance:case_detail", args=[99999])).status_code == 404


def test_case_page_needs_login(client, flow):
    case = flow.submitted()
    response = client.get(url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_draft_is_seen_by_its_filer_only(client, flow, staff):
    case = flow.filed()
    assert page_of(client, staff.cadre, case).context["case"].state == CaseState.DRAFT
    client.force_login(staff.clerk)
    assert client.get(url(case)).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "investigator", "leader", "cadre", "hr"])
def test_case_page_for_the_people_of_the_case(client, unit_case, staff, who):
    response = page_of(client, getattr(staff, who), unit_case)
    assert response.context["case"].pk == unit_case.pk


# --- what each viewer sees -----------------------------------------------------------------


def test_staff_see_every_cadre_with_findings_and_rules_summary(client, unit_case, staff):
    page = page_of(client, staff.leader, unit_case).context["page"]
    views = page.entry_views
    assert [v.entry.cadre.name for v in views] == ["张三", "赵六"]
    assert [v.summary.advice for v in views] == [Advice.EXEMPT, Advice.EXEMPT]
    assert [c.code for c in views[0].summary.conditions_holding] == ["C1", "C2", "C3", "C4"]
    assert [s.code for s in views[0].summary.situations_matched] == ["SX-01"]
    assert views[0].summary.missing == () and views[0].summary.conflicts == ()
    assert [(m.user.username, m.present) for m in page.votes[0].members] == [
        ("t_member1", True),
        ("t_member2", True),
        ("t_member3", True),
    ]
    assert [[v.outcome for v in votes] for _m, votes in page.votes[0].rows] == [
        ["exempt", "exempt"],
        ["exempt", "exempt"],
        ["exempt", "exempt"],
    ]


def test_a_cadre_sees_only_their_own_entry(client, unit_case, staff):
    response = page_of(client, staff.cadre, unit_case)
    page = response.context["page"]
    assert [e.cadre.name for e in page.entries] == ["张三"]
    assert "赵六" not in response.content.decode()


def test_the_unit_that_filed_sees_both_cadres(client, unit_case, staff):
    page = page_of(client, staff.hr, unit_case).context["page"]
    assert [e.cadre.name for e in page.entries] == ["张三", "赵六"]


def test_a_cadre_does_not_see_the_internal_work_before_the_decision(client, flow, staff):
    case = flow.deliberating()
    flow.meeting(case)
    note_add(
        case.__class__.objects.get(pk=case.pk),
        actor=staff.cadre,
        kind=NoteKind.STATEMENT,
        text="本人说明",
    )
    response = page_of(client, staff.cadre, case)
    page = response.context["page"]
    assert [v.summary for v in page.entry_views] == [None]
    assert page.meetings == [] and page.votes == []
    # their statement written down by the investigator, and their own
    assert [n.kind for n in page.notes] == [NoteKind.STATEMENT, NoteKind.STATEMENT]
    body = response.content.decode()
    assert "调查报告正文" not in body and "会议纪要" not in body
    labels = [row.label for row in page.timeline]
    assert "记录调查认定" not in labels and "记录集体研究会议" not in labels


def test_a_cadre_sees_the_conclusion_and_findings_once_fed_back(client, flow, staff):
    case = case_feed_back(
        flow.decided(), actor=staff.clerk, method="in_person", delivered_on=timezone.localdate()
    )
    response = page_of(client, staff.cadre, case)
    view = response.context["page"].entry_views[0]
    assert view.summary.advice == Advice.EXEMPT
    assert view.entry.outcome == "exempt"
    assert [d.kind for d in response.context["page"].documents] == [
        "acceptance_notice",
        "tolerance_ruling",
    ]
    assert "可于" not in response.content.decode()  # nobody is invited to appeal an exemption
    lighter = case_feed_back(
        flow.decided(outcome="lighter"),
        actor=staff.clerk,
        method="in_person",
        delivered_on=timezone.localdate(),
    )
    assert "可于" in page_of(client, staff.cadre, lighter).content.decode()


def test_the_timeline_reads_the_audit_log_in_chinese(client, flow, staff):
    case = flow.investigating()
    rows = page_of(client, staff.clerk, case).context["page"].timeline
    # the cadre's own application is drafted, not "立案" (opened by the authority)
    assert [row.label for row in rows] == ["起草申请", "提交申请", "已受理", "开始调查核实"]
    assert rows[1].details[0] == "状态：草稿 → 已提交"
    assert "调查核实人员：t_inv" in rows[3].details
    assert rows[1].actor == "t_cadre"


def test_the_page_shows_the_deadline_and_the_fallback_warning(client, flow, staff):
    case = flow.submitted()
    Case.objects.filter(pk=case.pk).update(due_fallback_years=[2027])
    body = page_of(client, staff.clerk, case).content.decode()
    assert "2027年的法定节假日安排尚未录入" in body


# --- attachments ---------------------------------------------------------------------------


def _download(client, user, case, attachment):
    client.force_login(user)
    return client.get(reverse("tolerance:attachment_download", args=[case.pk, attachment.pk]))


def test_attachments_download_through_the_case(client, flow, staff):
    case = flow.filed()
    application = attachment_add(
        case, actor=staff.cadre, upload=upload("申请书.pdf"), kind=AttachmentKind.APPLICATION
    )
    response = _download(client, staff.cadre, case, application)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="tolerance.attachment.download")
    assert (event.actor, event.object_id) == (staff.cadre, str(application.pk))


def test_attachments_are_404_for_outsiders_and_other_cases(client, flow, staff):
    case = flow.filed()
    other = flow.filed()
    application = attachment_add(
        case, actor=staff.cadre, upload=upload(), kind=AttachmentKind.APPLICATION
    )
    assert _download(client, staff.outsider, case, application).status_code == 404
    client.force_login(staff.cadre)
    wrong_case = reverse("tolerance:attachment_download", args=[other.pk, application.pk])
    assert client.get(wrong_case).status_code == 404


def test_evidence_is_for_the_authority_not_the_cadre(client, flow, staff):
    case = flow.investigating()
    evidence = attachment_add(
        case, actor=staff.investigator, upload=upload("证据.pdf"), kind=AttachmentKind.EVIDENCE
    )
    assert _download(client, staff.clerk, case, evidence).status_code == 200
    assert _download(client, staff.cadre, case, evidence).status_code == 404
    page = page_of(client, staff.cadre, case).context["page"]
    assert page.attachments == []


# --- the ruling on its way ------------------------------------------------------------------

QUEUED = (
    "认定决定书正在生成：任务已排队，等待后台服务处理。文书生成后将显示在“已签发文书”中，"
    "无需重复操作。"
)
SIGNOFF = "认定决定书已起草：须经另一名工作人员核稿、有权人员签发后，方编号印发。"
ISSUING = "认定决定书正在生成，生成后将显示在“已签发文书”中，请稍后刷新本页。"


def decided_with_task_waiting(flow, staff, capture) -> Case:
    """Decided, with the rulings task written to the outbox but not yet sent (the send
    after the commit is captured and not run, as when the broker cannot be reached)."""
    case = flow.deliberating()
    meeting = flow.meeting(case)
    (entry,) = case.entries.all()
    with capture(execute=False):
        entry_decide(
            entry,
            actor=staff.members[0],
            outcome=Outcome.EXEMPT,
            reason="符合容错情形",
            meeting=meeting,
        )
    return Case.objects.get(pk=case.pk)


def notice_of(response) -> str:
    """The text of the "ruling on its way" notice ("" when the page has none)."""
    page = response.content.decode()
    start = page.find('data-testid="ruling-pending"')
    if start < 0:
        return ""
    return html.unescape(page[page.index(">", start) + 1 : page.index("</div>", start)]).strip()


@pytest.mark.parametrize("who", ["cadre", "leader", "clerk"])
def test_the_page_says_the_ruling_is_queued_while_its_task_waits(
    client, flow, staff, django_capture_on_commit_callbacks, who
):
    case = decided_with_task_waiting(flow, staff, django_capture_on_commit_callbacks)
    assert case.state == CaseState.DECIDED
    response = page_of(client, getattr(staff, who), case)
    assert response.context["page"].ruling_status == "queued"
    assert notice_of(response) == QUEUED
    assert [d.kind for d in response.context["page"].documents] == [DocumentKind.ACCEPTANCE_NOTICE]


def test_the_notice_goes_once_the_ruling_is_issued(
    client, flow, staff, django_capture_on_commit_callbacks
):
    case = decided_with_task_waiting(flow, staff, django_capture_on_commit_callbacks)
    assert outbox.drain() >= 1  # the broker is back (eager here: the rulings are drafted now)
    response = page_of(client, staff.cadre, case)
    assert response.context["page"].ruling_status == "signoff"
    assert notice_of(response) == SIGNOFF
    assert response.context["page"].drafts == []  # a cadre does not see the drafts
    flow.sign_rulings(case)
    response = page_of(client, staff.cadre, case)
    assert response.context["page"].ruling_status == ""
    assert notice_of(response) == ""
    assert [d.kind for d in response.context["page"].documents] == [
        DocumentKind.ACCEPTANCE_NOTICE,
        DocumentKind.TOLERANCE_RULING,
    ]


def test_the_page_says_the_ruling_is_being_issued_once_the_task_is_sent(
    client, flow, staff, django_capture_on_commit_callbacks
):
    """Handed to the broker, a worker not done yet: still decided, no longer queued."""
    case = decided_with_task_waiting(flow, staff, django_capture_on_commit_callbacks)
    OutboxTask.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    response = page_of(client, staff.cadre, case)
    assert response.context["page"].ruling_status == "issuing"
    assert notice_of(response) == ISSUING
    assert not IssuedDocument.objects.filter(kind=DocumentKind.TOLERANCE_RULING).exists()


def test_no_ruling_notice_before_the_decision(client, flow, staff):
    response = page_of(client, staff.leader, flow.deliberating())
    assert response.context["page"].ruling_status == ""
    assert notice_of(response) == ""
