"""Presentation helpers for cadre pages (no permissions, no queries)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from cadres.enums import MoveType

register = template.Library()

_MOVE_TONES = {
    MoveType.PROMOTED: "success",
    MoveType.EXCEPTIONAL_PROMOTION: "success",
    MoveType.RANK_ADVANCED: "success",
    MoveType.APPOINTED: "primary",
    MoveType.LATERAL: "secondary",
    MoveType.TRANSFERRED_FROM_POST: "warning",
    MoveType.TO_NON_LEADERSHIP: "warning",
    MoveType.DEMOTED: "danger",
    MoveType.RESIGNED_TAKING_BLAME: "danger",
    MoveType.ORDERED_TO_RESIGN: "danger",
    MoveType.REMOVED: "danger",
    MoveType.RETIRED: "dark",
}


@register.filter
def age(birth_date: dt.date | None) -> int | str:
    """Full years of age today (in the site's time zone), or "" without a date."""
    if not birth_date:
        return ""
    today = timezone.localdate()
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


@register.filter
def move_tone(move: str) -> str:
    """The Bootstrap colour of a move's badge: up is green, down is red."""
    return _MOVE_TONES.get(move, "secondary")
