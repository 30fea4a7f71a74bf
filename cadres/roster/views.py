"""Roster pages: the import (queued as a background job), export, the blank template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.imports import ImportRefused, import_request, recent_import_jobs
from core.uploads import UploadRejected

from ..enums import ManagementLevel, UnitKind
from ..permissions import (
    can_export_roster,
    can_manage_roster,
    can_reveal_all_national_ids,
    readable_units,
)
from . import exporter, jobs
from .forms import XLSX_MIME, RosterImportForm


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    """The file is checked and stored here; the import itself runs in the background
    (core.imports), and its page shows the progress, then the result."""
    user = request.user
    if not can_manage_roster(user):
        raise Http404
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_request(user, jobs.KIND, form.cleaned_data["file"])
        except (UploadRejected, ImportRefused) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:job", pk=job.pk)
    context = {"form": form, "recent_imports": recent_import_jobs(user, jobs.KIND)}
    return render(request, "cadres/roster_import.html", {**context, **_export_context(user)})


def _export_context(user) -> dict:
    units = (
        readable_units(user)
        .exclude(kind=UnitKind.VILLAGE)
        .order_by("path")
        .values_list("pk", "name", "depth")
    )
    return {
        "export_units": [(pk, "　" * (depth - 1) + name) for pk, name, depth in units],
        "levels": ManagementLevel.choices,
        "export_masked": not can_reveal_all_national_ids(user),
    }


@login_required
@require_GET
def roster_export(request: HttpRequest) -> FileResponse:
    """The visible cadres; `unit` (subtree), `level` and `q` narrow it like the list."""
    user = request.user
    if not can_export_roster(user):
        raise Http404
    unit = request.GET.get("unit", "")
    level = request.GET.get("level") or request.GET.get("management_level") or ""
    handle, _count, _masked = exporter.roster_export(
        user,
        unit_id=int(unit) if unit.isdigit() and len(unit) < 16 else None,
        level=level,
        q=request.GET.get("q", "")[:64],
    )
    return FileResponse(
        handle,
        as_attachment=True,
        content_type=XLSX_MIME,
        filename=_("cadre-roster-%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"},
    )


@login_required
@require_GET
def roster_template(request: HttpRequest) -> FileResponse:
    if not can_manage_roster(request.user):
        raise Http404
    return FileResponse(
        exporter.roster_template(request.user),
        as_attachment=True,
        content_type=XLSX_MIME,
        filename=_("cadre-roster-template.xlsx"),
    )
