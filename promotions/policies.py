"""Which up/down policy version is in force for an authority on a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from .models import PolicyStatus, PromotionPolicy


def policy_in_force(authority_id: int | None, on: dt.date) -> PromotionPolicy:
    """The authority's latest published version in force on `on`, else the default's."""
    found = (
        PromotionPolicy.objects.filter(status=PolicyStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(authority_id=authority_id) | Q(authority__isnull=True))
        .order_by(F("authority_id").asc(nulls_last=True), "-effective_from", "-id")
        .first()
    )
    if found is None:
        raise PromotionPolicy.DoesNotExist("No up/down policy is in force")
    return found
