"""The approval of an exceptional promotion (破格提拔批复, series 破) as an official document.

Asked for by `exceptional_transition` on "approve" through the outbox
(promotions.tasks.issue_exceptional_document); drafted, checked (核稿) by a second staff
member and signed off (签发) by someone with signing authority for the kind (core.drafts),
then issued by core.tasks.issue_draft. Its text says only what the request records: the
cadre, the post and rank, the situation of the measure relied on, each threshold waived (as
computed against the policy version) and the reasons.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from cadres.enums import Rank
from core import wording
from core.drafts import DraftSource, issue_or_draft
from core.models import DocumentDraft, DocumentKind, IssuedDocument, User
from core.pdf import letterhead_size, render_pdf
from promotions.enums import ExceptionalState
from promotions.models import ExceptionalRequest

from .thresholds import threshold_text

logger = logging.getLogger(__name__)

EXCEPTIONAL_SERIES = "破"
EXCEPTIONAL_TEMPLATE = "promotions/pdf/exceptional.html"
CONTEXT = "exceptional promotion document"


def _cadre_users(draft: DocumentDraft) -> list[User]:
    if draft.cadre_id is None:
        return []
    return list(User.objects.filter(is_active=True, cadre_id=draft.cadre_id))


def _request(pk: int) -> ExceptionalRequest | None:
    return (
        ExceptionalRequest.objects.select_related("authority", "cadre__unit", "unit", "policy")
        .filter(pk=pk)
        .first()
    )


def exceptional_title(request: ExceptionalRequest) -> str:
    with translation.override("zh-hans"):
        return pgettext(CONTEXT, "Reply approving the exceptional promotion of %(name)s") % {
            "name": request.cadre.name
        }


def exceptional_context(request: ExceptionalRequest) -> dict:

    with translation.override("zh-hans"):
        return {
            "request": request,
            "authority": request.authority,
            "letterhead_size": letterhead_size(request.authority.name),
            "cadre": request.cadre,
            "addressee": request.unit.name,
            "current_rank": str(Rank(request.current_rank).label),
            "target_rank": str(Rank(request.target_rank).label),
            "waived": [threshold_text(row) for row in request.thresholds
                       if row.get("status") == "waived"],
            # under "破格理由：": the reasons without a lead-in of their own
            "reasons": wording.paragraphs(request.reasons, ("破格理由", "理由")),
            "decided_on": request.decided_at.date() if request.decided_at else None,
            "verify_url": settings.SITE_URL.rstrip("/") + reverse("documents:verify"),
            "copy_to": [request.unit.name],
        }


def render_exceptional(context: dict, number: str, issued_on) -> tuple[str, str, bytes]:
    """(filename, content type, PDF bytes); saves nothing, so previews can call it too."""
    with translation.override("zh-hans"):
        title = exceptional_title(context["request"])
        pdf = render_pdf(
            EXCEPTIONAL_TEMPLATE,
            {**context, "number": number, "issued_on": issued_on, "title": title},
        )
    return f"{number}-{title}.pdf", "application/pdf", pdf


def exceptional_key(request: ExceptionalRequest) -> str:
    return f"promotions.exceptional:request={request.pk}"


def issue_exceptional(request_id: int) -> IssuedDocument | None:
    """The approval of an approved request: drafted for its sign-off (or issued, when the
    kind needs none). Safe to run again; None while it waits for the sign-off."""
    request = _request(request_id)
    if request is None:
        logger.warning("Exceptional-promotion request %s is gone; nothing issued", request_id)
        return None
    if request.state != ExceptionalState.APPROVED:
        logger.warning("Request %s is %s: no approval to issue", request.pk, request.state)
        return None
    context = exceptional_context(request)
    return issue_or_draft(
        key=exceptional_key(request),
        kind=DocumentKind.EXCEPTIONAL_PROMOTION,
        authority=request.authority,
        series=EXCEPTIONAL_SERIES,
        title=exceptional_title(request),
        render=lambda number, issued_on: render_exceptional(context, number, issued_on),
        subject=request,
        cadre=request.cadre,
    )


def render_exceptional_draft(draft: DocumentDraft):
    context = exceptional_context(_request(draft.object_id))
    return lambda number, issued_on: render_exceptional(context, number, issued_on)


def exceptional_page(draft: DocumentDraft) -> str:
    return reverse("promotions:exceptional", args=[draft.object_id])


def can_read_exceptional(user, document: IssuedDocument) -> bool:
    """Registered with core.documents: whoever sees the request reads its approval."""
    from .services import visible_requests

    if document.content_type_id != ContentType.objects.get_for_model(ExceptionalRequest).pk:
        return False
    return visible_requests(user).filter(pk=document.object_id).exists()


def readable_exceptional_q(user) -> Q:
    """can_read_exceptional, set-based (a filter over IssuedDocument): the request is visible
    (the OR of readable_exceptional_paths)."""
    q = Q(pk__in=[])
    for path in readable_exceptional_paths(user):
        q |= path
    return q


def readable_exceptional_paths(user) -> list[Q]:
    """readable_exceptional_q as access paths, one per access path to the request."""
    from .services import visible_request_paths

    paths = visible_request_paths(user)
    about = Q(content_type=ContentType.objects.get_for_model(ExceptionalRequest))
    return [
        about & Q(object_id__in=ExceptionalRequest.objects.filter(path).values("pk"))
        for path in ([Q()] if paths is None else paths)
    ]


def documents_of_request(request: ExceptionalRequest):
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(ExceptionalRequest), object_id=request.pk
    ).order_by("issued_at", "id")


DRAFT_SOURCE = DraftSource(
    render=render_exceptional_draft, recipients=_cadre_users, page=exceptional_page
)
