"""Roster pages: import with an error report, export, the blank template."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.sheets.report import open_report, report_workbook, save_report
from core.uploads import UploadRejected, read_upload

from ..enums import ManagementLevel, UnitKind
from ..permissions import (
    can_export_roster,
    can_manage_roster,
    can_reveal_all_national_ids,
    readable_units,
)
from . import exporter, importer
from .forms import XLSX_MIME, RosterImportForm

ERRORS_ON_PAGE = 200


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage_roster(user):
        raise Http404
    form = RosterImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = PurePath(upload.name.replace("\\", "/")).name
        try:
            result = importer.roster_import(read_upload(upload), actor=user, filename=filename)
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    _(
                        "%(filename)s imported: %(created)d cadres added, %(updated)d updated, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "filename": filename,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                if not result.changes:
                    return redirect("cadres:roster-import")
                # Each existing cadre changed, and how, stays on the page.
                context.update(filename=filename, changes=result.changes,
                               import_id=result.import_id)
                context.update(_export_context(user))
                return render(request, "cadres/roster_import.html", context)
            report = report_workbook(result.errors, filename=filename)
            context.update(
                filename=filename,
                errors=result.errors[:ERRORS_ON_PAGE],
                error_count=len(result.errors),
                error_rows=len({e.row for e in result.errors if e.row}),
                report_token=save_report(user, report),
            )
    context.update(_export_context(user))
    return render(request, "cadres/roster_import.html", context)


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
def roster_report(request: HttpRequest, token: str) -> FileResponse:
    if not can_manage_roster(request.user):
        raise Http404
    handle = open_report(request.user, token)
    if handle is None:
        raise Http404
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_("roster-import-errors.xlsx"),
        content_type=XLSX_MIME,
    )


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
