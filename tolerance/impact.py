"""Impact before publishing: what a draft tolerance measure would change against the version
in force, on the jurisdiction's decided cases.

`advice_changes` is pure: each decided cadre's recorded findings are run through the rules
under both measures (tolerance.rules.summarize with the repeated-error rule), and the cadres
whose advice would differ are reported with why (the reasons that appear or disappear).
`jurisdiction_impact` loads the cases set-based (two queries, whatever their number) and
writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .catalogs import Policy
from .enums import Advice, Outcome
from .repeated import EarlierCase, apply_repeated_error, find_repeated_error
from .rules import Findings, Reason, RulesSummary, summarize


@dataclass(frozen=True)
class DecidedEntry:
    """One decided cadre of a case, as plain values."""

    key: int  # the CaseCadre id
    case: str  # the case number
    cadre: str
    outcome: str
    occurred_on: dt.date
    findings: Findings
    not_same_reason: str = ""
    earlier: tuple[EarlierCase, ...] = ()


@dataclass(frozen=True)
class AdviceChange:
    entry: DecidedEntry
    before: str  # Advice value under the version in force
    after: str  # under the draft
    added: tuple[Reason, ...]  # reasons the draft gives that the version in force does not
    dropped: tuple[Reason, ...]  # reasons of the version in force the draft no longer gives

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.entry.outcome).label) if self.entry.outcome else ""

    @property
    def before_label(self) -> str:
        return str(Advice(self.before).label)

    @property
    def after_label(self) -> str:
        return str(Advice(self.after).label)


@dataclass(frozen=True)
class Impact:
    examined: int
    changes: tuple[AdviceChange, ...]

    def count_by(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for c in self.changes:
            pair = (c.before_label, c.after_label)
            counts[pair] = counts.get(pair, 0) + 1
        return counts


def fit(findings: Findings, policy: Policy) -> Findings:
    """The findings on the clauses `policy` has: a clause a draft drops is no longer found,
    a clause it adds is not yet established."""
    known = {
        "distinctions": {d.code for d in policy.distinctions},
        "conditions": {c.code for c in policy.conditions},
        "exclusions": {x.code for x in policy.exclusions},
    }
    situations = findings.situations
    return dataclasses.replace(
        findings,
        **{
            name: {k: v for k, v in getattr(findings, name).items() if k in codes}
            for name, codes in known.items()
        },
        situations=(
            None
            if situations is None
            else frozenset(situations) & {s.code for s in policy.situations}
        ),
    )


def advice(entry: DecidedEntry, policy: Policy) -> RulesSummary:
    findings = fit(entry.findings, policy)
    summary = summarize(findings, policy)
    found = find_repeated_error(
        policy,
        entry.earlier,
        situations=findings.situations,
        occurred_on=entry.occurred_on,
        not_same_reason=entry.not_same_reason,
    )
    return apply_repeated_error(summary, found)


def _key(reason: Reason) -> tuple[str, str]:
    return (reason.code, str(reason.text))


def advice_changes(entries: Iterable[DecidedEntry], current: Policy, draft: Policy) -> Impact:
    """The entries whose advice differs between `current` and `draft`, with why."""
    changes, examined = [], 0
    for entry in entries:
        examined += 1
        before, after = advice(entry, current), advice(entry, draft)
        if before.advice == after.advice:
            continue
        old = {_key(r) for r in before.reasons}
        new = {_key(r) for r in after.reasons}
        changes.append(
            AdviceChange(
                entry,
                str(before.advice),
                str(after.advice),
                tuple(r for r in after.reasons if _key(r) not in old),
                tuple(r for r in before.reasons if _key(r) not in new),
            )
        )
    return Impact(examined, tuple(changes))
