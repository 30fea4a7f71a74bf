"""Downloading a case's attachments (only through the case, for those who may see it), and
asking for its case file (卷宗), which the register's export machinery writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

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


@login_required
@require_POST
def case_file_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the case file's ZIP (register.jobs.casefile_request); its page shows progress."""
    from register.jobs import ExportRefused, casefile_request

    case = get_case_for_user(request.user, pk)
    try:
        job = casefile_request(request.user, case)
    except PermissionDenied as exc:
        raise Http404("No such case") from exc
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("tolerance:case_detail", pk=case.pk)
    return redirect("register:export", pk=job.pk)
