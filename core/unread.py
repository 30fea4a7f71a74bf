"""The unread-notification count of the navigation's badge.

The count is cached for a short while per user, so that pages do not pay a query for it on
every request; marking notifications read (core.notification_views) clears it. The
navigation reads the cached count in the same cache round trip as the user's remembered
roles and menu (workbench.nav.remember_user, `keep_prefetched`), so a page asks the cache
once for both.
"""

from __future__ import annotations

from django.core.cache import cache

from .models import Notification

BADGE_SECONDS = 30
_MISSING = object()


def badge_key(user) -> str:
    joined = int(user.date_joined.timestamp()) if user.date_joined else 0
    return f"notifications:unread:{user.pk}:{joined}"


def forget_unread(user) -> None:
    cache.delete(badge_key(user))
    user._unread_prefetched = _MISSING


def remember_unread(user, count: int) -> None:
    """The exact count, just counted: the badge of this page and the next ones show it."""
    cache.set(badge_key(user), count, BADGE_SECONDS)
    user._unread_prefetched = count


def keep_prefetched(user, found: dict) -> None:
    """`found` is what one cache.get_many with badge_key(user) answered: the badge reads it
    instead of asking the cache again (None there: not cached, counted on first use)."""
    user._unread_prefetched = found.get(badge_key(user))


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    count = getattr(user, "_unread_prefetched", _MISSING)
    key = None
    if count is _MISSING:
        key = badge_key(user)
        count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key or badge_key(user), count, BADGE_SECONDS)
    user._unread_prefetched = count
    return count
