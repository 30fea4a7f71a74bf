"""Telling people: in-app notifications, and the same by email through Django's backend."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import Notification, User

logger = logging.getLogger(__name__)


Message = tuple[Iterable[User | None], str, str, str]  # recipients, subject, body, url


def notify(
    recipients: Iterable[User | None], *, subject: str, body: str = "", url: str = ""
) -> list[Notification]:
    """One notification per distinct active recipient; emails go out after the commit
    (through the outbox: a broker that is down delays them, it does not lose them).

    Call inside the service's transaction: nothing is sent if it rolls back.
    """
    return notify_many([(recipients, subject, body, url)])


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """notify for many subjects at once: one insert and one email task for all of them.

    Each message goes once to each distinct active recipient. Call inside a transaction.
    """
    rows = []
    for recipients, subject, body, url in messages:
        seen: dict[int, User] = {}
        for user in recipients:
            if user is not None and user.pk and user.is_active:
                seen.setdefault(user.pk, user)
        rows += [
            Notification(recipient=user, subject=str(subject)[:200], body=str(body), url=url)
            for user in seen.values()
        ]
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk]
    if ids:
        from .outbox import enqueue

        enqueue("core.tasks.email_notifications", ids)
    return created


def notifications_email(ids: list[int]) -> int:
    """Mail the notifications not mailed yet; returns how many went out. Safe to run twice."""
    sent = 0
    pending = (
        Notification.objects.select_related("recipient")
        .filter(pk__in=ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
    )
    connection = get_connection()
    base = settings.SITE_URL.rstrip("/")
    for note in pending:
        text = note.body + (f"\n\n{base}{note.url}" if note.url else "")
        message = EmailMessage(
            subject=note.subject,
            body=text,
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


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
