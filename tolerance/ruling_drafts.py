"""Tolerance rulings as drafts (core.drafts): rendered from the case as it is now, checked,
signed off, then issued by core.tasks.issue_draft; once every cadre's ruling is issued, the
case moves on to "ruling issued" (tolerance.rulings.issue_rulings, called again)."""

from __future__ import annotations

from core.drafts import DraftSource
from core.models import DocumentDraft, DocumentKind, IssuedDocument

from . import rulings


def _entry(case, draft: DocumentDraft):
    return next(e for e in case.entries.all() if e.cadre_id == draft.cadre_id)


def render(draft: DocumentDraft):
    case = rulings._case(draft.object_id)
    context = rulings.ruling_context(case, _entry(case, draft))
    return lambda number, issued_on: rulings.render_document(
        DocumentKind.TOLERANCE_RULING, context, number, issued_on
    )


def recipients(draft: DocumentDraft):
    from .workflow import people_concerned

    return people_concerned(rulings._case(draft.object_id))


def issued(draft: DocumentDraft, document: IssuedDocument) -> None:
    rulings.issue_rulings(draft.object_id)


def page(draft: DocumentDraft) -> str:
    from .workflow import case_url

    return case_url(rulings._case(draft.object_id))


SOURCE = DraftSource(render=render, recipients=recipients, issued=issued, page=page)
