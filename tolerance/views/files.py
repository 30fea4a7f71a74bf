"""Downloading a case's attachments: only through the case, for those who may see it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from core import audit

from ..models import Attachment
from ..permissions import get_case_for_user
from .visibility import attachment_visible, sees_internal


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    case = get_case_for_user(request.user, pk)
    attachment = Attachment.objects.filter(case=case, pk=attachment_pk).first()
    if attachment is None or not attachment_visible(
        request.user, case, attachment, sees_internal(request.user, case)
    ):
        raise Http404("No such attachment")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing") from None
    audit.record(
        "tolerance.attachment.download",
        actor=request.user,
        obj=attachment,
        authority_id=case.authority_id,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

