"""Loading a jurisdiction's decided cases for tolerance.impact (set-based, read-only)."""

from __future__ import annotations

import datetime as dt

from cadres.models import Authority, Unit
from core.policies import PolicyStatus, policy_in_force_for_unit

from .history import earlier_case
from .impact import DecidedEntry, Impact, advice_changes
from .models import CaseCadre, PolicyVersion


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


def decided_entries(draft: PolicyVersion, current: PolicyVersion) -> list[DecidedEntry]:
    """Every decided cadre the draft would judge, with the cadre's earlier cases (two
    queries, whatever the number of cases)."""
    rows = list(
        _decided_rows(draft, current).select_related("case__matter", "cadre").order_by(
            "case_id", "id"
        )
    )
    cadre_ids = {r.cadre_id for r in rows}
    earlier: dict[int, list] = {}
    for other in (
        CaseCadre.objects.filter(cadre_id__in=cadre_ids)
        .select_related("case__matter")
        .order_by("-case__matter__occurred_on", "-case_id")
    ):
        earlier.setdefault(other.cadre_id, []).append(other)
    found = []
    for row in rows:
        occurred = row.case.matter.occurred_on
        prior = tuple(
            earlier_case(o)
            for o in earlier.get(row.cadre_id, ())
            if o.case_id != row.case_id and o.case.matter.occurred_on <= occurred
        )
        found.append(
            DecidedEntry(
                key=row.pk,
                case=str(row.case),
                cadre=row.cadre.name,
                outcome=row.outcome,
                occurred_on=occurred,
                findings=row.findings(),
                not_same_reason=row.not_same_error_reason,
                earlier=prior,
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
