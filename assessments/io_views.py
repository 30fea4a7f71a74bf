"""Excel import and export pages for annual grades and incidents."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cadres.roster.forms import XLSX_MIME
from cadres.roster.report import open_report, report_workbook, save_report
from core.uploads import UploadRejected, read_upload

from .imports import grades, incidents
from .permissions import can_read_evidence, can_write_evidence, gradable_units
from .views import year_choices

ERRORS_ON_PAGE = 200
KINDS = {
    "grades": gettext_lazy("Annual grades"),
    "incidents": gettext_lazy("Incidents"),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=list(KINDS.items()),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,{XLSX_MIME}", "class": "form-control"}
        ),
    )


def _may(user, kind: str, *, write: bool) -> bool:
    if kind == "grades":
        return gradable_units(user).exists() if write else True
    if kind == "incidents":
        return can_write_evidence(user) if write else can_read_evidence(user)
    return False


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    allowed = [k for k in KINDS if _may(user, k, write=True)]
    if not allowed:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["kind"].choices = [(k, KINDS[k]) for k in allowed]
    context = {"form": form, "kinds": [(k, KINDS[k]) for k in allowed], "years": year_choices()}
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        filename = PurePath(upload.name.replace("\\", "/")).name[:200]
        importer = grades.grades_import if kind == "grades" else incidents.incidents_import
        try:
            written, errors = importer(read_upload(upload), actor=user)
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            if not errors:
                messages.success(
                    request,
                    _("%(filename)s imported: %(count)d rows written.")
                    % {"filename": filename, "count": written},
                )
                return redirect("assessments:import")
            context.update(
                filename=filename,
                errors=errors[:ERRORS_ON_PAGE],
                error_count=len(errors),
                report_token=save_report(user, report_workbook(errors, filename=filename)),
            )
    return render(request, "assessments/import.html", context)


@login_required
@require_GET
def import_report(request: HttpRequest, token: str) -> FileResponse:
    handle = open_report(request.user, token)
    if handle is None:
        raise Http404
    return FileResponse(
        handle, as_attachment=True, filename=_("import-errors.xlsx"), content_type=XLSX_MIME
    )


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else None


@login_required
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponse:
    user = request.user
    if kind not in KINDS or not _may(user, kind, write=False):
        raise Http404
    year = _year(request)
    if kind == "grades":
        content = grades.grades_export(user, year=year, unit=None)
    else:
        content = incidents.incidents_export(user, year=year)
    name = f"{kind}-{year or 'all'}.xlsx"
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS or not _may(request.user, kind, write=True):
        raise Http404
    content = grades.grades_template() if kind == "grades" else incidents.incidents_template()
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
