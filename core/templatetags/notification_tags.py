"""The unread-notification badge of the navigation.

The count is cached for a short while per user, so that pages do not pay a query for it on
every request; marking notifications read (core.notification_views) clears it.
"""

from __future__ import annotations

from django import template
from django.core.cache import cache

from ..models import Notification

register = template.Library()

BADGE_SECONDS = 30


def badge_key(user) -> str:
    joined = int(user.date_joined.timestamp()) if user.date_joined else 0
    return f"notifications:unread:{user.pk}:{joined}"


def forget_unread(user) -> None:
    cache.delete(badge_key(user))


@register.simple_tag
def unread_notifications(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    key = badge_key(user)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, BADGE_SECONDS)
    return count
