"""Which excellent quota policy and which detection thresholds are in force."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .models import DetectionPolicy, QuotaPolicy
from .rules import QuotaTerms

NO_POLICY = QuotaTerms(share=Decimal(0), source="")


def all_policies() -> list[QuotaPolicy]:
    """The whole (small) policy table, for callers that look up many kinds and years."""
    return list(QuotaPolicy.objects.all())


def policy_in_force(
    unit_kind: str, year: int, policies: Iterable[QuotaPolicy] | None = None
) -> QuotaPolicy | None:
    """The kind's own row with the latest from_year ≤ year, else the default row (kind
    blank) likewise; None when neither exists (then no excellent grade is allowed)."""
    rows = list(policies) if policies is not None else all_policies()
    for kind in (unit_kind, ""):
        candidates = [p for p in rows if p.unit_kind == kind and p.from_year <= year]
        if candidates:
            return max(candidates, key=lambda p: p.from_year)
    return None


def terms_in_force(
    unit_kind: str, year: int, policies: Iterable[QuotaPolicy] | None = None
) -> QuotaTerms:
    policy = policy_in_force(unit_kind, year, policies)
    return policy.terms() if policy is not None else NO_POLICY


def detection_policy_in_force(year: int) -> DetectionPolicy | None:
    """The detection thresholds with the latest from_year ≤ year; None when none is."""
    return DetectionPolicy.objects.filter(from_year__lte=year).order_by("-from_year").first()
