"""Which excellent quota policy and which detection thresholds are in force, by jurisdiction.

A quota row belongs to a jurisdiction (a unit code, as core.policies): a unit is judged under
the rows of the nearest jurisdiction up the unit tree that has any, else the rows with a
blank jurisdiction. Within those rows, the unit kind's own row with the latest from_year ≤
year, else the default row (kind blank).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from core.policies import jurisdiction_codes

from .models import DetectionPolicy, QuotaPolicy, QuotaStatus
from .rules import QuotaTerms

NO_POLICY = QuotaTerms(share=Decimal(0), source="")


def all_policies() -> list[QuotaPolicy]:
    """The whole (small) policy table, for callers that look up many kinds and years."""
    return list(QuotaPolicy.objects.filter(status=QuotaStatus.PUBLISHED))


def policy_in_force(
    unit_kind: str,
    year: int,
    policies: Iterable[QuotaPolicy] | None = None,
    codes: Sequence[str] = (),
) -> QuotaPolicy | None:
    """The row in force for a unit of `unit_kind` whose jurisdiction codes (nearest first)
    are `codes`: the nearest jurisdiction with a row for the kind or a default row; None when
    there is none (then no excellent grade is allowed)."""
    rows = list(policies) if policies is not None else all_policies()
    for code in [*codes, ""]:
        mine = [p for p in rows if p.jurisdiction_code == code and p.from_year <= year]
        if not mine:
            continue
        for kind in (unit_kind, ""):
            candidates = [p for p in mine if p.unit_kind == kind]
            if candidates:
                return max(candidates, key=lambda p: p.from_year)
    return None


def terms_in_force(
    unit_kind: str,
    year: int,
    policies: Iterable[QuotaPolicy] | None = None,
    codes: Sequence[str] = (),
) -> QuotaTerms:
    policy = policy_in_force(unit_kind, year, policies, codes)
    return policy.terms() if policy is not None else NO_POLICY


def unit_policy(unit, year: int, policies: Iterable[QuotaPolicy] | None = None):
    """The quota row in force for `unit` (one query for its jurisdictions, one for rows)."""
    return policy_in_force(unit.kind, year, policies, jurisdiction_codes(unit))


def jurisdiction_codes_by_path(paths: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each unit path's jurisdiction codes, nearest first (one query for all of them)."""
    from cadres.models import Unit

    paths = set(paths)
    step = Unit.steplen
    ancestors = {p[:end] for p in paths for end in range(step, len(p) + 1, step)}
    code_at = dict(Unit.objects.filter(path__in=ancestors).values_list("path", "code"))
    return {
        p: tuple(
            code_at[p[:end]]
            for end in range(len(p), 0, -step)
            if p[:end] in code_at
        )
        for p in paths
    }


def detection_policy_in_force(year: int, codes: Sequence[str] = ()) -> DetectionPolicy | None:
    """The thresholds of the nearest jurisdiction in `codes` (nearest first) that has a row
    in force in `year` (latest from_year ≤ year), else the blank jurisdiction's; None."""
    rows = list(
        DetectionPolicy.objects.filter(
            from_year__lte=year, jurisdiction_code__in=[*codes, ""]
        ).order_by("-from_year")
    )
    for code in [*codes, ""]:
        for row in rows:
            if row.jurisdiction_code == code:
                return row
    return None


def unit_detection_policy(unit, year: int) -> DetectionPolicy | None:
    """The thresholds in force for `unit` (two queries)."""
    return detection_policy_in_force(year, jurisdiction_codes(unit) if unit else ())


def policy_snapshot(obj) -> dict:
    """The policy's own values, as JSON-safe text (who and when are in the audit row)."""
    skip = {"id", "created_at", "created_by"}
    return {
        f.name: str(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in skip
    }


def quota_policy_publish(draft: QuotaPolicy, *, actor) -> QuotaPolicy:
    """Publish a drafted quota row: it replaces the published row of the same jurisdiction,
    unit kind and year (whose values the audit row keeps), or becomes one. Audited."""
    from django.db import transaction

    from core import audit
    from core.errors import ActionRefused

    with transaction.atomic():
        draft = QuotaPolicy.objects.select_for_update().get(pk=draft.pk)
        if draft.status != QuotaStatus.DRAFT:
            raise ActionRefused(_("Only a draft can be published."))
        current = (
            QuotaPolicy.objects.select_for_update()
            .filter(
                jurisdiction_code=draft.jurisdiction_code, unit_kind=draft.unit_kind,
                from_year=draft.from_year, status=QuotaStatus.PUBLISHED,
            )
            .first()
        )
        before = policy_snapshot(current) if current is not None else None
        if current is not None:
            current.delete()
        draft.status = QuotaStatus.PUBLISHED
        draft.save(update_fields=["status"])
        audit.record(
            "assessment.quota_policy.publish", actor=actor, obj=draft,
            before=before, after=policy_snapshot(draft),
        )
    return draft
