"""Exporting and importing .lrmx forms, and the 干部任免审批表 PDF.

Every view reaches cadres through cadres.permissions: what the user may not see is 404.
"""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from core import audit
from core.imports import ImportRefused, import_request, recent_import_jobs
from core.pdf_sandbox import PdfRenderFailed
from core.uploads import UploadRejected

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
from . import jobs, sources
from .appointment_form import FORM_MAX_POSITIONS, render_appointment_form
from .build import lrmx_filename, person_from_cadre, person_to_xml
from .forms import LrmxImportForm

logger = logging.getLogger(__name__)
MAX_EXPORT = 1000
# The file of a reader who may not see whole ID numbers says so, in the file and its name.
MASKED_NOTE = "身份证号已遮蔽：导出人无权查看完整身份证号，此文件不能用于导入。"
MASKED_SUFFIX = "（身份证号已遮蔽）"
LRMX_TYPE = "application/xml; charset=utf-8"


def _download(content: bytes, content_type: str, filename: str, *, inline=False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _positions() -> Prefetch:
    return Prefetch("positions", queryset=PositionRecord.objects.select_related("unit"))


def _dossier(cadre):
    try:
        return cadre.dossier
    except ObjectDoesNotExist:
        return None


def _lrmx_bytes(request: HttpRequest, cadre, positions, *, full: bool, filled) -> bytes:
    """The .lrmx file; without the right to reveal it, the ID number is masked and a
    comment at the top of the file says so (such a file cannot be matched on import)."""
    person = person_from_cadre(
        cadre,
        positions,
        national_id=cadre.national_id if full else cadre.masked_national_id,
        today=timezone.localdate(),
        filled_by=str(request.user),
        dossier=_dossier(cadre),
        family=cadre.family.all(),
        filled=filled.get(cadre.pk, {}),
    )
    note = "" if full else MASKED_NOTE
    return person_to_xml(person, note=note)


def _export_name(cadre, *, full: bool) -> str:
    name = lrmx_filename(cadre)
    return name if full else name.replace(".lrmx", MASKED_SUFFIX + ".lrmx")


@login_required
@require_GET
def lrmx_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One cadre as .lrmx, for anyone who may see the cadre; the ID number whole only for
    those allowed to reveal it (audited either way)."""
    cadre = get_cadre_for_user(request.user, pk)
    full = can_reveal_national_id(request.user, cadre)
    content = _lrmx_bytes(
        request,
        cadre,
        cadre.positions.select_related("unit"),
        full=full,
        filled=sources.filled([cadre.pk]),
    )
    audit.record(
        "cadre.lrmx.export",
        actor=request.user,
        obj=cadre,
        after={"format": "lrmx", "national_id": "full" if full else "masked"},
        authority_id=covering_authority_id(cadre),
    )
    return _download(content, LRMX_TYPE, _export_name(cadre, full=full))


def _requested_ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    tokens = [t.strip() for value in raw for t in value.split(",") if t.strip()]
    if not tokens or len(tokens) > MAX_EXPORT or not all(t.isdigit() for t in tokens):
        raise Http404("No such cadres")
    return sorted({int(t) for t in tokens})


@login_required
@require_http_methods(["GET", "POST"])
def lrmx_export_zip(request: HttpRequest) -> HttpResponse:
    """Several cadres as a zip of .lrmx files (UTF-8 names, flagged as such); all must be
    visible; ID numbers are whole where the reader may reveal them, masked elsewhere."""
    ids = _requested_ids(request)
    scope = visible_cadres(request.user).filter(pk__in=ids)
    cadres = list(
        scope.select_related("unit", "dossier")
        .prefetch_related(_positions(), "family")
        .order_by("pk")
    )
    if len(cadres) != len(ids):
        raise Http404("No such cadres")
    filled = sources.filled(ids)
    allowed = set(revealable_cadres(request.user, scope).values_list("pk", flat=True))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cadre in cadres:
            full = cadre.pk in allowed
            info = zipfile.ZipInfo(_export_name(cadre, full=full), timezone.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # names in UTF-8 (zipfile sets it only for non-ASCII)
            content = _lrmx_bytes(request, cadre, cadre.positions.all(), full=full, filled=filled)
            archive.writestr(info, content)
    covering = covering_authority_ids((c.unit.path, c.management_level) for c in cadres)
    audit.record_many(
        "cadre.lrmx.export",
        actor=request.user,
        entries=[
            (
                c,
                None,
                {
                    "format": "lrmx",
                    "national_id": "full" if c.pk in allowed else "masked",
                    "batch": len(cadres),
                },
            )
            for c in cadres
        ],
        authority_ids=[covering[c.unit.path, c.management_level] for c in cadres],
    )
    filename = f"lrmx-{timezone.localdate():%Y%m%d}-{len(cadres)}.zip"
    return _download(buffer.getvalue(), "application/zip", filename)


@login_required
@require_http_methods(["GET", "POST"])
def lrmx_import_view(request: HttpRequest) -> HttpResponse:
    """The upload is checked and stored here; the import runs in the background
    (core.imports), and its page shows the progress, then what each file brought."""
    user = request.user
    if not can_manage_roster(user):
        raise Http404
    form = LrmxImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_request(
                user, jobs.KIND, form.cleaned_data["file"],
                options=jobs.placement_options(form.placement()),
            )
        except (UploadRejected, ImportRefused) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:job", pk=job.pk)
    context = {"form": form, "recent_imports": recent_import_jobs(user, jobs.KIND)}
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
            dossier=_dossier(cadre),
            family=cadre.family.all(),
            filled=sources.filled([cadre.pk]).get(cadre.pk, {}),
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
