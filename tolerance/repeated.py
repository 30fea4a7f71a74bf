"""The repeated-error exclusion (Zhejiang, seed 002 as DOMAIN.md §2 reads it): pure rules.

Where a measure has a `repeated_errors` rule, an earlier *tolerated* case of the same cadre
of the same kind (a situation in common) whose conduct lies within the look-back period
before this conduct makes the advice 不予容错 ("refuse") or adds a warning ("warn"), citing
the earlier case by number. The investigator may record that it is not the same error, with
a reason; the advice then says so instead. Accountability matters carry no category of their
own in this system, so "the same kind" is read as "a situation in common".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import Advice, Outcome
from .policy_types import Policy
from .rules import Reason, RulesSummary

TOLERATED = frozenset({Outcome.EXEMPT, Outcome.LIGHTER, Outcome.MITIGATED})


@dataclass(frozen=True)
class EarlierCase:
    number: str
    outcome: str
    situations: frozenset[str]
    matter: str
    occurred_on: dt.date


@dataclass(frozen=True)
class RepeatedError:
    effect: str  # "refuse", "warn", or "overridden"
    exclusion: str
    earlier: EarlierCase
    reason: Reason


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def find_repeated_error(
    policy: Policy,
    earlier: Iterable[EarlierCase],
    *,
    situations: frozenset[str] | None,
    occurred_on: dt.date,
    not_same_reason: str = "",
) -> RepeatedError | None:
    """The earliest-cited earlier case that makes this one a repeated error, or None."""
    rule = policy.repeated_errors
    if rule is None or not situations:
        return None
    since = _years_before(occurred_on, rule.look_back_years)
    matches = sorted(
        (
            case
            for case in earlier
            if case.outcome in TOLERATED
            and since <= case.occurred_on <= occurred_on
            and case.situations & situations
        ),
        key=lambda case: (case.occurred_on, case.number),
        reverse=True,
    )
    if not matches:
        return None
    found = matches[0]
    common = "、".join(sorted(found.situations & situations))
    if not_same_reason.strip():
        text = _(
            "Earlier case %(number)s (%(matter)s) shares situation %(codes)s, but the "
            "investigator recorded that it is not the same error: %(reason)s"
        ) % {
            "number": found.number,
            "matter": found.matter,
            "codes": common,
            "reason": not_same_reason.strip(),
        }
        return RepeatedError("overridden", rule.exclusion, found, Reason(rule.exclusion, text))
    text = _(
        "Repeated error: earlier case %(number)s (%(matter)s, conduct on %(date)s) was "
        "tolerated for the same situation %(codes)s within %(years)d years."
    ) % {
        "number": found.number,
        "matter": found.matter,
        "date": found.occurred_on.isoformat(),
        "codes": common,
        "years": rule.look_back_years,
    }
    return RepeatedError(rule.effect, rule.exclusion, found, Reason(rule.exclusion, text))


def apply_repeated_error(summary: RulesSummary, found: RepeatedError | None) -> RulesSummary:
    """The summary with the repeated-error rule applied: "refuse" makes the advice 不予容错
    with the earlier case as its first reason; "warn" and "overridden" add the reason only."""
    if found is None:
        return summary
    if found.effect == "refuse":
        bars = (found.reason, *(summary.reasons if summary.advice == Advice.NOT_TOLERATED else ()))
        return dataclasses.replace(
            summary,
            advice=Advice.NOT_TOLERATED,
            reasons=bars,
            exclusions_applying=(*summary.exclusions_applying, found.reason),
        )
    return dataclasses.replace(summary, reasons=(*summary.reasons, found.reason))
