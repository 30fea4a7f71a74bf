"""The shapes of a tolerance policy's content: plain frozen dataclasses, no database.

tolerance.catalogs holds each jurisdiction's default content in these shapes; a published
policy version is parsed into a `Policy` (tolerance.policy_data) that the pure rules read.
Every entry's `confidence` says where its wording comes from (see tolerance.catalogs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

Confidence = Literal["seed", "public_text", "reconstructed"]


Basis = Literal["seed", "default_chosen"]


@dataclass(frozen=True)
class Source:
    """The measure (办法 / 意见) an entry belongs to."""

    title: str
    issuer: str
    date: str  # as precise as known: "2016", "2016-06"; "" when no source states it
    note: str = ""


@dataclass(frozen=True)
class Situation:
    """One tolerance situation (容错情形) of a jurisdiction's catalog."""

    code: str
    text: str
    source: Source
    confidence: Confidence
    evidence: str  # where the wording comes from (seed file or URL), or how it was reconstructed


@dataclass(frozen=True)
class Distinction:
    """One of the three distinctions (三个区分开来): a tolerable and a non-tolerable side."""

    code: str
    tolerable: str
    not_tolerable: str
    source: Source
    confidence: Confidence
    evidence: str


@dataclass(frozen=True)
class Condition:
    """A condition that must hold for tolerance (Jinan's four conditions, seed 000)."""

    code: str
    text: str
    source: Source
    confidence: Confidence
    evidence: str


@dataclass(frozen=True)
class Exclusion:
    """A circumstance under which tolerance is refused whatever else holds."""

    code: str
    text: str
    source: Source
    confidence: Confidence
    evidence: str
    distinction: str = ""  # the distinction whose non-tolerable side this is, if any
    condition: str = ""  # the condition this contradicts, if any


@dataclass(frozen=True)
class ProcedureParameters:
    """Deadlines in working days, publication and committee voting rules."""

    acceptance_days: int  # decide to accept / not accept an application
    investigation_days: int  # investigation and verification (调查核实)
    investigation_extension_days: int  # one extension, with approval
    decision_days: int  # collective decision after the investigation report
    feedback_days: int  # feed the conclusion back to the applicant
    appeal_window_days: int  # the cadre / unit may ask for review of the conclusion
    published_outcomes: tuple[str, ...]  # outcomes that are made public
    publication_scopes: tuple[str, ...]  # scopes the committee may choose from
    default_publication_scope: str
    quorum: Fraction  # share of members who must be present ("at least")
    majority: Fraction  # share of the base that must vote for ("more than")
    majority_base: Literal["present", "members"]
    # Remind the people responsible this many working days before a due date. Versions stored
    # before this existed load with DEFAULT_REMINDER_DAYS (policy_data.policy_from_data).
    reminder_days: int = 2


@dataclass(frozen=True)
class RepeatedErrors:
    """A measure's rule on repeated errors: an earlier tolerated case of the same kind (same
    situation, or the same matter category) within `look_back_years` before the conduct
    makes the advice 不予容错 (`effect` "refuse") or adds a warning (`effect` "warn")."""

    exclusion: str  # the exclusion clause the advice cites
    look_back_years: int
    effect: Literal["refuse", "warn"]


@dataclass(frozen=True)
class Policy:
    """One jurisdiction's measure, as the rules consume it."""

    code: str
    jurisdiction: str
    source: Source
    situations: tuple[Situation, ...]
    distinctions: tuple[Distinction, ...]
    conditions: tuple[Condition, ...]
    exclusions: tuple[Exclusion, ...]
    procedure: ProcedureParameters
    # Guanyun-style separations the reviewer keeps apart (失误/失职 …); informative only.
    separations: tuple[tuple[str, str], ...] = field(default=())
    repeated_errors: RepeatedErrors | None = None

    def situation(self, code: str) -> Situation:
        return _by_code(self.situations, code)

    def distinction(self, code: str) -> Distinction:
        return _by_code(self.distinctions, code)

    def condition(self, code: str) -> Condition:
        return _by_code(self.conditions, code)

    def exclusion(self, code: str) -> Exclusion:
        return _by_code(self.exclusions, code)


def _by_code(entries, code):
    for entry in entries:
        if entry.code == code:
            return entry
    raise KeyError(code)
