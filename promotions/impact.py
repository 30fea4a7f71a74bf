"""Impact before publishing an up/down measure: the last scan's findings under the draft
against the version in force — which (cadre, trigger area) findings the draft would add or
drop. Read-only and set-based: the same candidate queries as the scan (part_candidates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max

from cadres.models import Cadre, Unit
from core.policies import jurisdiction_partition, policy_in_force_for_unit

from .enums import TriggerArea
from .models import PromotionPolicy, Proposal
from .policies import KIND
from .triggers.scan import part_candidates


@dataclass(frozen=True)
class FindingChange:
    cadre_id: int
    cadre: str
    area: str

    @property
    def area_label(self) -> str:
        return str(TriggerArea(self.area).label) if self.area in TriggerArea.values else self.area


@dataclass(frozen=True)
class ScanImpact:
    year: int
    current: PromotionPolicy | None
    before: int
    after: int
    added: tuple[FindingChange, ...]
    dropped: tuple[FindingChange, ...]


def compare(before: Iterable[tuple[int, str]], after: Iterable[tuple[int, str]]):
    """(added, dropped) (cadre id, area) pairs, sorted: pure."""
    old, new = set(before), set(after)
    return sorted(new - old), sorted(old - new)


def _part(draft: PromotionPolicy, on: dt.date):
    unit = Unit.objects.filter(code=draft.jurisdiction_code).first() if draft.jurisdiction_code \
        else None
    path = unit.path if unit is not None else ""
    parts = jurisdiction_partition(KIND, on)
    own = next(((v, p, inner) for v, p, inner in parts if p == path), None)
    if own is not None:
        return own
    current = policy_in_force_for_unit(KIND, unit, on) if unit is not None else None
    inner = [p for _v, p, _i in parts if p and p != path and p.startswith(path)]
    return current, path, inner


def draft_scan_impact(draft: PromotionPolicy, on: dt.date) -> ScanImpact:
    current, path, inner = _part(draft, on)
    last = (
        Proposal.objects.filter(unit__path__startswith=path)
        .exclude(clause="staff")
        .aggregate(year=Max("year"))["year"]
    ) or on.year - 1
    before = part_candidates(last, current, path, inner) if current is not None else []
    after = part_candidates(last, draft, path, inner)
    added, dropped = compare(
        ((c.cadre_id, c.area) for c in before), ((c.cadre_id, c.area) for c in after)
    )
    names = dict(
        Cadre.objects.filter(pk__in={c for c, _a in added + dropped}).values_list("pk", "name")
    )
    return ScanImpact(
        year=last,
        current=current,
        before=len({(c.cadre_id, c.area) for c in before}),
        after=len({(c.cadre_id, c.area) for c in after}),
        added=tuple(FindingChange(c, names.get(c, ""), a) for c, a in added),
        dropped=tuple(FindingChange(c, names.get(c, ""), a) for c, a in dropped),
    )
