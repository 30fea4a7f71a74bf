"""Test helper: take every drafted document through its check (核稿) and sign-off (签发), as
the staff would (core.drafts), and issue it as core.tasks.issue_draft would after the commit
(it is idempotent, so the task running later changes nothing)."""

from __future__ import annotations

from core.drafts import draft_issue, draft_transition
from core.models import DocumentDraft, DraftState, IssuedDocument


def sign_drafts(*, checker, signer, **filters) -> list[IssuedDocument]:
    issued = []
    for draft in DocumentDraft.objects.filter(state=DraftState.DRAFTED, **filters).order_by("pk"):
        draft = draft_transition(draft, actor=checker, action="check")
        draft = draft_transition(draft, actor=signer, action="sign")
        issued.append(draft_issue(draft.pk))
    return issued
