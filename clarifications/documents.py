"""The clarification notice (澄清正名通知书): rendered purely, issued once via core.documents
by a Celery task (clarifications.tasks) queued through core.outbox, never in a request.

Numbered per issuing authority in the series 澄 (e.g. 甲组澄〔2026〕1号), hashed and archived
by core.documents.document_issue. The notice names the cadre (or unit) clarified, never the
informant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import pgettext

from core import audit, wording
from core.drafts import DraftSource, issue_or_draft
from core.models import DocumentKind, IssuedDocument, User
from core.outbox import enqueue
from core.pdf import in_chinese, letterhead_size, render_pdf

from .errors import ClarificationError
from .models import Clarification, Petition
from .permissions import can_handle

SERIES = "澄"
TEMPLATE = "clarifications/pdf/clarification_notice.html"
CONTEXT = "clarification document"


@in_chinese
def notice_title(clarification: Clarification) -> str:
    petition = clarification.petition
    if petition.cadre_id is None:  # a unit reported on: no 同志
        return pgettext(CONTEXT, "Notice of clarification concerning the unit %(name)s") % {
            "name": petition.subject_name
        }
    return pgettext(CONTEXT, "Notice of clarification concerning %(name)s") % {
        "name": petition.subject_name
    }


@in_chinese
def notice_context(clarification: Clarification) -> dict:
    petition = clarification.petition
    authority = petition.authority
    return {
        "clarification": clarification,
        "petition": petition,
        "authority": authority,
        "letterhead_size": letterhead_size(authority.name),
        "subject_name": petition.subject_name,
        "subject_unit": petition.cadre.unit.name if petition.cadre_id else "",
        "subject_position": petition.cadre.position if petition.cadre_id else "",
        "method": clarification.get_method_display(),
        "outcome": petition.get_outcome_display(),
        "is_false_accusation": petition.outcome == "false_accusation",
        "verify_url": settings.SITE_URL.rstrip("/") + reverse("documents:verify"),
        # after "核查结论：…。": what was clarified, without a conclusion lead-in of its own
        "content": wording.without_lead(clarification.content, ("核查结论", "澄清内容")),
    }


@in_chinese
def render_notice(context: dict, number: str, issued_on) -> tuple[str, str, bytes]:
    """(filename, content type, PDF bytes); saves nothing, so previews can call it too."""
    title = notice_title(context["clarification"])
    pdf = render_pdf(
        TEMPLATE, {**context, "number": number, "issued_on": issued_on, "title": title}
    )
    return f"{number}-{title}.pdf", "application/pdf", pdf


def clarification_issue_notice(clarification: Clarification, *, actor: User) -> None:
    """Ask for the notice: checked, audited, and issued by a Celery task queued through the
    outbox (clarifications.tasks.issue_clarification_notice) after the commit, never in the
    request. Asking again queues nothing new once the notice exists; the task is keyed, so
    two requests still issue one notice under one number. The task is named, not imported:
    it calls issue_notice back (core.outbox.enqueue)."""
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=clarification.petition_id)
        if not can_handle(actor, petition):
            raise ClarificationError(
                pgettext("clarifications", "Only the handling staff of this authority can do this.")
            )
        if Clarification.objects.filter(pk=clarification.pk, document__isnull=False).exists():
            return
        audit.record(
            "clarifications.notice.request",
            actor=actor,
            obj=clarification,
            after={"petition": petition.pk},
            authority_id=petition.authority_id,
        )
        enqueue(
            "clarifications.tasks.issue_clarification_notice",
            clarification_id=clarification.pk,
            actor_id=actor.pk,
        )


def _clarification(clarification_id: int) -> Clarification | None:
    return (
        Clarification.objects.select_related("petition__authority", "petition__cadre__unit")
        .filter(pk=clarification_id)
        .first()
    )


def issue_notice(clarification_id: int, *, actor: User | None) -> IssuedDocument | None:
    """Issue the notice once (the task calls this; a second call returns the same document).
    When the kind needs a sign-off (core.drafts) its draft is opened instead and None
    returned; the sign-off issues it and links it to the clarification (`notice_issued`)."""
    clarification = _clarification(clarification_id)
    if clarification is None:
        return None
    petition = clarification.petition
    context = notice_context(clarification)
    # Outside a transaction, so that on SQLite the PDF is rendered ahead of the write lock
    # (core.documents.rendered_ahead); linking it again on a rerun changes nothing.
    document = issue_or_draft(
        key=f"clarifications.notice:clarification={clarification.pk}",
        kind=DocumentKind.CLARIFICATION_NOTICE,
        authority=petition.authority,
        series=SERIES,
        title=notice_title(clarification),
        render=lambda number, issued_on: render_notice(context, number, issued_on),
        subject=clarification,
        cadre=petition.cadre,
        actor=actor,
    )
    if document is not None:
        notice_issued(None, document)
    return document


# --- the notice as a draft (core.drafts) ---------------------------------------------------


def notice_issued(draft, document: IssuedDocument) -> None:
    """The clarification points at its notice (the newest, after a correction)."""
    Clarification.objects.filter(pk=document.object_id).update(document=document)


def render_draft(draft):
    context = notice_context(_clarification(draft.object_id))
    return lambda number, issued_on: render_notice(context, number, issued_on)


def draft_recipients(draft) -> list[User]:
    """The cadre clarified, when they have a login (never the informant)."""
    if draft.cadre_id is None:
        return []
    return list(User.objects.filter(is_active=True, cadre_id=draft.cadre_id))


def draft_page(draft) -> str:
    clarification = _clarification(draft.object_id)
    return reverse("clarifications:petition", args=[clarification.petition_id])


DRAFT_SOURCE = DraftSource(
    render=render_draft, recipients=draft_recipients, issued=notice_issued, page=draft_page
)
