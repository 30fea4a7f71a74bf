"""The approval of an exceptional promotion (破格提拔批复): drafted on approval, no number
until a second staff member checks it and the approving leader signs it off; its text only
states what the request records; whoever sees the request reads it."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from core.document_access import get_document_for_user
from core.drafts import draft_preview, draft_transition, drafts_of
from core.errors import ActionRefused
from core.models import DocumentDraft, IssuedDocument, OutboxTask
from promotions.exceptional.services import exceptional_transition
from promotions.exceptional.thresholds import threshold_text
from tests.factories import make_user
from tests.pdftext import assert_official, flat_text
from tests.promotions.conftest import request_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(county, exc, django_capture_on_commit_callbacks):
    request = exceptional_transition(
        request_for(exc, county.clerk), actor=county.clerk, action="submit"
    )
    with django_capture_on_commit_callbacks(execute=True):
        return exceptional_transition(request, actor=exc.leader, action="approve", reason="同意")


def test_approval_is_drafted_without_a_number(approved, exc):
    assert OutboxTask.objects.filter(
        task="promotions.tasks.issue_exceptional_document").count() == 1
    draft = drafts_of(approved).get()
    assert (draft.kind, draft.state, draft.series, draft.cadre) == (
        "exceptional_promotion", "drafted", "破", exc.cadre)
    assert draft.title == "关于同意破格提拔谢允岗同志的批复"
    assert not IssuedDocument.objects.exists()
    filename, _type, content = draft_preview(draft)
    text = flat_text(content)
    assert filename.startswith("草稿-")
    assert "〔" not in text  # no number
    assert "谢允岗" in text and "社区服务中心主任" in text
    assert "负责整村拆迁，工作实绩突出，群众基础较好。" in text
    # each waived threshold, as computed on submission, and nothing the request lacks
    assert approved.waived == ["years_in_rank"]
    with translation.override("zh-hans"):
        waived = [threshold_text(row) for row in approved.thresholds if row["status"] == "waived"]
    for line in waived:
        assert "".join(line.split()) in text
    assert "同意破格提拔谢允岗同志（甲县城关镇，现为" in text


def test_check_and_sign_off_issue_it_under_its_number(approved, county, exc,
                                                       django_capture_on_commit_callbacks):
    draft = drafts_of(approved).get()
    with pytest.raises(ActionRefused):
        draft_transition(draft, actor=county.clerk, action="sign")  # no signing authority
    draft = draft_transition(draft, actor=county.clerk, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=exc.leader, action="sign")
    draft = DocumentDraft.objects.get(pk=draft.pk)
    document = draft.document
    year = timezone.localdate().year
    assert (draft.state, document.number, document.kind, document.issued_by) == (
        "issued", f"甲组破〔{year}〕1号", "exceptional_promotion", exc.leader)
    content = document.file.open("rb").read()
    text = flat_text(content)
    assert document.number in text and "谢允岗" in text
    assert_official(content)  # 仿宋 body, 小标宋 title, 版记 last, outer page numbers


def test_whoever_sees_the_request_reads_the_approval(approved, county, exc, client, world,
                                                      django_capture_on_commit_callbacks):
    draft = draft_transition(drafts_of(approved).get(), actor=county.clerk, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=exc.leader, action="sign")
    document = IssuedDocument.objects.get()
    for user in (county.clerk, county.auditor, exc.cadre_user, exc.leader):
        assert get_document_for_user(user, document.pk) == document
    stranger = make_user("p_stranger")
    for user in (county.clerk_city, stranger):
        with pytest.raises(Http404):
            get_document_for_user(user, document.pk)
    client.force_login(exc.cadre_user)
    page = client.get(reverse("promotions:exceptional", args=[approved.pk]))
    assert page.context["documents"] == [document] and page.context["drafts"] == []
