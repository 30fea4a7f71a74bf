"""What a tolerance conclusion means elsewhere: the one question other apps ask.

"Does this accountability matter still count against this cadre, and how?" Seed 003: a
cadre granted tolerance is not affected in assessment, promotion, rank advancement or
awards. Assessments, promotion eligibility and incentives call `matter_effect` or, for many
cadres at once, `matter_effects` (two queries: cases, and clearances of the matter by
another procedure, tolerance.clearances). It reads tolerance's tables only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import CaseState, Outcome


class Effect(models.TextChoices):
    COUNTS = "counts", _("Counts in full")
    REDUCED = "reduced", _("Counts, reduced")
    CLEARED = "cleared", _("Does not count (exempted)")


# A conclusion counts once it is recorded and the case was not abandoned.
SETTLED_STATES = frozenset(
    {
        CaseState.DECIDED,
        CaseState.RULING_ISSUED,
        CaseState.FED_BACK,
        CaseState.PUBLISHED,
        CaseState.APPEALED,
        CaseState.CLOSED,
    }
)


def effect_of_outcome(outcome: str | None) -> Effect:
    """Pure rule: exempt → cleared; lighter or mitigated → reduced; otherwise counts."""
    if outcome == Outcome.EXEMPT:
        return Effect.CLEARED
    if outcome in (Outcome.LIGHTER, Outcome.MITIGATED):
        return Effect.REDUCED
    return Effect.COUNTS


# The outcome a MatterEffect names when another procedure (a clarification) cleared it.
CLARIFIED = "clarified"


@dataclass(frozen=True)
class MatterEffect:
    effect: Effect
    outcome: str | None = None
    case_id: int | None = None

    @property
    def counts(self) -> bool:
        return self.effect != Effect.CLEARED


NO_CASE = MatterEffect(Effect.COUNTS)


def matter_effects(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], MatterEffect]:
    """Effect per (matter id, cadre id), in two queries; the latest settled case wins,
    unless the cadre was cleared of the matter (a clarification, 澄清正名): then it no
    longer counts."""
    from .clearances import cleared_pairs
    from .models import CaseCadre

    pairs = set(pairs)
    if not pairs:
        return {}
    matters = {m for m, _c in pairs}
    cadres = {c for _m, c in pairs}
    rows = (
        CaseCadre.objects.filter(
            case__matter_id__in=matters,
            cadre_id__in=cadres,
            case__state__in=SETTLED_STATES,
        )
        .exclude(outcome="")
        .order_by("case__matter_id", "cadre_id", "case_id")
        .values_list("case__matter_id", "cadre_id", "case_id", "outcome")
    )
    found: dict[tuple[int, int], MatterEffect] = {}
    for matter_id, cadre_id, case_id, outcome in rows:
        if (matter_id, cadre_id) in pairs:
            found[(matter_id, cadre_id)] = MatterEffect(
                effect_of_outcome(outcome), outcome, case_id
            )
    for pair in cleared_pairs(matters, cadres) & pairs:
        found[pair] = MatterEffect(Effect.CLEARED, CLARIFIED, found.get(pair, NO_CASE).case_id)
    return {pair: found.get(pair, MatterEffect(Effect.COUNTS)) for pair in pairs}


def matter_effect(matter_id: int, cadre_id: int) -> MatterEffect:
    return matter_effects([(matter_id, cadre_id)])[(matter_id, cadre_id)]
