"""The documents of a tolerance case as drafts (core.drafts): notices, rulings and appeal
decisions are each rendered from the case as it is now, checked, signed off, then issued by
core.tasks.issue_draft. Once every cadre's ruling is issued, the case moves on to "ruling
issued" (tolerance.rulings.issue_rulings, called again)."""

from __future__ import annotations

from core.drafts import DraftSource
from core.models import DocumentDraft, DocumentKind, IssuedDocument

from . import rulings


def _entry(case, draft: DocumentDraft):
    return next(e for e in case.entries.all() if e.cadre_id == draft.cadre_id)


def render_ruling(draft: DocumentDraft):
    case = rulings._case(draft.object_id)
    context = rulings.ruling_context(case, _entry(case, draft))
    return lambda number, issued_on: rulings.render_document(
        DocumentKind.TOLERANCE_RULING, context, number, issued_on
    )


def render_notice(draft: DocumentDraft):
    case = rulings._case(draft.object_id)
    context = rulings.notice_context(case, draft.kind)
    return lambda number, issued_on: rulings.render_document(draft.kind, context, number, issued_on)


def render_appeal_decision(draft: DocumentDraft):
    from .models import Appeal

    case = rulings._case(draft.object_id)
    entry = _entry(case, draft)
    appeal = Appeal.objects.select_related("filed_by__unit").get(entry_id=entry.pk)
    context = rulings.appeal_context(case, appeal)
    return lambda number, issued_on: rulings.render_document(
        DocumentKind.APPEAL_DECISION, context, number, issued_on
    )


def recipients(draft: DocumentDraft):
    from .workflow import people_concerned

    return people_concerned(rulings._case(draft.object_id))


def ruling_issued(draft: DocumentDraft, document: IssuedDocument) -> None:
    rulings.issue_rulings(draft.object_id)


def page(draft: DocumentDraft) -> str:
    from .workflow import case_url

    return case_url(rulings._case(draft.object_id))


def signers(draft: DocumentDraft) -> list[str] | None:
    """Who signs off this kind under the case's policy version (None: the site's setting)."""
    from .models import Case

    roles = (
        Case.objects.filter(pk=draft.object_id)
        .values_list("policy_version__signing_roles", flat=True)
        .first()
    )
    return (roles or {}).get(draft.kind) or None


SOURCE = DraftSource(
    render=render_ruling, recipients=recipients, issued=ruling_issued, page=page, signers=signers
)
SOURCES = {
    DocumentKind.ACCEPTANCE_NOTICE: DraftSource(
        render=render_notice, recipients=recipients, page=page, signers=signers
    ),
    DocumentKind.NON_ACCEPTANCE_NOTICE: DraftSource(
        render=render_notice, recipients=recipients, page=page, signers=signers
    ),
    DocumentKind.TOLERANCE_RULING: SOURCE,
    DocumentKind.APPEAL_DECISION: DraftSource(
        render=render_appeal_decision, recipients=recipients, page=page, signers=signers
    ),
}
