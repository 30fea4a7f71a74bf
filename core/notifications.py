"""Telling people: in-app notifications, and the same by email through Django's backend.

A notification is stored as the code of a declared kind and its parameters (plain JSON
values), never as rendered text: the page renders it in the reader's language when it is
read, the mail in the recipient's language when it is sent. Each app declares its kinds
(`register_notification_kinds`, from its AppConfig.ready) and the objects its notifications
are about (`register_notification_targets`: the heading of a group on the notifications
page); core names no domain app.

Who is told of an event is decided where the event happens, in the owning service, next to
its `notify` call.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .formatting import plain
from .models import Notification, User

logger = logging.getLogger(__name__)

LEGACY = "core.legacy"


# --- the registry of kinds and targets ------------------------------------------------------


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification: its subject and body as gettext msgids with named
    placeholders (`%(ref)s`), the parameters it takes, and how some are shown: `labels` names
    a param's choices (a code stored, its label shown in the reader's language), `formats` a
    core.formatting function; the others are shown with formatting.plain. A body may also be
    a function of the stored params returning text in the active language."""

    code: str
    subject: str | Promise
    body: str | Promise | Callable[[Mapping[str, Any]], str] = ""
    params: tuple[str, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    formats: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    verbatim: bool = False  # the legacy kind: its params are text stored before codes


@dataclass(frozen=True)
class NotificationTarget:
    """A kind of object notifications are about: `heading` (a msgid with `%(label)s`) heads
    its group on the page, `label(obj)` gives the plain, language-neutral label stored with
    each notification (a case number, a person's name)."""

    model: str  # app_label.model_name
    heading: str | Promise
    label: Callable[[Any], str]


class Target(NamedTuple):
    type: str
    id: int | None
    label: str


KINDS: dict[str, NotificationKind] = {}
TARGETS: dict[str, NotificationTarget] = {}


def register_notification_kinds(*kinds: NotificationKind) -> None:
    for kind in kinds:
        if kind.code in KINDS and KINDS[kind.code] != kind:
            raise ValueError(f"notification kind {kind.code!r} declared twice")
        KINDS[kind.code] = kind


def register_notification_targets(*targets: NotificationTarget) -> None:
    for target in targets:
        TARGETS[target.model] = target


def target_of(obj: Model) -> Target:
    """What a notification about `obj` stores: its type, id and label."""
    model = obj._meta.label_lower
    declared = TARGETS.get(model)
    label = declared.label(obj) if declared is not None else ""
    return Target(model, obj.pk, str(label)[:200])


def _stored(name: str, value: Any) -> Any:
    """A parameter as plain JSON: dates as ISO text, amounts as text; no objects, no text
    already translated (it would stay in the sender's language)."""
    if isinstance(value, Promise):
        raise TypeError(f"param {name!r}: store a code, not translated text")
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, list | tuple):
        return [_stored(name, item) for item in value]
    raise TypeError(f"param {name!r}: {type(value).__name__} is not a plain value")


def stored_params(code: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check `params` against the kind `code` declares and make them plain JSON."""
    kind = KINDS.get(code)
    if kind is None:
        raise ValueError(f"unknown notification kind {code!r}")
    params = dict(params or {})
    if set(params) != set(kind.params):
        raise ValueError(f"{code}: params {sorted(params)} ≠ declared {sorted(kind.params)}")
    return {name: _stored(name, value) for name, value in params.items()}


# --- rendering, in the active language ------------------------------------------------------


class Rendered(NamedTuple):
    subject: str
    body: str


def _shown(kind: NotificationKind, params: Mapping[str, Any]) -> dict[str, Any]:
    shown = {}
    for name in kind.params:
        value = params.get(name)
        if name in kind.labels:
            shown[name] = plain(value, dict(kind.labels[name].choices))
        elif name in kind.formats:
            shown[name] = kind.formats[name](value)
        else:
            shown[name] = plain(value)
    return shown


def render(code: str, params: Mapping[str, Any]) -> Rendered:
    """Subject and body of a notification in the active language."""
    kind = KINDS.get(code)
    if kind is None:  # a kind no longer declared: say what it was, never fail the page
        return Rendered(code, "")
    if kind.verbatim:
        return Rendered(str(params.get("subject", "")), str(params.get("body", "")))
    shown = _shown(kind, params)
    subject = str(kind.subject) % shown
    if callable(kind.body):
        body = kind.body(params)
    else:
        body = str(kind.body) % shown if kind.body else ""
    return Rendered(subject, body)


def heading(target_type: str, label: str) -> str:
    """The heading of a group of notifications about one object, in the active language."""
    declared = TARGETS.get(target_type)
    if declared is None or not label:
        return str(_("Other notifications"))
    return str(declared.heading) % {"label": label}


def user_language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


# --- writing --------------------------------------------------------------------------------


class Message(NamedTuple):
    """One event to tell: who, which kind, its params, the object it is about, the link."""

    recipients: Iterable[User | None]
    code: str
    params: Mapping[str, Any] | None = None
    target: Model | Target | None = None
    url: str = ""


def notify(
    recipients: Iterable[User | None],
    code: str,
    *,
    params: Mapping[str, Any] | None = None,
    target: Model | Target | None = None,
    url: str = "",
) -> list[Notification]:
    """One notification per distinct active recipient; emails go out after the commit
    (through the outbox: a broker that is down delays them, it does not lose them).

    Call inside the service's transaction: nothing is sent if it rolls back.
    """
    return notify_many([Message(recipients, code, params, target, url)])


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """notify for many events at once: one insert and one email task for all of them.

    Each message goes once to each distinct active recipient. Call inside a transaction.
    """
    rows = []
    for recipients, code, params, target, url in messages:
        values = stored_params(code, params)
        about = target_of(target) if isinstance(target, Model) else target
        about = about or Target("", None, "")
        seen: dict[int, User] = {}
        for user in recipients:
            if user is not None and user.pk and user.is_active:
                seen.setdefault(user.pk, user)
        rows += [
            Notification(
                recipient=user,
                code=code,
                params=values,
                target_type=about.type,
                target_id=about.id,
                target_label=about.label,
                url=url,
            )
            for user in seen.values()
        ]
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk]
    if ids:
        from .outbox import enqueue

        enqueue("core.tasks.email_notifications", ids)
    return created


def notifications_email(ids: list[int]) -> int:
    """Mail the notifications not mailed yet, each in its recipient's language; returns how
    many went out. Safe to run twice."""
    sent = 0
    pending = (
        Notification.objects.select_related("recipient")
        .filter(pk__in=ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
    )
    connection = get_connection()
    base = settings.SITE_URL.rstrip("/")
    for note in pending:
        with translation.override(user_language(note.recipient)):
            subject, body = render(note.code, note.params)
        text = body + (f"\n\n{base}{note.url}" if note.url else "")
        message = EmailMessage(
            subject=subject[:200],
            body=text.strip(),
            to=[note.recipient.email],
            connection=connection,
        )
        with transaction.atomic():
            claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue
            message.send()
            sent += 1
    return sent


def mark_read(
    user: User, ids: Iterable[int] | None = None, *, target: tuple[str, int | None] | None = None
) -> int:
    """Mark the user's unread notifications read: those `ids`, those about `target`
    (type, id), or all of them."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if target is not None:
        qs = qs.filter(target_type=target[0], target_id=target[1])
    return qs.update(read_at=timezone.now())


register_notification_kinds(
    NotificationKind(
        LEGACY, subject="%(subject)s", body="%(body)s", params=("subject", "body"), verbatim=True
    )
)
