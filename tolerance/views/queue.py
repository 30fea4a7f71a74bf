"""The staff work queue: the cases this user may see, nearest deadline first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.enums import Role

from ..enums import StartedBy
from ..filters import QueueFilter
from ..models import CaseCadre, Remedy
from ..models.review import RemedyStatus
from ..permissions import visible_cases
from .applicant import filing_starts

PAGE_SIZE = 25


def works_on_cases(user) -> bool:
    """Staff and auditors have a queue; applicants and cadres have "my cases"."""
    return user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)


def queue_cases(user, today):
    """Visible cases with what a queue row shows, in a fixed number of queries."""
    overdue_remedies = Remedy.objects.filter(case=OuterRef("pk"), due_on__lt=today).exclude(
        status__in=(RemedyStatus.DONE, RemedyStatus.VERIFIED)
    )
    return (
        visible_cases(user)
        .annotate(remedy_overdue=Exists(overdue_remedies))
        .select_related("authority", "matter")
        .prefetch_related(
            Prefetch("entries", CaseCadre.objects.select_related("cadre").order_by("id"))
        )
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    if not works_on_cases(request.user):
        return redirect("tolerance:my_cases")
    today = timezone.localdate()
    queue_filter = QueueFilter(
        request.GET, queryset=queue_cases(request.user, today), request=request
    )
    paginator = Paginator(queue_filter.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tolerance/queue.html",
        {
            "filter": queue_filter,
            "page": page,
            "today": today,
            "query": query.urlencode(),
            "may_open": bool(set(filing_starts(request.user)) & StartedBy.ex_officio()),
        },
    )
