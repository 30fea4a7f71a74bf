"""The unread-notification badge of the navigation (core.unread)."""

from __future__ import annotations

from django import template

from ..unread import BADGE_SECONDS, badge_key, forget_unread, unread_count

__all__ = ["BADGE_SECONDS", "badge_key", "forget_unread", "unread_notifications"]

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    return unread_count(user)
