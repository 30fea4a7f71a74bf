"""Pure rules of exceptional promotion (破格提拔, Jinan seed 000); no ORM.

Like promotions.triggers.rules, each returns a result that names the clause and the facts it
used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from promotions.incentives.rules import full_years
from promotions.policy_data import Terms
from promotions.policy_jinan import ExceptionalTerms, Situation
from promotions.triggers.rules import GOOD_GRADES

# --------------------------------------------------------------- exceptional promotion


@dataclass(frozen=True)
class Threshold:
    """One threshold of a promotion, checked for an exceptional-promotion request.

    status: "met" (nothing to waive), "waived" (not met, and the policy lets an exceptional
    promotion waive it), "blocked" (not met and not waivable, or an obstacle).
    """

    code: str  # years_in_rank / rank_step / situation / warnings / matters
    status: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExceptionalCheck:
    thresholds: tuple[Threshold, ...]

    @property
    def waived(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.thresholds if t.status == "waived")

    @property
    def blocked(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.thresholds if t.status == "blocked")

    @property
    def submittable(self) -> bool:
        """Something is waived (else it is an ordinary promotion) and nothing blocks."""
        return bool(self.waived) and not self.blocked


def rank_steps(current: int, target: int, ladder: Iterable[int]) -> int:
    """Leadership levels climbed from `current` to `target` (0 when not above)."""
    return sum(1 for rank in ladder if current < rank <= target)


def _waivable(code: str, met: bool, ex: ExceptionalTerms) -> str:
    if met:
        return "met"
    return "waived" if code in ex.waivable else "blocked"


def exceptional_check(
    *,
    as_of: dt.date,
    current_rank: int,
    rank_since: dt.date,
    target_rank: int,
    situation: Situation,
    grades: Mapping[int, str],
    open_warnings: int,
    counting_matters: int,
    terms: Terms,
    ex: ExceptionalTerms,
) -> ExceptionalCheck:
    """The thresholds of promoting this cadre to `target_rank`, which of them an exceptional
    promotion waives, and what blocks it (seed 000; numbers from the policy version).

    - years in rank below the policy's minimum: waived when the policy allows;
    - more than one step up the leadership ladder (越级): waived when the policy allows;
    - the chosen situation, when it has a check (e.g. the grades situation: competent or
      better in each of the last `grade_years` years, excellent at least `excellent_needed`
      times), must be met;
    - open check-up warnings and accountability matters that still count are never waived
      (no promotion "while ill", seed 001; exempted matters do not count, seed 003).
    """
    years = full_years(rank_since, as_of)
    thresholds = [
        Threshold(
            "years_in_rank",
            _waivable("years_in_rank", years >= terms.min_years_in_rank, ex),
            {"years": years, "minimum": terms.min_years_in_rank, "since": rank_since.isoformat()},
        )
    ]
    steps = rank_steps(current_rank, target_rank, ex.ladder)
    thresholds.append(
        Threshold(
            "rank_step",
            _waivable("rank_step", steps <= 1, ex),
            {"steps": steps, "current": current_rank, "target": target_rank},
        )
    )
    if situation.check == "grades":
        window = list(range(as_of.year - terms.grade_years, as_of.year))
        shown = {y: grades.get(y) for y in window}
        excellent = sum(1 for g in shown.values() if g == "excellent")
        met = all(g in GOOD_GRADES for g in shown.values()) and excellent >= terms.excellent_needed
        thresholds.append(
            Threshold(
                "situation",
                "met" if met else "blocked",
                {
                    "grades": {str(y): g for y, g in shown.items()},
                    "excellent": excellent,
                    "needed": terms.excellent_needed,
                },
            )
        )
    thresholds.append(
        Threshold("warnings", "blocked" if open_warnings else "met", {"count": open_warnings})
    )
    thresholds.append(
        Threshold("matters", "blocked" if counting_matters else "met", {"count": counting_matters})
    )
    return ExceptionalCheck(tuple(thresholds))
