from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import audit
from .audit_display import codes_labelled, describe
from .listing import xlsx_response
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


def filtered_audit_events(user, params) -> tuple:
    """The rows this user may read that the filters select, and the filters as shown:
    person (name or username), action (a code prefix or words of its label), object
    (its name or type) and a date range."""
    events = audit_events_for_user(user).select_related("content_type")
    action = params.get("action", "").strip()
    if action:
        codes = codes_labelled(action)
        events = events.filter(Q(action__startswith=action) | Q(action__in=codes))
    actor = params.get("actor", "").strip()
    if actor:
        events = events.filter(actor_repr__icontains=actor)
    obj = params.get("object", "").strip()
    if obj:
        events = events.filter(object_repr__icontains=obj)
    for key, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        try:
            value = dt.date.fromisoformat(params.get(key, ""))
        except ValueError:
            continue
        events = events.filter(**{lookup: value})
    filters = {
        "action": action,
        "actor": actor,
        "object": obj,
        "from": params.get("from", ""),
        "to": params.get("to", ""),
    }
    return events, filters


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not audit.can_browse_audit(request.user):
        raise Http404
    events, filters = filtered_audit_events(request.user, request.GET)
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
            "filters": filters,
        },
    )


AUDIT_EXPORT_CHUNK = 500


@login_required
def audit_log_export(request: HttpRequest) -> HttpResponse:
    """Every row the filters select, newest first, as a workbook: the export is itself
    audited, and written chunk by chunk (labels resolved per chunk) in constant memory."""
    if not audit.can_browse_audit(request.user):
        raise Http404
    events, filters = filtered_audit_events(request.user, request.GET)
    events = events.order_by("-id")
    with transaction.atomic():
        audit.record(
            "audit.export",
            actor=request.user,
            after={"filters": {k: v for k, v in filters.items() if v}},
        )

    def rows():
        chunk: list[AuditEvent] = []
        for event in events.iterator(chunk_size=AUDIT_EXPORT_CHUNK):
            chunk.append(event)
            if len(chunk) == AUDIT_EXPORT_CHUNK:
                yield from _export_rows(chunk)
                chunk = []
        yield from _export_rows(chunk)

    headers = [
        _("Time"), _("Actor"), _("Action"), _("Action code"), _("Object"), _("Changes"),
        _("Reason"), _("IP address"),
    ]
    return xlsx_response(
        f"audit-log-{timezone.localdate().isoformat()}.xlsx",
        str(_("Audit log")),
        [str(h) for h in headers],
        rows(),
    )


def _export_rows(events: list[AuditEvent]):
    for view in describe(events):
        event = view.event
        changes = "；".join(
            f"{c.label}：{c.after}" if c.only_after else f"{c.label}：{c.before} → {c.after}"
            for c in view.changes
        )
        yield [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_repr,
            view.label,
            event.action,
            " ".join(part for part in (view.object_type, event.object_repr) if part),
            changes,
            event.reason,
            event.ip or "",
        ]
