"""The staff work queue: the cases this user may see, nearest deadline first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cadres.queries import COUNT_CAP, capped_count, keyset_page, path_branches
from core.enums import Role

from ..enums import StartedBy
from ..filters import QueueFilter
from ..models import Case, CaseCadre, Remedy
from ..models.review import RemedyStatus
from ..permissions import visible_case_paths, visible_cases
from .applicant import filing_starts

PAGE_SIZE = 25
QUEUE_ORDER = ("queue_due", "id")
"""Nearest deadline first, cases without one last (Case.queue_due), then the oldest."""


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
        order=QUEUE_ORDER,
        branches=branches,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
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
        },
    )
