from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cadres.permissions import can_browse_audit

from .audit_display import describe
from .models import AuditEvent

AUDIT_PAGE_SIZE = 50


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def audit_events_for_user(user):
    """Administrators see every row; auditors the rows of the authorities they audit."""
    if user.is_administrator:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(authority_id__in=user.authority_ids)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_browse_audit(request.user):
        raise Http404
    events = audit_events_for_user(request.user).select_related("content_type")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    actor = request.GET.get("actor", "").strip()
    if actor:
        events = events.filter(actor_repr__icontains=actor)
    for key, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        try:
            value = dt.date.fromisoformat(request.GET.get(key, ""))
        except ValueError:
            continue
        events = events.filter(**{lookup: value})
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(id__lt=int(before))
    # Keyset paging on the primary key: constant cost however deep the page.
    page = list(events.order_by("-id")[: AUDIT_PAGE_SIZE + 1])
    has_next = len(page) > AUDIT_PAGE_SIZE
    page = page[:AUDIT_PAGE_SIZE]
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "events": describe(page),
            "next_before": page[-1].id if has_next else None,
            "query": query.urlencode(),
            "filters": {
                "action": action,
                "actor": actor,
                "from": request.GET.get("from", ""),
                "to": request.GET.get("to", ""),
            },
        },
    )
