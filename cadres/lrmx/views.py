"""Exporting and importing .lrmx forms, and the 干部任免审批表 PDF.

Every view reaches cadres through cadres.permissions: what the user may not see is 404.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import audit
from core.pdf_sandbox import PdfRenderFailed
from core.uploads import UploadRejected, read_upload

from ..models import PositionRecord
from ..permissions import (
    can_manage_roster,
    can_reveal_national_id,
    covering_authority_id,
    covering_authority_ids,
    get_cadre_for_user,
    revealable_cadres,
    visible_cadres,
)
from .appointment_form import FORM_MAX_POSITIONS, render_appointment_form
from .build import lrmx_filename, person_from_cadre, person_to_xml
from .forms import LrmxImportForm
from .importing import files_from_upload, lrmx_import

logger = logging.getLogger(__name__)
MAX_EXPORT = 1000
LRMX_TYPE = "application/xml; charset=utf-8"


def _download(content: bytes, content_type: str, filename: str, *, inline=False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request: HttpRequest, cadres: list) -> HttpResponse:
    return render(request, "cadres/lrmx_refused.html", {"cadres": cadres}, status=403)


def _positions() -> Prefetch:
    return Prefetch("positions", queryset=PositionRecord.objects.select_related("unit"))


def _lrmx_bytes(request: HttpRequest, cadre, positions) -> bytes:
    person = person_from_cadre(
        cadre,
        positions,
        national_id=cadre.national_id,
        today=timezone.localdate(),
        filled_by=str(request.user),
    )
    return person_to_xml(person)


@login_required
@require_GET
def lrmx_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One cadre as .lrmx. The file must carry the full ID number, or it cannot come back."""
    cadre = get_cadre_for_user(request.user, pk)
    if not can_reveal_national_id(request.user, cadre):
        return _refused(request, [cadre])
    content = _lrmx_bytes(request, cadre, cadre.positions.select_related("unit"))
    audit.record(
        "cadre.lrmx.export",
        actor=request.user,
        obj=cadre,
        after={"format": "lrmx", "national_id": "full"},
        authority_id=covering_authority_id(cadre),
    )
    return _download(content, LRMX_TYPE, lrmx_filename(cadre))


def _requested_ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    tokens = [t.strip() for value in raw for t in value.split(",") if t.strip()]
    if not tokens or len(tokens) > MAX_EXPORT or not all(t.isdigit() for t in tokens):
        raise Http404("No such cadres")
    return sorted({int(t) for t in tokens})


@login_required
@require_http_methods(["GET", "POST"])
def lrmx_export_zip(request: HttpRequest) -> HttpResponse:
    """Several cadres as a zip of .lrmx files; all must be visible and revealable."""
    ids = _requested_ids(request)
    scope = visible_cadres(request.user).filter(pk__in=ids)
    cadres = list(scope.select_related("unit").prefetch_related(_positions()).order_by("pk"))
    if len(cadres) != len(ids):
        raise Http404("No such cadres")
    allowed = set(revealable_cadres(request.user, scope).values_list("pk", flat=True))
    refused = [c for c in cadres if c.pk not in allowed]
    if refused:
        return _refused(request, refused)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cadre in cadres:
            archive.writestr(
                lrmx_filename(cadre), _lrmx_bytes(request, cadre, cadre.positions.all())
            )
    covering = covering_authority_ids((c.unit.path, c.management_level) for c in cadres)
    audit.record_many(
        "cadre.lrmx.export",
        actor=request.user,
        entries=[
            (c, None, {"format": "lrmx", "national_id": "full", "batch": len(cadres)})
            for c in cadres
        ],
        authority_ids=[covering[c.unit.path, c.management_level] for c in cadres],
    )
    filename = f"lrmx-{timezone.localdate():%Y%m%d}-{len(cadres)}.zip"
    return _download(buffer.getvalue(), "application/zip", filename)


@login_required
@require_http_methods(["GET", "POST"])
def lrmx_import_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage_roster(user):
        raise Http404
    form = LrmxImportForm(request.POST or None, request.FILES or None, user=user)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = PurePath(upload.name.replace("\\", "/")).name
        try:
            files = files_from_upload(filename, read_upload(upload))
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            report = lrmx_import(files, actor=user, placement=form.placement(), filename=filename)
            if report.ok:
                messages.success(
                    request,
                    _("%(filename)s imported: %(created)d cadres added, %(updated)d updated.")
                    % {"filename": filename, "created": report.created, "updated": report.updated},
                )
                return redirect("cadres:lrmx-import")
            context.update(report=report, filename=filename)
    return render(request, "cadres/lrmx_import.html", context)


@login_required
@require_GET
def appointment_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The 干部任免审批表 PDF; the ID number is masked unless the reader may see it."""
    cadre = get_cadre_for_user(request.user, pk)
    full = can_reveal_national_id(request.user, cadre)
    newest = list(
        cadre.positions.select_related("unit").order_by("-start_date", "-id")[
            : FORM_MAX_POSITIONS + 1
        ]
    )
    earlier = (
        cadre.positions.count() - FORM_MAX_POSITIONS if len(newest) > FORM_MAX_POSITIONS else 0
    )
    try:
        filename, content_type, content = render_appointment_form(
            cadre,
            newest[:FORM_MAX_POSITIONS],
            national_id=cadre.national_id if full else cadre.masked_national_id,
            today=timezone.localdate(),
            filled_by=str(request.user),
            earlier_omitted=earlier,
        )
    except PdfRenderFailed:
        logger.exception("Appointment form of cadre %s could not be rendered", cadre.pk)
        return render(request, "cadres/pdf_failed.html", {"cadre": cadre}, status=503)
    audit.record(
        "cadre.appointment_form.view",
        actor=request.user,
        obj=cadre,
        after={"national_id": "full" if full else "masked"},
        authority_id=covering_authority_id(cadre),
    )
    return _download(content, content_type, filename, inline=True)
