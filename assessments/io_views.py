"""Excel import and export pages for every assessment workbook (imports.registry)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cadres.roster.forms import XLSX_MIME
from core import audit
from core.imports import ImportRefused, import_request, recent_import_jobs
from core.uploads import UploadRejected

from .imports import jobs
from .imports.registry import SHEETS
from .views import year_choices


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[(k, s.label) for k, s in SHEETS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,{XLSX_MIME}", "class": "form-control"}
        ),
    )


def _may(user, kind: str, *, write: bool) -> bool:
    sheet = SHEETS.get(kind)
    if sheet is None:
        return False
    return sheet.may_write(user) if write else sheet.may_read(user)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """The workbook is checked and stored here; the import runs in the background
    (core.imports), and its page shows the progress, then the rows written or the errors."""
    user = request.user
    allowed = jobs.writable_sheets(user)
    if not allowed:
        raise Http404
    readable = [k for k in SHEETS if _may(user, k, write=False)]
    initial = request.GET.get("kind") if request.GET.get("kind") in allowed else None
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": initial})
    form.fields["kind"].choices = [(k, SHEETS[k].label) for k in allowed]
    if request.method == "POST" and form.is_valid():
        options = {"sheet": form.cleaned_data["kind"]}
        try:
            job = import_request(user, jobs.KIND, form.cleaned_data["file"], options=options)
        except (UploadRejected, ImportRefused) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:job", pk=job.pk)
    context = {
        "form": form,
        "kinds": [(k, SHEETS[k].label) for k in allowed],
        "export_kinds": [(k, SHEETS[k].label) for k in readable],
        "years": year_choices(),
        "recent_imports": recent_import_jobs(user, jobs.KIND),
    }
    return render(request, "assessments/import.html", context)


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else None


@login_required
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponse:
    user = request.user
    if not _may(user, kind, write=False):
        raise Http404
    year = _year(request)
    content = SHEETS[kind].export(user, year=year)
    # personal evidence leaving the system: a sensitive read, audited (what and which year)
    audit.record(
        "assessments.export", actor=user, after={"kind": kind, "year": year, "bytes": len(content)}
    )
    name = f"{kind}-{year or 'all'}.xlsx"
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if not _may(request.user, kind, write=True):
        raise Http404
    content = SHEETS[kind].template()
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
