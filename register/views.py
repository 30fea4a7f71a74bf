"""Pages of the register of documents and its exports.

Documents are reached only through core.document_access (readable_documents), exports only
through get_export_for_user; everything else is 404.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cadres.access import recall, recalls
from core import audit
from core.filenames import safe_name
from core.listing import header_cells
from core.models import IssuedDocument
from core.paging import COUNT_CAP, capped_count, keyset_page, union_page
from core.statements import statement
from register.models import ExportJob, ExportKind, ExportState

from .access import can_use_register, get_export_for_user
from .filters import BRANCHES, RegisterFilter, fields_html
from .jobs import ExportRefused, casefile_request, export_request
from .queries import (
    PAGE_SIZE,
    REGISTER_SORTING,
    page_documents,
    sort_columns,
    sort_keys,
    sort_of,
)
from .retention import expires_at, retention
from .rows import page_rows, rows_html

RECENT_EXPORTS = 5


_USER = 2_147_483_001  # stands for the user's id while the statement is compiled


def _recent_export_rows() -> QuerySet[ExportJob]:
    jobs = ExportJob.objects.filter(requested_by_id=_USER).select_related("case")
    return jobs.order_by("-requested_at", "-id")[:RECENT_EXPORTS]


def _recent_exports(user) -> list[ExportJob]:
    """The user's latest exports with their cases: a statement compiled once per process
    (core.statements), as compiling it cost more than running it."""
    return statement(ExportJob, _recent_export_rows).rows({_USER: user.pk})


LIST_RECALLED = (BRANCHES, "register-span-years", "filter-authorities-all")
"""The page's branches and the filter's choices: read from the cache in one round trip
(cadres.access.recall), the one that reads the user's menu (recalls)."""


@login_required
@require_GET
@recalls(*LIST_RECALLED)
def register_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_register(user):
        raise Http404
    recall(user, LIST_RECALLED)
    filterset = RegisterFilter(request.GET or None, user=user)
    branches = filterset.compiled_branches()
    order = REGISTER_SORTING.order(request.GET)
    cursor = request.GET.get("cursor", "")
    # The page is found by its sort keys alone, then its rows are read with what they show
    # by primary key (register.queries.page_documents): two small statements plan and run
    # in a fraction of one that annotates the rows of a UNION.
    if branches:
        # Each branch is an access path of readable_documents with the filter applied,
        # compiled once per user and filter (RegisterFilter.compiled_branches) for the
        # page's keys and its count (core.paging.union_page); the
        # scoped queryset (filterset.qs, the OR of every reading rule) is not even built:
        # restating it around them would make PostgreSQL hash every readable document.
        page, count = union_page(
            IssuedDocument.objects.all,
            sort_columns(order),
            branches,
            cursor=cursor,
            size=PAGE_SIZE,
            order=order,
            rows_key="register-keys",
        )
    else:
        matching = filterset.qs
        page = keyset_page(sort_keys(matching, order), cursor=cursor, size=PAGE_SIZE, order=order)
        count = capped_count(matching)
    page = replace(page, rows=page_documents(page.rows, order))
    rows = page_rows(page.rows, filterset.situations)
    query = request.GET.copy()
    query.pop("cursor", None)
    headers = REGISTER_SORTING.headers(request.GET)
    return render(
        request,
        "register/register.html",
        {
            "filter": filterset,
            "filter_fields": fields_html(filterset),
            "page": page,
            "rows": rows,
            "rows_html": rows_html(rows),
            "count": count,
            "count_cap": COUNT_CAP,
            "query": query.urlencode(),
            "export_data": {
                **(filterset.as_data() if filterset.is_bound else {}),
                "sort": sort_of(request.GET),  # the workbook in the page's order
            },
            "situations": filterset.situations,
            "exports": _recent_exports(user),
            "sort": headers,
            "sort_cells": header_cells(headers, {"kind": "d-none d-md-table-cell"}),
        },
    )


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    try:
        job = export_request(request.user, request.POST)
    except PermissionDenied as exc:
        raise Http404 from exc
    except (ValidationError, ExportRefused) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, message)
        return redirect(reverse("register:list"))
    return redirect("register:export", pk=job.pk)


@login_required
@require_POST
def case_file_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a tolerance case's file (卷宗) as a ZIP (register.jobs.casefile_request) for
    the staff handling it; its export page shows the progress. Anyone else: 404."""
    from tolerance.permissions import get_case_for_user

    case = get_case_for_user(request.user, pk)
    try:
        job = casefile_request(request.user, case)
    except PermissionDenied as exc:
        raise Http404("No such case") from exc
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("tolerance:case_detail", pk=case.pk)
    return redirect("register:export", pk=job.pk)


def _job_payload(job: ExportJob) -> dict:
    payload = {
        "state": job.state,
        "state_label": str(ExportState(job.state).label),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
    }
    if job.state == ExportState.DONE:
        payload["archive_url"] = reverse("register:download", args=[job.pk, "zip"])
        if job.kind == ExportKind.REGISTER:
            payload["workbook_url"] = reverse("register:download", args=[job.pk, "xlsx"])
    return payload


@never_cache
@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_export_for_user(request.user, pk))


def _detail_page(request: HttpRequest, job: ExportJob, *, status: int = 200) -> HttpResponse:
    if job.kind == ExportKind.CASE_FILE:
        filters = [(_("Case"), job.case.reference)]
    else:
        filters = RegisterFilter(job.filters, user=request.user).describe()
    return render(
        request,
        "register/export.html",
        {
            "job": job,
            "filters": filters,
            "payload": _job_payload(job),
            "expires_at": expires_at(job),
            "retention_days": retention().days,
            "exports": [e for e in _recent_exports(request.user) if e.pk != job.pk],
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls: a few numbers, one query after the user's own."""
    return JsonResponse(_job_payload(get_export_for_user(request.user, pk)))


DOWNLOADS = {
    "zip": ("archive", "application/zip", ".zip"),
    "xlsx": (
        "workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
}


@never_cache
@login_required
@require_GET
def export_download(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    job = get_export_for_user(request.user, pk)
    if part not in DOWNLOADS or (part == "xlsx" and job.kind == ExportKind.CASE_FILE):
        raise Http404
    if job.state == ExportState.EXPIRED:
        # Gone, not missing: the export page says when and why, and how to get it again.
        return _detail_page(request, job, status=410)
    if job.state != ExportState.DONE:
        raise Http404
    field_name, content_type, suffix = DOWNLOADS[part]
    stored = getattr(job, field_name)
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    per_authority = sorted(job.counts.items()) or [(None, 0)]
    audit.record_many(
        "register.export.download",
        actor=request.user,
        entries=[(job, None, {"part": part, "count": count}) for _pk, count in per_authority],
        authority_ids=[int(pk) if pk is not None else None for pk, _count in per_authority],
    )
    stamp = timezone.localtime(job.requested_at).strftime("%Y%m%d-%H%M")
    if job.kind == ExportKind.CASE_FILE:
        name = safe_name(_("case-file") + f"-{job.case.reference}-{stamp}-{job.pk}{suffix}")
    else:
        name = _("register-of-documents") + f"-{stamp}-{job.pk}{suffix}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
