"""Which up/down and incentive policy version is in force for an authority on a date."""

from __future__ import annotations

import datetime as dt

from core.policies import policy_in_force as core_policy_in_force

from .models import PromotionPolicy

KIND = "promotions"  # registered with core.policies in promotions.apps


def policy_in_force(authority, on: dt.date) -> PromotionPolicy:
    """The version of `authority`'s jurisdiction in force on `on` (core.policies); raises
    core.policies.PolicyNotInForce."""
    return core_policy_in_force(KIND, authority, on)
