"""Loading a jurisdiction's decided cases for tolerance.impact (set-based, read-only)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cadres.models import Authority, Unit
from core.policies import PolicyStatus, policy_in_force_for_unit

from .impact import DecidedEntry, Impact, advice_changes
from .models import CaseCadre, PolicyVersion
from .repeated import EarlierCase
from .rules import Findings


def _decided_rows(draft: PolicyVersion, current: PolicyVersion):
    """The decided cadres of the cases the draft would judge: cases of authorities in the
    draft's jurisdiction, judged under the version in force there (a nearer jurisdiction
    with a measure of its own keeps it, so its cases are not affected)."""
    rows = CaseCadre.objects.exclude(outcome="")
    if draft.jurisdiction_code:
        unit = Unit.objects.filter(code=draft.jurisdiction_code).first()
        if unit is None:
            return CaseCadre.objects.none()
        inside = Authority.objects.filter(root_units__path__startswith=unit.path)
        rows = rows.filter(case__authority__in=inside)
    return rows.filter(case__policy_version__jurisdiction_code=current.jurisdiction_code)


def _reference(pk: int, created_at) -> str:
    """Case.reference from plain values (no model instance)."""
    year = timezone.localtime(created_at).year if created_at else ""
    return f"RC{year}-{pk or 0:05d}"


def decided_entries(draft: PolicyVersion, current: PolicyVersion) -> list[DecidedEntry]:
    """Every decided cadre the draft would judge, with the cadre's earlier cases (two
    queries, whatever the number of cases; plain rows, no model instances)."""
    rows = list(
        _decided_rows(draft, current)
        .order_by("case_id", "id")
        .values_list(
            "pk",
            "case_id",
            "case__created_at",
            "cadre_id",
            "cadre__name",
            "outcome",
            "case__matter__occurred_on",
            "distinctions",
            "conditions",
            "exclusions",
            "situations",
            "remedy_taken",
            "risk_filed",
            "severity",
            "not_same_error_reason",
        )
    )
    earlier: dict[int, list[tuple]] = {}
    for cadre_id, case_id, created, outcome, situations, title, occurred in (
        CaseCadre.objects.filter(cadre_id__in={r[3] for r in rows})
        .order_by("-case__matter__occurred_on", "-case_id")
        .values_list(
            "cadre_id",
            "case_id",
            "case__created_at",
            "outcome",
            "situations",
            "case__matter__title",
            "case__matter__occurred_on",
        )
    ):
        earlier.setdefault(cadre_id, []).append(
            (
                case_id,
                occurred,
                EarlierCase(
                    _reference(case_id, created),
                    outcome,
                    frozenset(situations or ()),
                    title,
                    occurred,
                ),
            )
        )
    found = []
    for (
        pk,
        case_id,
        created,
        cadre_id,
        name,
        outcome,
        occurred,
        distinctions,
        conditions,
        exclusions,
        situations,
        remedy,
        risk,
        severity,
        reason,
    ) in rows:
        found.append(
            DecidedEntry(
                key=pk,
                case=_reference(case_id, created),
                cadre=name,
                outcome=outcome,
                occurred_on=occurred,
                findings=Findings(
                    distinctions=dict(distinctions or {}),
                    conditions=dict(conditions or {}),
                    exclusions=dict(exclusions or {}),
                    situations=frozenset(situations) if situations is not None else None,
                    remedy_taken=remedy,
                    risk_filed=risk,
                    severity=severity or None,
                ),
                not_same_reason=reason,
                earlier=tuple(
                    e
                    for other, on, e in earlier.get(cadre_id, ())
                    if other != case_id and on <= occurred
                ),
            )
        )
    return found


def version_in_force_for(draft: PolicyVersion, on: dt.date) -> PolicyVersion | None:
    """The published version judging the draft's jurisdiction on `on`: its own, or (for a
    jurisdiction starting its first measure) the one it is judged under now."""
    if not draft.jurisdiction_code:
        return (
            PolicyVersion.objects.filter(
                jurisdiction_code="", status=PolicyStatus.PUBLISHED, effective_from__lte=on
            )
            .order_by("-effective_from", "-id")
            .first()
        )
    unit = Unit.objects.filter(code=draft.jurisdiction_code).first()
    return policy_in_force_for_unit("tolerance", unit, on) if unit is not None else None


def draft_impact(draft: PolicyVersion, on: dt.date) -> tuple[PolicyVersion | None, Impact]:
    """The version in force and what the draft would change on its decided cases."""
    current = version_in_force_for(draft, on)
    if current is None:
        return None, Impact(0, ())
    entries = decided_entries(draft, current)
    return current, advice_changes(entries, current.policy, draft.policy)
