"""Pure policy rules of error tolerance (容错纠错): what the findings on one matter point to.

No ORM here; everything works on plain values and a `policy_types.Policy`.

Decision logic of `summarize` (each step names the clause codes behind it):

1. **Bars.** Tolerance is refused (`not_tolerated`) as soon as one bar is established:
   an exclusion is present (X…), a distinction falls on its non-tolerable side (D…), one of
   the four conditions fails (C…), or the situations were assessed and none matches
   (``NO-SITUATION``). Every established bar is cited. Missing facts elsewhere cannot undo a
   bar, so they do not delay this answer (they are still listed in `missing`).
2. **Missing facts.** Otherwise, if any distinction, condition or exclusion is undetermined,
   the situations have not been assessed, or the severity of consequences or the remedy is
   unknown, the advice is `undetermined`; `missing` (and `reasons`) name each gap.
3. **Grading.** Otherwise every condition holds, every distinction is on the tolerable side,
   no exclusion is present and at least one situation matches. Start from exemption and count
   aggravating steps:

   * consequences serious: +1; grave: +2;
   * risk assessed and filed beforehand (防错备案): −1 on the consequence steps only
     (never below 0; it does not excuse a missing remedy);
   * no remedial action (未积极主动消除影响或挽回损失): +1.

   0 steps → `exempt` (免责); 1 → `mitigated` (减轻, below the normal range);
   2 or more → `lighter` (从轻, the light end of the normal range). Grading never reaches
   `not_tolerated`: refusing tolerance needs a bar from step 1.

The result explains itself: conditions holding / failing / undetermined, exclusions that
apply, matched situations, conflicts between related findings (e.g. private gain present
while D3 is marked tolerable), and the reasons behind the advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .enums import Advice, ConditionStatus, DistinctionSide, ExclusionStatus, Severity
from .policy_types import Policy

NO_SITUATION = "NO-SITUATION"
SITUATIONS = "SITUATIONS"
SEVERITY = "SEVERITY"
REMEDY = "REMEDY"
RISK_FILED = "RISK-FILED"

FACT_TEXTS = MappingProxyType(
    {
        "no_situation": _("No tolerance situation of the catalog matches the facts."),
        "situations_missing": _("The tolerance situations have not been assessed."),
        "severity_missing": _("The severity of the consequences has not been established."),
        "remedy_missing": _("It has not been established whether remedial action was taken."),
        "remedy_taken": _("Remedial action was taken to eliminate the impact or recover losses."),
        "remedy_not_taken": _(
            "No remedial action was taken to eliminate the impact or recover losses."
        ),
        "severity_minor": _("The consequences are minor."),
        "severity_serious": _("The consequences are serious."),
        "severity_grave": _("The consequences are grave."),
        "risk_filed": _("The risk was assessed and filed beforehand."),
        "conflict_distinction": _(
            "Exclusion %(exclusion)s is present but %(other)s is on its tolerable side."
        ),
        "conflict_condition": _(
            "Exclusion %(exclusion)s is present but condition %(other)s holds."
        ),
        "conflict_absent": _(
            "Exclusion %(exclusion)s is absent but %(other)s is on its non-tolerable side."
        ),
    }
)

_SEVERITY_STEPS = {Severity.MINOR: 0, Severity.SERIOUS: 1, Severity.GRAVE: 2}
_GRADES = (Advice.EXEMPT, Advice.MITIGATED, Advice.LIGHTER)


@dataclass(frozen=True)
class Findings:
    """What the investigation established about one cadre's matter.

    Codes missing from a mapping count as undetermined. `situations` is None until the
    situations have been assessed; an empty set means assessed and none matches.
    """

    distinctions: Mapping[str, str] = field(default_factory=dict)
    conditions: Mapping[str, str] = field(default_factory=dict)
    exclusions: Mapping[str, str] = field(default_factory=dict)
    situations: frozenset[str] | None = None
    remedy_taken: bool | None = None
    risk_filed: bool = False
    severity: str | None = None


@dataclass(frozen=True)
class Reason:
    """A clause code (or a fact code such as ``REMEDY``) and its text."""

    code: str
    text: str


@dataclass(frozen=True)
class RulesSummary:
    policy_code: str
    advice: Advice
    reasons: tuple[Reason, ...]
    conditions_holding: tuple[Reason, ...]
    conditions_failing: tuple[Reason, ...]
    distinctions_tolerable: tuple[Reason, ...]
    distinctions_not_tolerable: tuple[Reason, ...]
    exclusions_applying: tuple[Reason, ...]
    situations_matched: tuple[Reason, ...]
    missing: tuple[Reason, ...]
    conflicts: tuple[str, ...]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def missing_codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.missing)


@dataclass(frozen=True)
class VoteResult:
    members: int
    present: int
    votes_for: int
    required_present: int
    required_votes: int
    quorate: bool
    passed: bool


def summarize(findings: Findings, policy: Policy) -> RulesSummary:
    """Apply the policy to the findings; see the module docstring for the logic."""
    _check_codes(findings, policy)

    distinctions = {
        d.code: DistinctionSide(findings.distinctions.get(d.code, DistinctionSide.UNDETERMINED))
        for d in policy.distinctions
    }
    conditions = {
        c.code: ConditionStatus(findings.conditions.get(c.code, ConditionStatus.UNDETERMINED))
        for c in policy.conditions
    }
    exclusions = {
        x.code: ExclusionStatus(findings.exclusions.get(x.code, ExclusionStatus.UNDETERMINED))
        for x in policy.exclusions
    }

    tolerable = tuple(
        Reason(d.code, d.tolerable)
        for d in policy.distinctions
        if distinctions[d.code] == DistinctionSide.TOLERABLE
    )
    not_tolerable = tuple(
        Reason(d.code, d.not_tolerable)
        for d in policy.distinctions
        if distinctions[d.code] == DistinctionSide.NOT_TOLERABLE
    )
    holding = tuple(
        Reason(c.code, c.text)
        for c in policy.conditions
        if conditions[c.code] == ConditionStatus.HOLDS
    )
    failing = tuple(
        Reason(c.code, c.text)
        for c in policy.conditions
        if conditions[c.code] == ConditionStatus.FAILS
    )
    applying = tuple(
        Reason(x.code, x.text)
        for x in policy.exclusions
        if exclusions[x.code] == ExclusionStatus.PRESENT
    )
    matched = tuple(
        Reason(s.code, s.text)
        for s in policy.situations
        if findings.situations is not None and s.code in findings.situations
    )

    missing = [
        *(
            Reason(x.code, x.text)
            for x in policy.exclusions
            if exclusions[x.code] == ExclusionStatus.UNDETERMINED
        ),
        *(
            Reason(d.code, f"{d.tolerable} / {d.not_tolerable}")
            for d in policy.distinctions
            if distinctions[d.code] == DistinctionSide.UNDETERMINED
        ),
        *(
            Reason(c.code, c.text)
            for c in policy.conditions
            if conditions[c.code] == ConditionStatus.UNDETERMINED
        ),
    ]
    if findings.situations is None:
        missing.append(Reason(SITUATIONS, str(FACT_TEXTS["situations_missing"])))
    if findings.severity is None:
        missing.append(Reason(SEVERITY, str(FACT_TEXTS["severity_missing"])))
    if findings.remedy_taken is None:
        missing.append(Reason(REMEDY, str(FACT_TEXTS["remedy_missing"])))

    bars = [*applying, *not_tolerable, *failing]
    if findings.situations is not None and not matched:
        bars.append(Reason(NO_SITUATION, str(FACT_TEXTS["no_situation"])))

    if bars:
        advice, reasons = Advice.NOT_TOLERATED, tuple(bars)
    elif missing:
        advice, reasons = Advice.UNDETERMINED, tuple(missing)
    else:
        advice, facts = _grade(findings)
        reasons = (*matched, *tolerable, *holding, *facts)

    return RulesSummary(
        policy_code=policy.code,
        advice=advice,
        reasons=reasons,
        conditions_holding=holding,
        conditions_failing=failing,
        distinctions_tolerable=tolerable,
        distinctions_not_tolerable=not_tolerable,
        exclusions_applying=applying,
        situations_matched=matched,
        missing=tuple(missing),
        conflicts=_conflicts(policy, distinctions, conditions, exclusions),
    )


def _grade(findings: Findings) -> tuple[Advice, tuple[Reason, ...]]:
    severity = Severity(findings.severity)
    facts = [Reason(SEVERITY, str(FACT_TEXTS[f"severity_{severity.value}"]))]
    consequence_steps = _SEVERITY_STEPS[severity]
    if findings.risk_filed:
        facts.append(Reason(RISK_FILED, str(FACT_TEXTS["risk_filed"])))
        consequence_steps = max(consequence_steps - 1, 0)
    if findings.remedy_taken:
        facts.append(Reason(REMEDY, str(FACT_TEXTS["remedy_taken"])))
        remedy_steps = 0
    else:
        facts.append(Reason(REMEDY, str(FACT_TEXTS["remedy_not_taken"])))
        remedy_steps = 1
    steps = consequence_steps + remedy_steps
    return _GRADES[min(steps, len(_GRADES) - 1)], tuple(facts)


def _conflicts(policy, distinctions, conditions, exclusions) -> tuple[str, ...]:
    """Findings that contradict each other: an exclusion and its distinction or condition."""
    found = []
    for x in policy.exclusions:
        status = exclusions[x.code]
        if x.distinction and status == ExclusionStatus.PRESENT:
            if distinctions[x.distinction] == DistinctionSide.TOLERABLE:
                found.append(
                    str(FACT_TEXTS["conflict_distinction"])
                    % {"exclusion": x.code, "other": x.distinction}
                )
        if x.condition and status == ExclusionStatus.PRESENT:
            if conditions[x.condition] == ConditionStatus.HOLDS:
                found.append(
                    str(FACT_TEXTS["conflict_condition"])
                    % {"exclusion": x.code, "other": x.condition}
                )
        if x.distinction and status == ExclusionStatus.ABSENT:
            if distinctions[x.distinction] == DistinctionSide.NOT_TOLERABLE:
                found.append(
                    str(FACT_TEXTS["conflict_absent"])
                    % {"exclusion": x.code, "other": x.distinction}
                )
    return tuple(found)


def _check_codes(findings: Findings, policy: Policy) -> None:
    """Unknown codes are a programming or data error, not a finding: fail loudly."""
    _require_known("distinction", findings.distinctions, {d.code for d in policy.distinctions})
    _require_known("condition", findings.conditions, {c.code for c in policy.conditions})
    _require_known("exclusion", findings.exclusions, {x.code for x in policy.exclusions})
    _require_known("situation", findings.situations or (), {s.code for s in policy.situations})
    if findings.severity is not None:
        Severity(findings.severity)


def _require_known(kind: str, codes: Iterable[str], known: set[str]) -> None:
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValueError(f"unknown {kind} code(s) for this policy: {', '.join(unknown)}")


def departs_from_advice(advice: str, decided_outcome: str) -> bool:
    """True when the decision differs from what the rules pointed to.

    A decision taken while the advice is undetermined always departs from it: the committee
    decided on facts the rules could not weigh, so it must give its reasons in writing.
    """
    advice = Advice(advice)
    if advice == Advice.UNDETERMINED:
        return True
    return Advice(decided_outcome) != advice


@dataclass(frozen=True)
class DeliberationRules:
    """Quorum, majority and who records the conclusion (policy data on the policy version).

    Quorum: more than (``quorum_exceeds``) or at least `quorum` of the committee's members
    present. Majority: strictly more than `majority` of the base (all members, or those
    present). `decider`: "present_member" or "chair".
    """

    quorum: Fraction
    quorum_exceeds: bool
    majority: Fraction
    majority_base: str
    decider: str

    @staticmethod
    def share(text: str, *, upper_ok: bool) -> Fraction:
        """A share written as "1/2"; ValueError unless in (0, 1) ((0, 1] when `upper_ok`)."""
        value = Fraction(str(text).strip())
        if not (0 < value < 1 or (upper_ok and value == 1)):
            raise ValueError(f"share out of range: {text!r}")
        return value

    @classmethod
    def parse(cls, *, quorum, quorum_exceeds, majority, majority_base, decider):
        if majority_base not in ("members", "present"):
            raise ValueError(f"unknown majority base {majority_base!r}")
        if decider not in ("present_member", "chair"):
            raise ValueError(f"unknown decider {decider!r}")
        quorum_share = cls.share(quorum, upper_ok=True)
        if quorum_exceeds and quorum_share == 1:
            raise ValueError("more than all the members can never be present")
        return cls(
            quorum=quorum_share,
            quorum_exceeds=bool(quorum_exceeds),
            majority=cls.share(majority, upper_ok=False),
            majority_base=majority_base,
            decider=decider,
        )

    def required_present(self, members: int) -> int:
        """How many of `members` must be present for the meeting to deliberate."""
        exact = members * self.quorum.numerator
        if self.quorum_exceeds:
            return exact // self.quorum.denominator + 1
        return -(-exact // self.quorum.denominator)


DEFAULT_DELIBERATION = DeliberationRules(
    quorum=Fraction(1, 2),
    quorum_exceeds=True,
    majority=Fraction(1, 2),
    majority_base="members",
    decider="present_member",
)


@dataclass(frozen=True)
class QuorumCheck:
    members: int
    present: int
    required_present: int
    quorate: bool


def quorum_check(members: int, present: int, rules: DeliberationRules) -> QuorumCheck:
    """Is a meeting with `present` of the roster's `members` quorate under the rules?"""
    if members < 1:
        raise ValueError("a committee has at least one member")
    if not 0 <= present <= members:
        raise ValueError("members present must be between 0 and the number of members")
    required = rules.required_present(members)
    return QuorumCheck(members, present, required, present >= required)


def vote_result(members: int, present: int, votes_for: int, rules: DeliberationRules) -> VoteResult:
    """Check a committee vote against the quorum and majority of the rules.

    Default (DEFAULT_DELIBERATION): more than half of the members present (4 members → 3),
    and more than half of all the members voting for (4 members → 3); exactly half fails.
    """
    quorum = quorum_check(members, present, rules)
    if not 0 <= votes_for <= present:
        raise ValueError("votes for must be between 0 and the number present")
    base = present if rules.majority_base == "present" else members
    required_votes = base * rules.majority.numerator // rules.majority.denominator + 1
    return VoteResult(
        members=members,
        present=present,
        votes_for=votes_for,
        required_present=quorum.required_present,
        required_votes=required_votes,
        quorate=quorum.quorate,
        passed=quorum.quorate and votes_for >= required_votes,
    )
