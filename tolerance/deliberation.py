"""Collective deliberation: the committee meeting, its votes, and each cadre's conclusion."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.enums import Role
from core.models import User

from . import predicates as P
from .enums import CaseState, Outcome
from .errors import AlreadyDecided, CaseError
from .models import Case, CaseCadre, Meeting, MeetingMember, Vote
from .rules import departs_from_advice, summarize, vote_result
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


def meeting_record(
    case: Case,
    *,
    actor: User,
    held_on,
    members: Sequence[tuple[User, bool]],
    votes: Sequence[tuple[CaseCadre, User, str, str]] = (),
    minutes: str = "",
    location: str = "",
    chair: User | None = None,
) -> Meeting:
    """Record a committee meeting: members and attendance, each vote with its opinion."""
    with transaction.atomic():
        case = _locked_deliberating(case.pk, actor)
        if not members:
            raise CaseError(_("List the committee members."))
        if chair is not None and chair.pk not in {user.pk for user, _present in members}:
            raise CaseError(_("The chair must be one of the members."))
        seats = {}
        for user, present in members:
            if not (
                user.is_active
                and user.has_role(Role.COMMITTEE_MEMBER, Role.APPROVING_LEADER)
                and case.authority_id in user.authority_ids
            ):
                raise CaseError(
                    _("%(name)s is not a committee member of this authority.") % {"name": user}
                )
            seats[user.pk] = bool(present)
        entry_ids = set(case.entries.values_list("pk", flat=True))
        seen = set()
        for entry, member, outcome, _opinion in votes:
            if entry.pk not in entry_ids or not seats.get(member.pk):
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
            [MeetingMember(meeting=meeting, user_id=pk, present=p) for pk, p in seats.items()]
        )
        Vote.objects.bulk_create(
            [
                Vote(meeting=meeting, entry=entry, member=member, outcome=outcome,
                     opinion=opinion)
                for entry, member, outcome, opinion in votes
            ]
        )
        audit.record(
            "tolerance.meeting.record",
            actor=actor,
            obj=case,
            after={
                "meeting": meeting.pk,
                "held_on": str(held_on),
                "members": len(seats),
                "present": sum(seats.values()),
                "votes": len(votes),
            },
            authority_id=case.authority_id,
        )
    return meeting


def tally(meeting: Meeting, entry: CaseCadre, outcome: str, policy):
    members = list(meeting.members.all())
    votes_for = sum(
        1 for vote in meeting.votes.all() if vote.entry_id == entry.pk and vote.outcome == outcome
    )
    return vote_result(len(members), sum(m.present for m in members), votes_for, policy)


def entry_decide(
    entry: CaseCadre,
    *,
    actor: User,
    outcome: str,
    reason: str,
    meeting: Meeting,
    relied_on: Sequence[str] | None = None,
) -> CaseCadre:
    """Record the committee's conclusion on one cadre; when every cadre has one, the case
    is decided and the rulings are issued after the commit.

    Two people deciding at once: the case row is locked first, so the second waits and
    then finds the conclusion recorded (AlreadyDecided, naming it), whatever order they
    arrive in — even when the first decision moved the case on to "decided".
    """
    reason = (reason or "").strip()
    if outcome not in Outcome.values:
        raise CaseError(_("Choose a conclusion."))
    if not reason:
        raise CaseError(_("Give the reasons for the conclusion, tied to the findings."))
    with transaction.atomic():
        case = _locked_case(entry.case_id, actor)
        entry = CaseCadre.objects.select_for_update().get(pk=entry.pk)
        if entry.outcome:
            raise AlreadyDecided(
                _("Someone else was faster: the conclusion on %(cadre)s is already "
                  "recorded (%(outcome)s).")
                % {"cadre": entry.cadre, "outcome": Outcome(entry.outcome).label}
            )
        if case.state != CaseState.DELIBERATING:
            raise _not_now()
        if meeting.case_id != case.pk:
            raise CaseError(_("That meeting belongs to another case."))
        policy = case.policy_version.policy
        result = tally(meeting, entry, outcome, policy)
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
        summary = summarize(entry.findings(), policy)
        departs = departs_from_advice(summary.advice, outcome)
        known = (
            {s.code for s in policy.situations}
            | {d.code for d in policy.distinctions}
            | {c.code for c in policy.conditions}
            | {x.code for x in policy.exclusions}
        )
        cited = list(relied_on) if relied_on else [c for c in summary.reason_codes if c in known]
        if not set(cited) <= known:
            raise CaseError(_("Cite only situations, distinctions, conditions or exclusions of "
                              "the policy applied."))
        entry.outcome = outcome
        entry.outcome_reason = reason
        entry.advice_at_decision = summary.advice
        entry.departs_from_advice = departs
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
                "relied_on": cited,
                "votes_for": result.votes_for,
            },
            reason=reason,
            authority_id=case.authority_id,
        )
        if all(e.outcome for e in case.entries.all()):
            case_transition(case, actor=actor, action="decide")
    return entry
