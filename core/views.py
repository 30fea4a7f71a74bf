from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.permissions import can_browse_audit

from .audit_display import describe
from .context_processors import navigation
from .enums import Role
from .models import AuditEvent

AUDIT_PAGE_SIZE = 50


def _card_help() -> dict[str, str]:
    """One line under each home-page card, keyed by the card's URL."""
    return {
        reverse("cadres:list"): _(
            "Look up the cadres in your jurisdiction: posts, ranks, "
            "position history, pools and lists."
        ),
        reverse("cadres:roster-import"): _(
            "Import a cadre roster from Excel; every row is checked before anything is saved."
        ),
        reverse("cadres:lrmx-import"): _(
            "Import appointment forms saved by the appointment form software, one by one or "
            "as a zip; every file is checked before anything is saved."
        ),
        reverse("cadres:roster-export"): _(
            "Download the roster of the cadres you can see as an Excel workbook."
        ),
        reverse("audit-log"): _("Who changed or viewed what, and when."),
        reverse("admin:index"): _("Users, roles, units and competent authorities."),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Cards for the areas this user may use: the same entries as the navigation."""
    user = request.user
    help_text = _card_help()
    cards = [
        (label, url, help_text.get(url, ""))
        for label, url in navigation(request)["nav_items"]
        if url != reverse("home")
    ]
    return render(
        request,
        "core/home.html",
        {
            "cards": cards,
            "role_labels": [Role(r).label for r in sorted(user.roles) if r in Role.values],
            "authorities": list(user.authorities.all()),
        },
    )


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
