"""Every sentence from a fact on the record, no phrase said twice: each official document
kind, rendered from a record whose typed texts already begin with the lead-in its template
writes ("经调查核实", "理由", "破格理由", "核查结论", …), never repeats it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.drafts import SOURCES
from core.models import DocumentDraft, DocumentKind
from core.wording import paragraphs, without_lead
from tests.clarifications.conftest import media, people, petitions  # noqa: F401 - fixtures
from tests.pdftext import flat_text
from tests.promotions.conftest import county, exc, request_for  # noqa: F401 - fixtures
from tests.tolerance.conftest import TOLERABLE_FINDINGS, flow, staff  # noqa: F401 - fixtures
from tolerance.enums import Outcome
from tolerance.models import CaseCadre

# A CJK phrase of four or more characters said twice in a row, maybe with punctuation
# between ("经调查核实：经调查核实"); shorter ones are natural Chinese ("予以调整，调整方式"),
# except the lead-ins the templates write themselves ("理由：理由").
DOUBLED = re.compile(r"([\u4e00-\u9fff]{4,})[：:，,、]?\1")
LEADS = ("理由", "事实", "破格理由", "核查结论", "复核理由")


@pytest.mark.parametrize(
    ("text", "phrases", "written"),
    [
        ("理由：理由是当事人出于公心。", ("理由", "理由是"), "当事人出于公心。"),
        ("  破格理由：实绩突出", ("破格理由", "理由"), "实绩突出"),
        ("当事人的理由成立", ("理由",), "当事人的理由成立"),
        ("理由", ("理由",), ""),
        ("", ("理由",), ""),
    ],
)
def test_without_lead_is_pure(text, phrases, written):
    assert without_lead(text, phrases) == written


def test_paragraphs_drop_the_lead_of_the_first_only():
    assert paragraphs("理由：一是出于公心\n\n理由二：未谋私利\n", ("理由",)) == [
        "一是出于公心", "理由二：未谋私利",
    ]


def _render(kind: str, subject, cadre=None) -> str:
    draft = DocumentDraft(kind=kind, object_id=subject.pk, cadre=cadre)
    _name, _type, content = SOURCES[kind].render(draft)("", timezone.localdate())
    return flat_text(content)


def _said_once(text: str) -> None:
    assert DOUBLED.search(text) is None, DOUBLED.search(text).group(0)
    for lead in LEADS:
        assert re.search(f"{lead}[：:]?{lead}", text) is None, lead


@pytest.mark.django_db
def test_tolerance_documents_never_repeat_their_lead_ins(flow, staff, world,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    from tolerance.appeals import appeal_assign_reviewer, appeal_decide, appeal_file
    from tolerance.feedback import case_feed_back
    from tolerance.workflow import case_transition

    findings = {**TOLERABLE_FINDINGS, "findings_note": "经调查核实，当事人在推进工作中出于公心。"}
    case = flow.decided(outcome=Outcome.LIGHTER, findings=findings)
    entry = case.entries.get()
    CaseCadre.objects.filter(pk=entry.pk).update(
        outcome_reason="理由：符合容错情形，情节较轻。",
        departure_reason="作出上述结论还考虑了以下情况：事后积极补救。",
    )
    ruling = _render(DocumentKind.TOLERANCE_RULING, case, world.cadre_a1)
    assert "经调查核实：当事人在推进工作中出于公心。" in ruling
    assert "理由：符合容错情形，情节较轻。" in ruling
    assert "作出上述结论还考虑了以下情况：事后积极补救。" in ruling
    _said_once(ruling)
    notice = _render(DocumentKind.ACCEPTANCE_NOTICE, case)
    assert case.reference in notice
    _said_once(notice)

    case = case_feed_back(case, actor=staff.clerk, method="in_person",
                          delivered_on=timezone.localdate())
    appeal = appeal_file(case.entries.get(), actor=staff.cadre, reason="认定过重")
    appeal = appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(appeal, actor=staff.reviewer, new_outcome=None,
                      reason="理由：原认定事实清楚，依据充分。")
    decision = _render(DocumentKind.APPEAL_DECISION, case, world.cadre_a1)
    assert "原认定事实清楚，依据充分。" in decision and "理由：原认定" not in decision
    _said_once(decision)

    refused = flow.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        refused = case_transition(refused, actor=staff.clerk, action="reject",
                                  reason="不予受理的理由：不属于容错纠错受理范围。")
    non_acceptance = _render(DocumentKind.NON_ACCEPTANCE_NOTICE, refused)
    assert "不属于容错纠错受理范围。" in non_acceptance
    assert "不予受理的理由" not in non_acceptance
    _said_once(non_acceptance)


@pytest.mark.django_db
def test_promotion_documents_never_repeat_their_lead_ins(world, county, exc):  # noqa: F811
    from promotions.exceptional.services import exceptional_transition
    from promotions.grounds.services import proposal_propose
    from promotions.proposals.workflow import proposal_transition

    proposal = proposal_propose(
        county.deputy, actor=county.clerk, ground="unfit", year=2025,
        facts="事实：分管领域连续两年重点任务未完成。", evidence="2024年度督查通报",
    )
    text = _render(DocumentKind.ADJUSTMENT_PROPOSAL, proposal, county.deputy)
    assert "分管领域连续两年重点任务未完成。" in text
    _said_once(text)
    proposal = proposal_transition(proposal, actor=county.clerk, action="inspect")
    proposal = proposal_transition(
        proposal, actor=county.clerk, action="decide",
        changes={"decision": "adjust", "method": "transfer", "reason": "理由：不胜任现职"},
    )
    text = _render(DocumentKind.ADJUSTMENT_DECISION, proposal, county.deputy)
    assert "理由：不胜任现职" in text
    _said_once(text)

    request = request_for(exc, county.clerk, reasons="破格理由：负责整村拆迁，工作实绩突出。")
    request = exceptional_transition(request, actor=county.clerk, action="submit")
    request = exceptional_transition(request, actor=exc.leader, action="approve", reason="同意")
    text = _render(DocumentKind.EXCEPTIONAL_PROMOTION, request, exc.cadre)
    assert "破格理由：负责整村拆迁，工作实绩突出。" in text
    _said_once(text)


@pytest.mark.django_db
def test_the_clarification_notice_never_repeats_its_lead_in(petitions, people):  # noqa: F811
    from clarifications.models import Clarification

    clarification = petitions.clarified(held_on=dt.date(2026, 4, 1))
    Clarification.objects.filter(pk=clarification.pk).update(
        content="核查结论：查无实据，予以澄清正名。")
    text = _render(DocumentKind.CLARIFICATION_NOTICE, clarification, people.cadre.cadre)
    assert "查无实据，予以澄清正名。" in text
    _said_once(text)


def test_every_kind_is_covered_here():
    """A new kind of document gets its own case above (this list is the test's index)."""
    covered = {
        DocumentKind.TOLERANCE_RULING, DocumentKind.ACCEPTANCE_NOTICE,
        DocumentKind.APPEAL_DECISION, DocumentKind.NON_ACCEPTANCE_NOTICE,
        DocumentKind.ADJUSTMENT_PROPOSAL, DocumentKind.ADJUSTMENT_DECISION,
        DocumentKind.EXCEPTIONAL_PROMOTION, DocumentKind.CLARIFICATION_NOTICE,
    }
    assert covered == set(DocumentKind.values)
