"""Downloading a case's attachments: only through the case, for those who may see it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from core import audit

from ..models import Attachment, Delivery
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


def receipt_response(user, case, delivery_pk: int) -> FileResponse:
    """The signed receipt (送达回证) of one delivery of `case`, for those who may read the
    case (the caller found it through get_case_for_user); 404 when there is none. Used by
    the page and the API alike."""
    delivery = Delivery.objects.filter(case=case, pk=delivery_pk).exclude(receipt="").first()
    if delivery is None:
        raise Http404("No such receipt")
    try:
        handle = delivery.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing") from None
    audit.record(
        "tolerance.receipt.download",
        actor=user,
        obj=delivery,
        authority_id=case.authority_id,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=delivery.receipt_filename or "receipt",
        content_type=delivery.receipt_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def receipt_download(request: HttpRequest, pk: int, delivery_pk: int) -> FileResponse:
    return receipt_response(request.user, get_case_for_user(request.user, pk), delivery_pk)
