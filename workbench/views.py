"""Home (my work), the global search and the cadre's own home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.enums import Role
from tolerance.models import CaseCadre
from tolerance.views.applicant import cases_of, next_step

from .items import my_work
from .search import MAX_LENGTH, search

OWN_CASES = 10


def own_cases(user, today) -> list[dict]:
    """The cases a cadre is the subject of (or a unit officer filed): newest first, with the
    one next step. Two queries whatever the number of cases."""
    cases = (
        cases_of(user)
        .select_related("authority")
        .prefetch_related(
            Prefetch("entries", CaseCadre.objects.select_related("cadre").order_by("id"))
        )
        .order_by("-created_at", "-id")[:OWN_CASES]
    )
    return [
        {
            "case": case,
            "next_step": next_step(case, today),
            "overdue": case.due_on is not None and case.due_on < today,
        }
        for case in cases
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    applicant = user.has_role(Role.CADRE, Role.UNIT_HR)
    return render(
        request,
        "workbench/home.html",
        {
            "today": today,
            "work": my_work(request, today),
            "own_cases": own_cases(user, today) if applicant else None,
            "role_labels": [Role(r).label for r in sorted(user.roles) if r in Role.values],
            "authorities": list(user.authorities.all()),
        },
    )


@never_cache
@login_required
def global_search(request: HttpRequest) -> HttpResponse:
    """POST only searches (ID digits never travel in a URL); GET shows the empty box."""
    text = request.POST.get("q", "")[:MAX_LENGTH] if request.method == "POST" else ""
    found = search(request.user, text) if text.strip() else None
    return render(request, "workbench/search.html", {"q": text, "found": found})
