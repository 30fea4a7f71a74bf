"""Adjustment proposal and decision documents: what the PDF is given, the file name, issued
through the sign-off (drafted once) or at once, and the drafts' renderer and page."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import TargetAssessment
from core.drafts import drafts_of
from core.models import IssuedDocument
from promotions.models import PromotionPolicy, Proposal
from promotions.proposals.documents import (
    DRAFT_SOURCE,
    _ground_title,
    document_context,
    documents_of,
    issue_for,
    render,
    render_draft,
)
from promotions.triggers.scan import scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(world, county) -> Proposal:
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    return Proposal.objects.select_related("authority", "cadre", "unit", "policy").get()


@pytest.fixture
def rendered(monkeypatch):
    seen = []

    def render_pdf(template, context):
        seen.append((template, context))
        return b"%PDF-1.7\n"

    monkeypatch.setattr("promotions.proposals.documents.render_pdf", render_pdf)
    return seen


def test_the_context_reads_the_clause_evidence_and_texts_without_lead_ins(proposal, county):
    Proposal.objects.filter(pk=proposal.pk).update(
        grounds="事实：连续两年未完成任务。\n\n第二段。", decision_reason="理由是：考核较差。"
    )
    proposal.refresh_from_db()

    context = document_context(proposal)

    assert context["cadre"] == county.secretary
    assert context["clause"] == "当年目标责任考核为“较差”"
    assert context["evidence"] == ["2023年目标责任考核：较差"]
    assert context["facts"] == ["连续两年未完成任务。", "第二段。"]
    assert context["decision_reason"] == "考核较差。"
    assert context["ground"] == "年度目标责任考核"  # no staff ground: the area
    assert context["letterhead_size"] > 0


def test_a_staff_ground_is_titled_by_the_policy_version(proposal, world):
    policy = PromotionPolicy.objects.get(jurisdiction_code=world.county_a.code)
    Proposal.objects.filter(pk=proposal.pk).update(area="unfit", policy=policy)
    proposal.refresh_from_db()

    assert _ground_title(proposal) == "不胜任现职"
    Proposal.objects.filter(pk=proposal.pk).update(policy=None)
    proposal.refresh_from_db()
    assert _ground_title(proposal) == str(proposal.get_area_display())


def test_render_names_the_file_and_passes_number_and_date(proposal, rendered):
    day = timezone.localdate()

    name, content_type, pdf = render("decision", proposal, "甲组调决〔2026〕3号", day)

    assert (name, content_type, pdf) == (
        "甲组调决〔2026〕3号-干部调整决定书-县委书记.pdf", "application/pdf", b"%PDF-1.7\n"
    )
    [(template, context)] = rendered
    assert template == "promotions/pdf/decision.html"
    assert (context["number"], context["issued_on"], context["title"]) == (
        "甲组调决〔2026〕3号", day, "干部调整决定书"
    )


def test_a_kind_needing_sign_off_is_drafted_once(proposal, rendered):
    assert issue_for(proposal.pk, "proposal") is None
    assert issue_for(proposal.pk, "proposal") is None

    [draft] = drafts_of(proposal)
    assert (draft.kind, draft.document_id) == ("adjustment_proposal", None)
    assert not IssuedDocument.objects.exists()
    assert DRAFT_SOURCE.page(draft) == reverse("promotions:proposal", args=[proposal.pk])
    name, _type, _pdf = render_draft(draft)("甲组调建〔2026〕1号", timezone.localdate())
    assert name == "甲组调建〔2026〕1号-干部调整建议书-县委书记.pdf"


def test_without_sign_off_the_document_is_issued_once(proposal, rendered, settings):
    settings.DOCUMENT_SIGNOFF_KINDS = []

    document = issue_for(proposal.pk, "proposal")

    assert (document.kind, document.series, document.cadre) == (
        "adjustment_proposal", "调建", proposal.cadre
    )
    assert document.title == "干部调整建议书（县委书记）"
    assert issue_for(proposal.pk, "proposal") == document
    assert list(documents_of(proposal)) == [document]


def test_a_proposal_that_is_gone_issues_nothing(db, caplog):
    with caplog.at_level(logging.WARNING, logger="promotions.proposals.documents"):
        assert issue_for(10**9, "decision") is None

    assert "is gone; no decision document" in caplog.text
    assert not IssuedDocument.objects.exists()
