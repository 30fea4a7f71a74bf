"""Rulings go draft → check (核稿) → sign-off (签发) → issue (core.drafts), per case."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.documents import verify_document
from core.drafts import document_correct, draft_preview, draft_transition, drafts_of
from core.errors import ActionRefused, StateChanged
from core.models import AuditEvent, DocumentDraft, IssuedDocument, Notification, OutboxTask
from tests.pdftext import flat_text, pdf_text
from tolerance.enums import CaseState, Outcome


@pytest.fixture
def drafted(flow):
    """A decided case whose ruling is drafted, not yet checked."""
    return flow.decided(outcome=Outcome.LIGHTER, sign=False)


def _draft(case) -> DocumentDraft:
    return drafts_of(case).get(kind="tolerance_ruling")


def test_decision_drafts_the_ruling_without_a_number(drafted, world):
    draft = _draft(drafted)
    assert (draft.state, draft.kind, draft.cadre_id) == ("drafted", "tolerance_ruling",
                                                         world.cadre_a1.pk)
    assert draft.title == "容错认定决定书（张三）"
    assert not IssuedDocument.objects.filter(kind="tolerance_ruling").exists()
    assert drafted.state == CaseState.DECIDED
    # 核稿 waits for the intake clerk, grouped under the case; nobody else is told yet.
    told = Notification.objects.filter(code="core.draft.to_check", params__title=draft.title)
    assert list(told.values_list("recipient__username", "target_type", "target_id")) == [
        ("t_clerk", "tolerance.case", drafted.pk)
    ]
    signers = Notification.objects.filter(code="core.draft.to_sign", params__title=draft.title)
    assert not signers.exists()


def test_preview_is_watermarked_and_has_no_number(drafted):
    filename, content_type, content = draft_preview(_draft(drafted))
    text = flat_text(content)
    pages = len(re.findall(r"—\d+—", text))
    assert content_type == "application/pdf"
    assert filename.startswith("草稿-")
    # The watermark 草稿 is drawn once across every page (the ruling itself has neither).
    assert pages >= 1
    assert (text.count("草"), text.count("稿")) == (pages, pages)
    assert "〔" not in text  # no document number anywhere
    assert not IssuedDocument.objects.filter(kind="tolerance_ruling").exists()


def test_preview_follows_the_record(drafted):
    draft = _draft(drafted)
    before = pdf_text(draft_preview(draft)[2])
    drafted.matter.__class__.objects.filter(pk=drafted.matter_id).update(title="改正后的事项名称")
    after = pdf_text(draft_preview(draft)[2])
    assert "改正后的事项名称" not in before
    assert "改正后的事项名称" in after


def test_check_then_sign_issues_with_number_and_moves_the_case(
    drafted, flow, staff, django_capture_on_commit_callbacks
):
    mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    draft = draft_transition(_draft(drafted), actor=staff.clerk, action="check")
    assert (draft.state, draft.checked_by) == ("checked", staff.clerk)
    # Checked: those who may sign it off must act (the approving leaders).
    assert sorted(
        Notification.objects.filter(pk__gt=mark).values_list("recipient__username", "code")
    ) == [("t_leader", "core.draft.to_sign"), ("t_reviewer", "core.draft.to_sign")]
    mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert not IssuedDocument.objects.filter(kind="tolerance_ruling").exists()
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_transition(draft, actor=staff.leader, action="sign")
    draft.refresh_from_db()
    document = draft.document
    assert draft.state == "issued"
    assert document.number == f"甲组容〔{document.issued_on.year}〕1号"
    assert verify_document(document.number, document.sha256).genuine
    assert document.issued_by == staff.leader
    case = drafted.__class__.objects.get(pk=drafted.pk)
    assert case.state == CaseState.RULING_ISSUED
    actions = list(
        AuditEvent.objects.filter(action__startswith="document.", object_id__in=[
            str(draft.pk), str(document.pk)])
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "document.draft.open",
        "document.draft.check",
        "document.draft.sign",
        "document.issue",
        "document.draft.issue",
    ]
    # Issued: the cadre it decides on, who checked and who signed it; the clerks must feed
    # it back. All of it grouped under the case.
    told = Notification.objects.filter(pk__gt=mark)
    assert sorted(told.values_list("recipient__username", "code")) == [
        ("t_cadre", "core.draft.issued"),
        ("t_clerk", "core.draft.issued"),
        ("t_clerk", "tolerance.case.rulings_issued"),
        ("t_leader", "core.draft.issued"),
    ]
    assert {(n.target_type, n.target_id) for n in told} == {("tolerance.case", case.pk)}


def test_the_drafter_cannot_check_and_the_checker_cannot_sign(drafted, staff):
    draft = _draft(drafted)
    with pytest.raises(ActionRefused):
        draft_transition(draft, actor=staff.cadre, action="check")
    with pytest.raises(ActionRefused):
        draft_transition(draft, actor=staff.clerk_b, action="check")  # another authority
    with pytest.raises(StateChanged):
        draft_transition(draft, actor=staff.leader, action="sign")  # not checked yet
    draft = draft_transition(draft, actor=staff.leader, action="check")
    with pytest.raises(ActionRefused) as refused:
        draft_transition(draft, actor=staff.leader, action="sign")  # checked it himself
    assert str(refused.value) == "只有未参与核稿、具有签发权限的人员才能签发。"
    with pytest.raises(ActionRefused):
        draft_transition(draft, actor=staff.clerk, action="sign")  # no signing authority
    draft.refresh_from_db()
    assert (draft.state, draft.signed_by) == ("checked", None)
    assert not OutboxTask.objects.filter(
        task="core.tasks.issue_draft", kwargs__draft_id=draft.pk).exists()
    assert not AuditEvent.objects.filter(
        action="document.draft.sign", object_id=str(draft.pk)).exists()


def test_signing_roles_are_policy_data(drafted, staff, settings):
    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": ["investigator"]}
    draft = draft_transition(_draft(drafted), actor=staff.clerk, action="check")
    with pytest.raises(ActionRefused):
        draft_transition(draft, actor=staff.leader, action="sign")
    draft = draft_transition(draft, actor=staff.investigator, action="sign")
    assert draft.signed_by == staff.investigator


def test_the_jurisdictions_policy_says_who_signs_before_the_setting(drafted, staff, settings):
    """The case's tolerance policy version names the signers of a kind; a kind it leaves
    out follows the setting (here: the investigator for appeal decisions)."""
    from core.drafts import signing_roles

    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": ["approving_leader"],
                                       "appeal_decision": ["investigator"]}
    from tolerance.models import PolicyVersion

    # (A published version is read-only through the model; the data is set directly here.)
    versions = PolicyVersion.objects.filter(pk=drafted.policy_version_id)
    versions.update(signing_roles={"tolerance_ruling": ["investigator"]})
    draft = _draft(drafted)
    assert signing_roles("tolerance_ruling", draft) == ("investigator",)
    assert signing_roles("tolerance_ruling") == ("approving_leader",)  # no draft: the setting
    other = DocumentDraft(kind="appeal_decision", content_type=draft.content_type,
                          object_id=drafted.pk, authority=draft.authority)
    assert signing_roles("appeal_decision", other) == ("investigator",)
    draft = draft_transition(draft, actor=staff.clerk, action="check")
    with pytest.raises(ActionRefused):
        draft_transition(draft, actor=staff.leader, action="sign")  # the setting's signer
    draft = draft_transition(draft, actor=staff.investigator, action="sign")
    assert draft.signed_by == staff.investigator
    assert draft.signers == ",investigator,"
    versions.update(signing_roles={})
    # The draft keeps the signers fixed when it was checked; a draft not yet checked
    # follows the policy as it now reads (the setting).
    assert signing_roles("tolerance_ruling", draft) == ("investigator",)
    draft.signers = ""
    assert signing_roles("tolerance_ruling", draft) == ("approving_leader",)


def test_a_policy_version_refuses_unknown_kinds_or_roles(drafted):
    from django.core.exceptions import ValidationError

    version = drafted.policy_version
    for bad in ({"memo": ["approving_leader"]}, {"tolerance_ruling": ["chef"]},
                {"tolerance_ruling": []}, ["approving_leader"]):
        version.signing_roles = bad
        with pytest.raises(ValidationError) as refused:
            version.clean()
        assert list(refused.value.message_dict) == ["signing_roles"]


def test_second_sign_off_is_told_someone_was_first(
    drafted, staff, django_capture_on_commit_callbacks
):
    draft = draft_transition(_draft(drafted), actor=staff.clerk, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=staff.leader, action="sign")
    with pytest.raises(StateChanged) as refused:
        draft_transition(draft, actor=staff.reviewer, action="sign")
    assert str(refused.value) == "他人已先行办理：当前为“已印发”。"
    assert IssuedDocument.objects.filter(kind="tolerance_ruling").count() == 1


def test_correction_supersedes_under_a_new_number(flow, staff, django_capture_on_commit_callbacks):
    case = flow.decided(outcome=Outcome.LIGHTER)
    old = IssuedDocument.objects.get(kind="tolerance_ruling")
    with pytest.raises(ActionRefused):
        document_correct(old, actor=staff.clerk, reason="  ")
    with pytest.raises(ActionRefused):
        document_correct(old, actor=staff.cadre, reason="笔误")
    draft = document_correct(old, actor=staff.clerk, reason="当事人职务表述有误")
    assert document_correct(old, actor=staff.clerk, reason="再次") == draft  # one at a time
    draft = draft_transition(draft, actor=staff.investigator, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=staff.leader, action="sign")
    draft.refresh_from_db()
    new = draft.document
    year = new.issued_on.year
    assert (old.number, new.number) == (f"甲组容〔{year}〕1号", f"甲组容〔{year}〕2号")
    assert (new.supersedes, new.correction_reason) == (old, "当事人职务表述有误")
    result = verify_document(old.number, old.sha256)
    assert (result.status, result.successor) == ("genuine", new)
    assert verify_document(new.number, new.sha256).successor is None
    with pytest.raises(StateChanged):
        document_correct(old, actor=staff.clerk, reason="又一次")
    case.refresh_from_db()
    assert case.state == CaseState.RULING_ISSUED


def test_verification_page_names_the_successor(
    client, flow, staff, django_capture_on_commit_callbacks
):
    flow.decided(outcome=Outcome.LIGHTER)
    old = IssuedDocument.objects.get(kind="tolerance_ruling")
    draft = document_correct(old, actor=staff.clerk, reason="更正")
    draft = draft_transition(draft, actor=staff.investigator, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=staff.leader, action="sign")
    new = IssuedDocument.objects.get(supersedes=old)
    page = client.post(reverse("documents:verify"), {"number": old.number, "sha256": old.sha256})
    text = page.content.decode()
    assert 'data-testid="superseded"' in text
    assert new.number in text
    page = client.post(reverse("documents:verify"), {"number": new.number, "sha256": new.sha256})
    assert 'data-testid="superseded"' not in page.content.decode()


def test_approval_form_for_the_sign_off(client, drafted, staff):
    from core.drafts import approval_form

    draft = draft_transition(_draft(drafted), actor=staff.clerk, action="check")
    filename, content_type, content = approval_form(draft)
    text = flat_text(content)
    assert (filename, content_type) == ("呈批件-容错认定决定书（张三）.pdf", "application/pdf")
    assert "文书签发呈批件" in text
    assert "容错认定决定书（张三）" in text
    assert "签发后编定" in text  # no number before the sign-off
    assert f"核稿{staff.clerk}" in text
    client.force_login(staff.leader)
    page = client.get(reverse("documents:approval_form", args=[draft.pk]))
    assert page.status_code == 200 and page.content.startswith(b"%PDF")
    client.force_login(staff.cadre)
    assert client.get(reverse("documents:approval_form", args=[draft.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="document.draft.approval_form").count() == 1
