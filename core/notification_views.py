"""The user's in-app notifications: new ones grouped by what they are about, the earlier
ones below; marking read one, a group or all; opening one; and the language choice, kept on
the user so that their mailed notifications speak it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Max, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.http import require_POST

from .models import Notification, User
from .notifications import TARGETS, heading, mark_read
from .notifications import render as render_note
from .unread import forget_unread, remember_unread

PAGE_SIZE = 50  # earlier (read) notifications a page
GROUPS_SHOWN = 20  # groups of new notifications a page
ITEMS_SHOWN = 5  # newest new notifications shown in a group (its count says how many)


@dataclass
class Item:
    note: Notification
    subject: str
    body: str


@dataclass
class Group:
    key: str  # "type:id", what the mark-read form sends back
    count: int
    newest: int
    heading: str = ""
    url: str = ""  # the object's page (its newest notification's link)
    items: list[Item] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def _item(note: Notification) -> Item:
    subject, body = render_note(note.code, note.params)
    return Item(note, subject, body)


def group_key(target_type: str, target_id: int | None) -> str:
    return f"{target_type}:{'' if target_id is None else target_id}"


def parse_group_key(text: str) -> tuple[str, int | None] | None:
    """(type, id) from a key the page sent, or None when it is not one."""
    kind, _sep, pk = text.partition(":")
    if kind and kind not in TARGETS:
        return None
    if pk and not pk.isdigit():
        return None
    return kind, int(pk) if pk else None


def _group_q(target_type: str, target_id: int | None) -> Q:
    if target_id is None:
        return Q(target_type=target_type, target_id__isnull=True)
    return Q(target_type=target_type, target_id=target_id)


def unread_groups(user: User, before: int | None = None) -> tuple[list[Group], int | None]:
    """The user's new notifications grouped by what they are about, the group with the
    newest first (keyset-paged on it), each with its count and its newest ITEMS_SHOWN
    items; and the cursor of the next page. Two queries."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    summary = (
        unread.values("target_type", "target_id")
        .annotate(count=Count("id"), newest=Max("id"))
        .order_by("-newest")
    )
    if before is not None:
        summary = summary.filter(newest__lt=before)
    rows = list(summary[: GROUPS_SHOWN + 1])
    has_next = len(rows) > GROUPS_SHOWN
    rows = rows[:GROUPS_SHOWN]
    if not rows:
        return [], None
    groups = {
        (row["target_type"], row["target_id"]): Group(
            group_key(row["target_type"], row["target_id"]), row["count"], row["newest"]
        )
        for row in rows
    }
    wanted = Q()
    for target_type, target_id in groups:
        wanted |= _group_q(target_type, target_id)
    newest_first = Window(
        RowNumber(), partition_by=[F("target_type"), F("target_id")], order_by=F("id").desc()
    )
    notes = (
        unread.filter(wanted)
        .annotate(rank=newest_first)
        .filter(rank__lte=ITEMS_SHOWN)
        .order_by("-id")
    )
    for note in notes:
        group = groups[(note.target_type, note.target_id)]
        if not group.items:
            group.heading = heading(note.target_type, note.target_label)
            local = note.url.startswith("/") and not note.url.startswith("//")
            group.url = note.url if note.target_type and local else ""
        group.items.append(_item(note))
    return list(groups.values()), rows[-1]["newest"] if has_next else None


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """New notifications grouped by their object, then the earlier ones, newest first; both
    keyset-paged (`groups` pages the groups, `before` the earlier ones)."""
    user = request.user
    before = _cursor(request, "before")
    groups_before = _cursor(request, "groups")
    groups, next_groups = ([], None) if before else unread_groups(user, groups_before)
    if before is None and groups_before is None and next_groups is None:
        unread = sum(group.count for group in groups)
        remember_unread(user, unread)  # exact: the badge needs no query
    else:
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    earlier = Notification.objects.filter(recipient=user, read_at__isnull=False)
    if before is not None:
        earlier = earlier.filter(id__lt=before)
    page = list(earlier.order_by("-id")[: PAGE_SIZE + 1]) if groups_before is None else []
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return render(
        request,
        "core/notifications.html",
        {
            "groups": groups,
            "next_groups": next_groups,
            "earlier": [_item(note) for note in page],
            "unread": unread,
            "paged": before is not None or groups_before is not None,
            "next_before": page[-1].id if has_next else None,
        },
    )


@require_POST
@login_required
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark read the chosen notifications (`id`), those of one group (`group`), or all."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    group = parse_group_key(request.POST.get("group", "")) if "group" in request.POST else None
    if ids:
        mark_read(request.user, ids)
    elif group is not None:
        mark_read(request.user, target=group)
    elif "group" not in request.POST:
        mark_read(request.user)
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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie the pages follow), and the choice kept on the
    user: notifications are mailed in it."""
    response = i18n.set_language(request)
    code = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and code in dict(settings.LANGUAGES) and user.language != code:
        User.objects.filter(pk=user.pk).update(language=code)
    return response
