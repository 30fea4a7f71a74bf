"""Collective deliberation: the committee meeting, its votes, and each cadre's conclusion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import User

from . import predicates as P
from .enums import Advice, CaseState, Outcome
from .errors import AlreadyDecided, CaseError
from .history import cadre_histories, entry_advice
from .models import Case, CaseCadre, Meeting, MeetingMember, Vote
from .rules import (
    DeliberationRules,
    QuorumCheck,
    departs_from_advice,
    quorum_check,
    vote_result,
)
from .workflow import case_transition


def _not_now() -> CaseError:
    return CaseError(_("Only the committee can do this while the case is in deliberation."))


def _locked_case(case_id: int, actor: User) -> Case:
    """The case, locked, if the actor sits on its authority's committee."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("policy_version")
        .get(pk=case_id)
    )
    if not P.can_deliberate(case, actor):
        raise _not_now()
    return case


def _locked_deliberating(case_id: int, actor: User) -> Case:
    case = _locked_case(case_id, actor)
    if case.state != CaseState.DELIBERATING:
        raise _not_now()
    return case


def committee_roster(authority_id: int) -> list[User]:
    """The authority's committee as its roster holds it today (active seats, active users)."""
    return list(
        User.objects.filter(
            is_active=True,
            committee_seats__authority_id=authority_id,
            committee_seats__active=True,
        ).order_by("committee_seats__id")
    )


def _share_words(share: Fraction) -> str:
    words = {
        Fraction(1, 2): _("half"),
        Fraction(2, 3): _("two thirds"),
        Fraction(3, 4): _("three quarters"),
        Fraction(1, 1): _("all"),
    }
    return str(words.get(share, f"{share.numerator}/{share.denominator}"))


def quorum_words(rules: DeliberationRules) -> str:
    """The quorum rule for people: "more than half of the members"."""
    text = (
        _("more than %(share)s of the members")
        if rules.quorum_exceeds
        else _("at least %(share)s of the members")
    )
    return text % {"share": _share_words(rules.quorum)}


def quorum_refusal(check: QuorumCheck, rules: DeliberationRules) -> str:
    """The refusal of a meeting below quorum, naming the quorum."""
    return _(
        "Below quorum: the committee has %(members)d members and %(rule)s (at least "
        "%(required)d) must be present; %(present)d were present. A meeting below quorum "
        "cannot be recorded as the collective deliberation."
    ) % {
        "members": check.members,
        "rule": quorum_words(rules),
        "required": check.required_present,
        "present": check.present,
    }


def check_held_on(held_on: dt.date, case: Case, today: dt.date) -> str:
    """'' when the meeting date can be recorded; else why not (never in the future, never
    before the referral to the committee)."""
    if held_on > today:
        return _("The meeting date cannot be in the future.")
    referred = timezone.localtime(case.referred_at).date() if case.referred_at else None
    if referred is not None and held_on < referred:
        return _(
            "The meeting cannot be before the case was referred to the committee (%(date)s)."
        ) % {"date": referred.isoformat()}
    return ""


def meeting_record(
    case: Case,
    *,
    actor: User,
    held_on,
    present: Collection[User],
    votes: Sequence[tuple[CaseCadre, User, str, str]] = (),
    minutes: str = "",
    location: str = "",
    chair: User | None = None,
) -> Meeting:
    """Record a committee meeting held on `held_on` (the real date, never in the future nor
    before the referral): the authority's roster, who of them was `present` (the others are
    absent), each vote with its opinion.

    A meeting below the quorum of the policy version is refused (CaseError naming the
    quorum) and nothing is saved.
    """
    with transaction.atomic():
        case = _locked_deliberating(case.pk, actor)
        problem = check_held_on(held_on, case, timezone.localdate())
        if problem:
            raise CaseError(problem, field="held_on")
        roster = committee_roster(case.authority_id)
        if not roster:
            raise CaseError(
                _("This authority has no committee roster yet; an administrator keeps it.")
            )
        on_roster = {user.pk for user in roster}
        came = {user.pk for user in present}
        for user in present:
            if user.pk not in on_roster:
                raise CaseError(
                    _("%(name)s is not on this authority's committee roster.") % {"name": user}
                )
        if chair is not None and chair.pk not in came:
            raise CaseError(_("The chair must be one of the members present."))
        rules = case.policy_version.deliberation
        check = quorum_check(len(roster), len(came), rules)
        if not check.quorate:
            raise CaseError(quorum_refusal(check, rules), field="__all__")
        entry_ids = set(case.entries.values_list("pk", flat=True))
        seen = set()
        for entry, member, outcome, _opinion in votes:
            if entry.pk not in entry_ids or member.pk not in came:
                raise CaseError(_("Only members present can vote, on cadres of this case."))
            if outcome not in Outcome.values or (entry.pk, member.pk) in seen:
                raise CaseError(_("Each member present votes once per cadre."))
            seen.add((entry.pk, member.pk))
        meeting = Meeting.objects.create(
            case=case,
            held_on=held_on,
            location=location,
            chair=chair,
            minutes=minutes,
            recorded_by=actor,
        )
        MeetingMember.objects.bulk_create(
            [MeetingMember(meeting=meeting, user=user, present=user.pk in came) for user in roster]
        )
        Vote.objects.bulk_create(
            [
                Vote(meeting=meeting, entry=entry, member=member, outcome=outcome, opinion=opinion)
                for entry, member, outcome, opinion in votes
            ]
        )
        audit.record(
            "tolerance.meeting.record",
            actor=actor,
            obj=case,
            after={
                "meeting": meeting.pk,
                "held_on": held_on.isoformat(),
                "members": len(roster),
                "present": len(came),
                "required_present": check.required_present,
                "votes": len(votes),
            },
            authority_id=case.authority_id,
        )
    return meeting


def tally(meeting: Meeting, entry: CaseCadre, outcome: str, rules: DeliberationRules):
    members = list(meeting.members.all())
    votes_for = sum(
        1 for vote in meeting.votes.all() if vote.entry_id == entry.pk and vote.outcome == outcome
    )
    return vote_result(len(members), sum(m.present for m in members), votes_for, rules)


def may_record_conclusion(meeting: Meeting, user: User, rules: DeliberationRules) -> bool:
    """Who may decide (policy data): the chair, or any member present at the meeting."""
    if rules.decider == "chair":
        return meeting.chair_id is not None and meeting.chair_id == user.pk
    return any(m.user_id == user.pk and m.present for m in meeting.members.all())


def entry_decide(
    entry: CaseCadre,
    *,
    actor: User,
    outcome: str,
    reason: str,
    meeting: Meeting,
    relied_on: Sequence[str] | None = None,
    departure_reason: str = "",
) -> CaseCadre:
    """Record the committee's conclusion on one cadre; when every cadre has one, the case
    is decided and the rulings are issued after the commit.

    Two people deciding at once: the case row is locked first, so the second waits and
    then finds the conclusion recorded (AlreadyDecided, naming it), whatever order they
    arrive in — even when the first decision moved the case on to "decided".

    The conclusion follows the meeting's majority, is recorded by whom the policy says
    (a member present, or the chair), and one that departs from the rules advice needs
    `departure_reason`; otherwise CaseError, nothing saved.
    """
    reason = (reason or "").strip()
    departure_reason = (departure_reason or "").strip()
    if outcome not in Outcome.values:
        raise CaseError(_("Choose a conclusion."))
    if not reason:
        raise CaseError(_("Give the reasons for the conclusion, tied to the findings."))
    with transaction.atomic():
        case = _locked_case(entry.case_id, actor)
        entry = CaseCadre.objects.select_for_update().get(pk=entry.pk)
        if entry.outcome:
            raise AlreadyDecided(
                _(
                    "Someone else was faster: the conclusion on %(cadre)s is already "
                    "recorded (%(outcome)s)."
                )
                % {"cadre": entry.cadre, "outcome": Outcome(entry.outcome).label}
            )
        if case.state != CaseState.DELIBERATING:
            raise _not_now()
        if meeting.case_id != case.pk:
            raise CaseError(_("That meeting belongs to another case."))
        policy = case.policy_version.policy
        rules = case.policy_version.deliberation
        if not may_record_conclusion(meeting, actor, rules):
            raise CaseError(
                _("Only the chair of the meeting records its conclusion.")
                if rules.decider == "chair"
                else _("Only a member present at the meeting records its conclusion.")
            )
        result = tally(meeting, entry, outcome, rules)
        if not result.passed:
            raise CaseError(
                _(
                    "The meeting did not adopt this conclusion: %(present)d of %(members)d "
                    "members present (%(needed_present)d needed), %(votes)d votes for "
                    "(%(needed_votes)d needed)."
                )
                % {
                    "present": result.present,
                    "members": result.members,
                    "needed_present": result.required_present,
                    "votes": result.votes_for,
                    "needed_votes": result.required_votes,
                }
            )
        history = cadre_histories(
            [entry.cadre_id],
            until=case.matter.occurred_on,
            exclude_case_id=case.pk,
            exclude_matter_id=case.matter_id,
        )[entry.cadre_id]
        summary = entry_advice(entry, policy, case.matter.occurred_on, history.earlier_cases())
        departs = departs_from_advice(summary.advice, outcome)
        if departs and not departure_reason:
            raise CaseError(
                _(
                    "This conclusion departs from the rules advice (%(advice)s): give the reason "
                    "for the departure."
                )
                % {"advice": Advice(summary.advice).label},
                field="departure_reason",
            )
        known = (
            {s.code for s in policy.situations}
            | {d.code for d in policy.distinctions}
            | {c.code for c in policy.conditions}
            | {x.code for x in policy.exclusions}
        )
        cited = list(relied_on) if relied_on else [c for c in summary.reason_codes if c in known]
        if not set(cited) <= known:
            raise CaseError(
                _(
                    "Cite only situations, distinctions, conditions or exclusions of "
                    "the policy applied."
                )
            )
        entry.outcome = outcome
        entry.outcome_reason = reason
        entry.advice_at_decision = summary.advice
        entry.departs_from_advice = departs
        entry.departure_reason = departure_reason if departs else ""
        entry.relied_on = cited
        entry.meeting = meeting
        entry.decided_by = actor
        entry.decided_at = timezone.now()
        entry.save()
        audit.record(
            "tolerance.entry.decide",
            actor=actor,
            obj=case,
            before={"entry": entry.pk, "outcome": ""},
            after={
                "entry": entry.pk,
                "cadre": entry.cadre_id,
                "outcome": outcome,
                "advice": summary.advice,
                "departs_from_advice": departs,
                "departure_reason": entry.departure_reason,
                "relied_on": cited,
                "votes_for": result.votes_for,
            },
            reason=reason,
            authority_id=case.authority_id,
        )
        if all(e.outcome for e in case.entries.all()):
            case_transition(case, actor=actor, action="decide")
    return entry
