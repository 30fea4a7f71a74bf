"""The user's in-app notifications: the list, marking them read, opening one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import mark_read
from .templatetags.notification_tags import forget_unread

PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, keyset-paged on the id; unread ones stand out."""
    notes = Notification.objects.filter(recipient=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    before = request.GET.get("before", "")
    if before.isdigit():
        notes = notes.filter(id__lt=int(before))
    page = list(notes.order_by("-id")[: PAGE_SIZE + 1])
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(
        request,
        "core/notifications.html",
        {
            "notes": page,
            "unread": unread,
            "unread_only": unread_only,
            "next_before": page[-1].id if has_next else None,
        },
    )


@require_POST
@login_required
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark the chosen notifications read, or all of them."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    mark_read(request.user, ids if ids else None)
    forget_unread(request.user)
    return redirect("notifications")


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (only to this site)."""
    note = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if note is None:
        raise Http404("No such notification")
    mark_read(request.user, [note.pk])
    forget_unread(request.user)
    safe = url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(note.url if note.url and safe else "notifications")
