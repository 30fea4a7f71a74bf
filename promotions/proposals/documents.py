"""Adjustment proposal and decision documents: numbered, hashed PDFs (core.documents)."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from core import wording
from core.drafts import DraftSource, issue_or_draft
from core.models import DocumentKind, IssuedDocument
from core.pdf import letterhead_size, render_pdf
from promotions.models import Proposal

from .explain import clause_label, evidence_line

logger = logging.getLogger(__name__)

KINDS = {
    "proposal": (DocumentKind.ADJUSTMENT_PROPOSAL, "调建", "promotions/pdf/proposal.html"),
    "decision": (DocumentKind.ADJUSTMENT_DECISION, "调决", "promotions/pdf/decision.html"),
}
TITLES = {"proposal": "干部调整建议书", "decision": "干部调整决定书"}


def _ground_title(proposal: Proposal) -> str:
    """A staff ground's title in the proposal's policy version (e.g. 不胜任现职), else the
    area's label."""
    found = proposal.policy.jinan.ground(proposal.area) if proposal.policy_id else None
    return found.title if found else str(proposal.get_area_display())


def document_context(proposal: Proposal) -> dict:
    return {
        "proposal": proposal,
        "authority": proposal.authority,
        "cadre": proposal.cadre,
        "clause": clause_label(proposal.clause),
        "evidence": [evidence_line(row) for row in proposal.evidence],
        # under "事实：" and after "理由：": the staff's text without such a lead-in of its own
        "facts": wording.paragraphs(proposal.grounds, ("事实", "主要事实")),
        "decision_reason": wording.without_lead(proposal.decision_reason, ("理由", "理由是")),
        "ground": _ground_title(proposal),
        "letterhead_size": letterhead_size(proposal.authority.name),
    }


def render(kind: str, proposal: Proposal, number: str, issued_on) -> tuple[str, str, bytes]:
    """(filename, content type, bytes); saves nothing, so previews can use it too."""
    with translation.override("zh-hans"):
        title = TITLES[kind]
        pdf = render_pdf(
            KINDS[kind][2],
            {
                **document_context(proposal),
                "number": number,
                "issued_on": issued_on,
                "title": title,
            },
        )
    return f"{number}-{title}-{proposal.cadre.name}.pdf", "application/pdf", pdf


def issue_for(proposal_id: int, kind: str) -> IssuedDocument | None:
    proposal = (
        Proposal.objects.select_related("authority", "cadre", "unit", "policy")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        logger.warning("Proposal %s is gone; no %s document", proposal_id, kind)
        return None
    doc_kind, series, _template = KINDS[kind]
    # Drafted for its check and sign-off (None until then) when the kind needs one.
    return issue_or_draft(
        key=f"promotions.{kind}:proposal={proposal.pk}",
        kind=doc_kind,
        authority=proposal.authority,
        series=series,
        title=f"{TITLES[kind]}（{proposal.cadre.name}）",
        render=lambda number, issued_on: render(kind, proposal, number, issued_on),
        subject=proposal,
        cadre=proposal.cadre,
    )


def documents_of(proposal: Proposal) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=proposal.pk
    ).order_by("issued_at", "id")


# --- as drafts (core.drafts) --------------------------------------------------------------

DRAFT_KINDS = {
    DocumentKind.ADJUSTMENT_PROPOSAL: "proposal",
    DocumentKind.ADJUSTMENT_DECISION: "decision",
}


def render_draft(draft):
    """The proposal or decision rendered from the proposal as it is now (previews, issue)."""
    proposal = (
        Proposal.objects.select_related("authority", "cadre__unit", "unit", "policy")
        .get(pk=draft.object_id)
    )
    kind = DRAFT_KINDS[draft.kind]
    return lambda number, issued_on: render(kind, proposal, number, issued_on)


def draft_page(draft) -> str:
    return reverse("promotions:proposal", args=[draft.object_id])


# A proposal is the department's own working paper (the cadre does not see it): the staff
# who checked and signed it off are told when it is issued, nobody else.
DRAFT_SOURCE = DraftSource(render=render_draft, page=draft_page)
