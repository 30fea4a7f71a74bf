"""The applicant's pages: "my cases", filing online with attachments, own documents."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.enums import Role
from core.models import IssuedDocument
from tests.factories import CadreFactory, make_user
from tolerance.enums import CaseState, Outcome, StartedBy
from tolerance.feedback import case_feed_back
from tolerance.models import AccountabilityMatter, Attachment, Case, CaseCadre

pytestmark = pytest.mark.django_db

MINE = reverse("tolerance:my_cases")
FILE = reverse("tolerance:file")
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


@pytest.fixture
def colleague(world):
    return CadreFactory(name="赵六", unit=world.township_a1)


def application(**extra):
    return {
        "title": "试点项目资金拨付偏差",
        "description": "因政策界限不明确出现资金拨付偏差。",
        "occurred_on": "2025-03-10",
        "action": "拟给予诫勉",
        "action_by": "县纪委监委",
        "document_ref": "甲纪〔2025〕3号",
        "application_text": "经集体决策，未谋私利。",
        **extra,
    }


def nothing_filed() -> bool:
    return not (
        Case.objects.exists()
        or AccountabilityMatter.objects.exists()
        or Attachment.objects.exists()
    )


# --- filing --------------------------------------------------------------------------------


def test_a_cadre_files_and_submits_with_attachments(client, staff, world):
    client.force_login(staff.cadre)
    files = [SimpleUploadedFile("申请书.pdf", PDF), SimpleUploadedFile("会议纪要.pdf", PDF)]
    response = client.post(FILE, {**application(), "files": files, "submit_now": "1"})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tolerance:case_detail", args=[case.pk])
    assert (case.state, case.started_by, case.filed_by) == (
        CaseState.SUBMITTED, StartedBy.CADRE, staff.cadre
    )
    assert [e.cadre for e in case.entries.all()] == [world.cadre_a1]
    matter = case.matter
    assert (matter.title, matter.occurred_on, matter.document_ref) == (
        "试点项目资金拨付偏差", dt.date(2025, 3, 10), "甲纪〔2025〕3号"
    )
    assert sorted(case.attachments.values_list("filename", "kind", "content_type")) == [
        ("会议纪要.pdf", "application", "application/pdf"),
        ("申请书.pdf", "application", "application/pdf"),
    ]
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == ["您的申请已提交。"]


def test_a_cadre_saves_a_draft(client, staff):
    client.force_login(staff.cadre)
    client.post(FILE, application())
    assert Case.objects.get().state == CaseState.DRAFT


def test_a_file_is_checked_by_its_content_not_its_name(client, staff):
    client.force_login(staff.cadre)
    fake = SimpleUploadedFile("申请书.pdf", b"just some text pretending to be a PDF")
    response = client.post(FILE, {**application(), "files": [fake], "submit_now": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [
        "申请书.pdf: 只接受 PDF、JPEG、PNG、Word（.docx）和 Excel（.xlsx）文件。"
    ]
    assert nothing_filed()


def test_a_file_over_the_size_limit_is_refused(client, staff, settings):
    settings.ATTACHMENT_MAX_BYTES = 2**20
    client.force_login(staff.cadre)
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * 2**20)
    response = client.post(FILE, {**application(), "files": [big]})
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == ["扫描件.pdf: 文件超过 1 MB。"]
    assert nothing_filed()


def test_a_date_in_the_future_is_refused_at_its_field(client, staff):
    client.force_login(staff.cadre)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(FILE, {**application(occurred_on=tomorrow),
                                  "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert response.status_code == 400
    assert response.context["form"].errors["occurred_on"] == ["行为发生日期不能晚于今天。"]
    assert nothing_filed()


def test_a_refusal_by_the_service_stands_at_its_field(client, staff, monkeypatch):
    """The service checks the date again (a form posted around midnight): its refusal is
    shown at the date field too, and the chosen file is kept for the retry."""
    import tolerance.forms

    client.force_login(staff.cadre)
    monkeypatch.setattr(tolerance.forms.FilingForm, "clean_occurred_on",
                        lambda form: form.cleaned_data["occurred_on"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(FILE, {**application(occurred_on=tomorrow),
                                  "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert response.status_code == 409
    form = response.context["form"]
    assert form.errors["occurred_on"] == ["行为发生日期不能晚于今天。"]
    assert [k.name for k in form.kept["files"]] == ["a.pdf"]
    assert [str(m) for m in response.context["messages"]] == []
    assert nothing_filed()


# --- the chosen files are kept for the retry ----------------------------------------------


def kept_tokens(response) -> list[str]:
    return re.findall(r'name="files__kept" value="([^"]+)"', response.content.decode())


def test_a_wrong_date_keeps_the_attachment_and_the_retry_files_it(client, staff):
    client.force_login(staff.cadre)
    body = PDF + b"% scanned statement\n"
    response = client.post(FILE, {**application(occurred_on="2025-02-30"),
                                  "files": [SimpleUploadedFile("情况说明.pdf", body)]})
    assert response.status_code == 400
    assert response.context["form"].errors["occurred_on"] == ["请输入有效的日期。"]
    page = response.content.decode()
    assert "已保留附件：情况说明.pdf（如需更换请重新选择）" in page
    assert 'data-testid="choose-again"' not in page
    [token] = kept_tokens(response)
    assert nothing_filed()

    again = client.post(FILE, {**application(), "files__kept": token, "submit_now": "1"})
    assert again.status_code == 302
    case = Case.objects.get()
    [attachment] = case.attachments.all()
    assert attachment.filename == "情况说明.pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == body
    assert kept_tokens(client.post(FILE, {**application(), "files__kept": token})) == []


def test_a_new_file_on_the_retry_replaces_the_kept_one(client, staff):
    client.force_login(staff.cadre)
    response = client.post(FILE, {**application(title=""),
                                  "files": [SimpleUploadedFile("旧.pdf", PDF)]})
    [token] = kept_tokens(response)
    client.post(FILE, {**application(), "files__kept": token,
                       "files": [SimpleUploadedFile("新.pdf", PDF + b"%new")]})
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["新.pdf"]


def test_another_users_kept_token_is_ignored(client, staff, world):
    client.force_login(staff.cadre)
    response = client.post(FILE, {**application(title=""),
                                  "files": [SimpleUploadedFile("张三的.pdf", PDF)]})
    [token] = kept_tokens(response)
    thief = make_user("t_other_cadre", Role.CADRE, cadre=CadreFactory(unit=world.township_a1))
    client.force_login(thief)
    stolen = client.post(FILE, {**application(), "files__kept": token})
    assert stolen.status_code == 400
    assert stolen.context["form"].errors["files"] == ["上次选择的附件已不再保留，请重新选择。"]
    assert "张三的.pdf" not in stolen.content.decode()
    assert nothing_filed()


def test_an_expired_kept_token_asks_to_choose_again(client, staff, settings, monkeypatch):
    from core import kept_uploads

    settings.KEPT_UPLOAD_SECONDS = 3600
    client.force_login(staff.cadre)
    response = client.post(FILE, {**application(title=""),
                                  "files": [SimpleUploadedFile("a.pdf", PDF)]})
    [token] = kept_tokens(response)
    a_day_later = timezone.now() + dt.timedelta(hours=2)
    monkeypatch.setattr(kept_uploads.timezone, "now", lambda: a_day_later)
    again = client.post(FILE, {**application(), "files__kept": token})
    assert again.status_code == 400
    assert again.context["form"].errors["files"] == ["上次选择的附件已不再保留，请重新选择。"]
    assert nothing_filed()


def test_a_rejected_file_is_not_kept_and_asked_for_again(client, staff):
    client.force_login(staff.cadre)
    fake = SimpleUploadedFile("申请书.pdf", b"just some text")
    response = client.post(FILE, {**application(), "files": [fake]})
    assert kept_tokens(response) == []
    assert response.context["form"].kept == {}


def test_unit_hr_files_for_several_cadres_of_the_unit(client, staff, world, colleague):
    client.force_login(staff.hr)
    form = client.get(FILE).context["form"]
    assert sorted(name.split(" · ")[0] for _pk, name in form.fields["cadres"].choices) == [
        "张三", "赵六"
    ]
    response = client.post(FILE, {**application(), "cadres": [world.cadre_a1.pk, colleague.pk],
                                  "submit_now": "1"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.started_by, case.applicant_unit, case.state) == (
        StartedBy.UNIT, world.township_a1, CaseState.SUBMITTED
    )
    assert sorted(e.cadre.name for e in case.entries.all()) == ["张三", "赵六"]


def test_unit_hr_cannot_file_for_a_cadre_of_another_unit(client, staff, world):
    client.force_login(staff.hr)
    response = client.post(FILE, {**application(), "cadres": [world.cadre_b1.pk]})
    assert response.status_code == 400
    assert "cadres" in response.context["form"].errors
    assert nothing_filed()


def test_staff_open_a_case_ex_officio(client, staff, world):
    client.force_login(staff.clerk)
    form = client.get(FILE).context["form"]
    assert [value for value, _label in form.fields["started_by"].choices] == [
        "ex_officio_inspection", "ex_officio_investigation", "ex_officio_accountability"
    ]
    response = client.post(FILE, {**application(), "started_by": "ex_officio_investigation",
                                  "cadres": [world.cadre_a1.pk], "submit_now": "1"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.started_by, case.filed_by, case.state, case.authority) == (
        StartedBy.EX_OFFICIO_INVESTIGATION, staff.clerk, CaseState.SUBMITTED,
        world.county_a_org,
    )


def test_staff_cannot_pretend_to_be_the_cadre(client, staff, world):
    client.force_login(staff.clerk)
    response = client.post(FILE, {**application(), "started_by": "cadre",
                                  "cadres": [world.cadre_a1.pk]})
    assert response.status_code == 400
    assert nothing_filed()


@pytest.mark.parametrize("who", ["outsider", "members"])
def test_people_who_cannot_file_get_404(client, staff, who):
    user = staff.outsider if who == "outsider" else staff.members[0]
    user.authorities.clear()
    client.force_login(user)
    assert client.get(FILE).status_code == 404
    assert client.post(FILE, application()).status_code == 404


# --- my cases ------------------------------------------------------------------------------


def my_rows(client, user):
    client.force_login(user)
    response = client.get(MINE)
    assert response.status_code == 200
    return response.context["rows"]


def test_my_cases_shows_status_next_step_and_due_date(client, flow, staff):
    draft = flow.filed()
    submitted = flow.submitted()
    rows = my_rows(client, staff.cadre)
    assert [row["case"].pk for row in rows] == [submitted.pk, draft.pk]
    assert rows[0]["next_step"] == "受理机关正在审查是否受理。"
    assert rows[1]["next_step"] == "请完善申请材料后提交受理机关。"
    body = client.get(MINE).content.decode()
    assert submitted.due_on.isoformat() in body


def test_my_cases_lists_only_my_entry_of_a_unit_case(client, flow, staff, world, colleague):
    case = flow.submitted(by=staff.hr, started_by=StartedBy.UNIT,
                          cadres=[world.cadre_a1, colleague])
    flow.submitted(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION,
                   cadres=[colleague])
    [row] = my_rows(client, staff.cadre)
    assert row["case"].pk == case.pk
    assert [e.cadre.name for e in row["entries"]] == ["张三"]
    assert [len(r["entries"]) for r in my_rows(client, staff.hr)] == [2]


def test_my_cases_offers_the_appeal_window_and_own_documents(
    client, flow, staff, world, colleague
):
    case = flow.decided(by=staff.hr, started_by=StartedBy.UNIT,
                        cadres=[world.cadre_a1, colleague], outcome="lighter")
    case = case_feed_back(case, actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    [row] = my_rows(client, staff.cadre)
    due = case.appeal_due_on.isoformat()
    assert row["next_step"] == f"如对认定结论有异议，可于{due}前申请复核。"
    assert row["appeal_until"] == case.appeal_due_on
    own = IssuedDocument.objects.get(kind="tolerance_ruling", cadre=world.cadre_a1)
    others = IssuedDocument.objects.get(kind="tolerance_ruling", cadre=colleague)
    assert [d.kind for d in row["documents"]] == ["acceptance_notice", "tolerance_ruling"]
    assert own in row["documents"] and others not in row["documents"]
    assert [e.outcome for e in row["entries"]] == [Outcome.LIGHTER]
    assert (row["delivery"].delivered_on, row["delivery"].appeal_due_on) == (
        timezone.localdate(), case.appeal_due_on)
    client.force_login(staff.cadre)
    download = client.get(reverse("documents:download", args=[own.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client.get(reverse("documents:download", args=[others.pk])).status_code == 404


def test_my_cases_shows_no_appeal_date_before_feedback(client, flow, staff, world):
    flow.decided(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1])
    [row] = my_rows(client, staff.cadre)
    assert row["appeal_until"] is None
    client.force_login(staff.cadre)
    assert 'data-testid="appeal-until"' not in client.get(reverse("tolerance:my_cases")).text


def test_my_cases_is_empty_for_someone_without_cases(client, flow, staff):
    flow.submitted()
    assert my_rows(client, staff.outsider) == []


@pytest.mark.parametrize("count", [1, 5])
def test_my_cases_query_count_is_constant(client, flow, staff, django_assert_num_queries,
                                          count):
    for _ in range(count):
        flow.submitted()
    client.force_login(staff.cadre)
    client.get(MINE)
    with django_assert_num_queries(QUERIES):
        response = client.get(MINE)
    assert len(response.context["rows"]) == count
    assert CaseCadre.objects.count() == count


# Session, user, roles; the count, the page of cases, their cadres, the documents and the
# deliveries of the page.
QUERIES = 8
