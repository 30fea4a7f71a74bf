"""The staff work queue: the cases this user may see, nearest deadline first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.enums import Role
from core.listing import Sorting, xlsx_response
from core.paging import COUNT_CAP, capped_count, keyset_page, path_branches

from ..enums import StartedBy
from ..filters import QueueFilter
from ..models import Case, CaseCadre, Remedy
from ..models.review import RemedyStatus
from ..permissions import visible_case_paths, visible_cases
from .applicant import filing_starts

PAGE_SIZE = 25
QUEUE_ORDER = ("queue_due", "id")
"""Nearest deadline first, cases without one last (Case.queue_due), then the oldest."""

QUEUE_SORTING = Sorting(
    columns={
        "number": (_("Case"), ("id",)),
        "state": (_("State"), ("state", "id")),
        "due": (_("Current deadline"), QUEUE_ORDER),
    },
    default="due",
)


def works_on_cases(user) -> bool:
    """Staff and auditors have a queue; applicants and cadres have "my cases"."""
    return user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)


def with_remedy_overdue(cases, today):
    """Cases annotated with `remedy_overdue` (a remedial measure past its date), which the
    queue shows and filters on."""
    overdue_remedies = Remedy.objects.filter(case=OuterRef("pk"), due_on__lt=today).exclude(
        status__in=(RemedyStatus.DONE, RemedyStatus.VERIFIED)
    )
    return cases.annotate(remedy_overdue=Exists(overdue_remedies))


def queue_cases(user, today):
    """Visible cases with what a queue row shows, in a fixed number of queries."""
    return (
        with_remedy_overdue(visible_cases(user), today)
        .select_related("authority", "matter")
        .prefetch_related(
            Prefetch("entries", CaseCadre.objects.select_related("cadre").order_by("id"))
        )
        .order_by(*QUEUE_ORDER)
    )


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    if not works_on_cases(request.user):
        return redirect("tolerance:my_cases")
    today = timezone.localdate()
    queue_filter = QueueFilter(
        request.GET, queryset=queue_cases(request.user, today), request=request
    )
    cases = queue_filter.qs
    branches = path_branches(
        queue_filter, visible_case_paths(request.user), with_remedy_overdue(Case.objects, today)
    )
    page = keyset_page(
        cases,
        cursor=request.GET.get("cursor", ""),
        size=PAGE_SIZE,
        order=QUEUE_SORTING.order(request.GET),
        branches=branches,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    export_query = query.copy()
    return render(
        request,
        "tolerance/queue.html",
        {
            "filter": queue_filter,
            "page": page,
            "count": capped_count(cases, branches=branches),
            "count_cap": COUNT_CAP,
            "today": today,
            "query": query.urlencode(),
            "may_open": bool(set(filing_starts(request.user)) & StartedBy.ex_officio()),
            "sort": QUEUE_SORTING.headers(request.GET),
            "export_query": export_query.urlencode(),
        },
    )


@login_required
def case_queue_export(request: HttpRequest) -> HttpResponse:
    """The rows of the queue as filtered and sorted, every one of them, as a workbook."""
    if not works_on_cases(request.user):
        raise Http404
    today = timezone.localdate()
    queue_filter = QueueFilter(
        request.GET, queryset=queue_cases(request.user, today), request=request
    )
    rows = queue_filter.qs.order_by(*QUEUE_SORTING.order(request.GET))
    cases = list(rows)
    with transaction.atomic():
        audit.record(
            "tolerance.queue.export",
            actor=request.user,
            after={"filters": _filters_shown(request.GET), "rows": len(cases)},
        )
    headers = [
        _("Case"), _("Cadres concerned"), _("Accountability matter"), _("State"),
        _("Current deadline"), _("Deadline stage"), _("Competent authority"),
    ]
    return xlsx_response(
        f"tolerance-cases-{today.isoformat()}.xlsx",
        str(_("Tolerance cases")),
        [str(h) for h in headers],
        (
            [
                case.reference,
                "、".join(entry.cadre.name for entry in case.entries.all()),
                case.matter.title,
                str(case.get_state_display()),
                case.due_on,
                str(case.get_due_stage_display()),
                case.authority.name,
            ]
            for case in cases
        ),
    )


def _filters_shown(params) -> dict[str, str]:
    return {key: params.get(key) for key in sorted(params) if params.get(key)}
