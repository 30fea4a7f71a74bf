"""The page of an import running in the background, and its error workbook.

Jobs are reached only through core.imports.get_import_job_for_user: the requester's own,
while they may still import that kind; anyone else gets 404. While the job is queued or
running the page marks itself as waiting, and static/js/live.js fetches it again every few
seconds and swaps in the fresh progress bar, then the finished page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import audit
from .imports import KINDS, get_import_job_for_user, retention
from .models import ImportState

STATE_CLASSES = {
    ImportState.QUEUED: "text-bg-secondary",
    ImportState.RUNNING: "text-bg-info",
    ImportState.DONE: "text-bg-success",
    ImportState.FAILED: "text-bg-danger",
    ImportState.EXPIRED: "text-bg-light border",
}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@never_cache
@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    kind = KINDS[job.kind]
    summary = job.summary
    counts = summary.get("counts", {})
    refused = job.state == ImportState.DONE and bool(summary.get("error_count"))
    return render(
        request,
        "core/import_job.html",
        {
            "job": job,
            "kind": kind,
            "waiting": job.state in ImportState.active(),
            # A run that found errors finished but imported nothing: say that, in red.
            "state_class": "text-bg-danger" if refused else STATE_CLASSES[job.state],
            "refused": refused,
            "back_url": reverse(kind.back_url),
            "counts": [
                (code, label, counts[code]) for code, label in kind.counts if code in counts
            ],
            "error_headers": kind.error_headers(),
            "errors": summary.get("errors", []),
            "error_count": summary.get("error_count", 0),
            "detail_headers": kind.detail_headers(),
            "details": summary.get("details", []),
            "detail_count": summary.get("detail_count", 0),
            "retention_days": retention().days,
        },
    )


@never_cache
@login_required
@require_GET
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    """The error workbook of a finished import (it names cadres: the download is audited)."""
    job = get_import_job_for_user(request.user, pk)
    if job.state != ImportState.DONE or not job.report:
        raise Http404("No error workbook")
    try:
        handle = job.report.open("rb")
    except FileNotFoundError as exc:
        raise Http404("No error workbook") from exc
    audit.record(
        "core.import.download",
        actor=request.user,
        obj=job,
        after={
            "kind": job.kind, "filename": job.filename, "errors": job.summary.get("error_count"),
        },
    )
    response = FileResponse(
        handle, as_attachment=True, filename=str(KINDS[job.kind].report_name),
        content_type=XLSX_MIME,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
