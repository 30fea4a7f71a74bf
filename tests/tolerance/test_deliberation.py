"""Collective deliberation: the meeting, quorum and majority from policy data, the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.models import AuditEvent
from tests.factories import CadreFactory
from tolerance import tasks
from tolerance.deliberation import entry_decide, meeting_record
from tolerance.enums import CaseState, Outcome, StartedBy
from tolerance.errors import AlreadyDecided, CaseError
from tolerance.models import (
    Case,
    CaseCadre,
    CommitteeMember,
    Meeting,
    MeetingMember,
    PolicyVersion,
    Vote,
)

TODAY = timezone.localdate
ADVICE_CODES = ["SX-01", "D1", "D2", "D3", "C1", "C2", "C3", "C4"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def enqueued(monkeypatch):
    """Case ids whose rulings were enqueued (the task itself is not run)."""
    calls = []
    monkeypatch.setattr(
        tasks.issue_rulings, "apply_async", lambda args=(), **kw: calls.append(args[0])
    )
    return calls


def record(case, staff, *, present=3, votes=(), actor=None, held_on=None, **kw):
    return meeting_record(case, actor=actor or staff.leader, held_on=held_on or TODAY(),
                          present=staff.members[:present], votes=votes, minutes="纪要", **kw)


def decide(entry, staff, outcome, meeting, *, actor=None, reason="符合容错情形", **kw):
    return entry_decide(entry, actor=actor or staff.members[0], outcome=outcome, reason=reason,
                        meeting=meeting, **kw)


def test_meeting_records_members_attendance_and_votes(flow, staff, world):
    case = flow.deliberating()
    entry = case.entries.get()
    m1, m2, m3 = staff.members
    meeting = record(case, staff, present=2, chair=m1, location="三楼会议室",
                     votes=[(entry, m1, Outcome.EXEMPT, "同意免责"),
                            (entry, m2, Outcome.LIGHTER, "建议从轻")])
    assert list(MeetingMember.objects.filter(meeting=meeting)
                .values_list("user__username", "present")) == [
        ("t_member1", True), ("t_member2", True), ("t_member3", False),
    ]
    assert list(Vote.objects.values_list("member__username", "outcome", "opinion")) == [
        ("t_member1", "exempt", "同意免责"), ("t_member2", "lighter", "建议从轻"),
    ]
    event = AuditEvent.objects.get(action="tolerance.meeting.record")
    assert event.authority_id == world.county_a_org.pk
    assert event.after == {"meeting": meeting.pk, "held_on": TODAY().isoformat(), "members": 3,
                           "present": 2, "required_present": 2, "votes": 2}


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ("absent", "Only members present can vote, on cadres of this case."),
        ("twice", "Each member present votes once per cadre."),
        ("other_case", "Only members present can vote, on cadres of this case."),
    ],
)
def test_only_present_members_vote_once_each(votes, message, flow, staff):
    case = flow.deliberating()
    entry = case.entries.get()
    m1, _m2, m3 = staff.members
    foreign = flow.deliberating().entries.get()
    ballot = {
        "absent": [(entry, m3, Outcome.EXEMPT, "")],
        "twice": [(entry, m1, Outcome.EXEMPT, ""), (entry, m1, Outcome.LIGHTER, "")],
        "other_case": [(foreign, m1, Outcome.EXEMPT, "")],
    }[votes]
    with pytest.raises(CaseError) as error:
        record(case, staff, present=2, votes=ballot)
    assert str(error.value) == message
    assert (Meeting.objects.count(), Vote.objects.count()) == (0, 0)


def test_the_committee_is_the_authoritys_roster_not_chosen_at_the_meeting(flow, staff):
    case = flow.deliberating()
    for intruder in (staff.investigator, staff.clerk_b, staff.outsider, staff.leader):
        with pytest.raises(CaseError) as error:
            meeting_record(case, actor=staff.leader, held_on=TODAY(),
                           present=[*staff.members, intruder])
        assert str(error.value) == f"{intruder} is not on this authority's committee roster."
    with pytest.raises(CaseError) as error:
        record(case, staff, chair=staff.reviewer)
    assert str(error.value) == "The chair must be one of the members present."
    with pytest.raises(CaseError) as error:  # an absent member does not chair
        record(case, staff, present=2, chair=staff.members[2])
    assert str(error.value) == "The chair must be one of the members present."
    for actor in (staff.clerk, staff.investigator, staff.clerk_b):
        with pytest.raises(CaseError) as error:
            record(case, staff, actor=actor)
        assert str(error.value) == (
            "Only the committee can do this while the case is in deliberation."
        )
    assert Meeting.objects.count() == 0


def test_every_member_of_the_roster_is_recorded_present_or_absent(flow, staff):
    case = flow.deliberating()
    meeting = record(case, staff, present=2)
    assert list(meeting.members.values_list("user__username", "present")) == [
        ("t_member1", True), ("t_member2", True), ("t_member3", False),
    ]


def test_an_ended_seat_is_not_on_the_roster(flow, staff, world):
    CommitteeMember.objects.filter(user=staff.members[2]).update(active=False)
    case = flow.deliberating()
    meeting = record(case, staff, present=2)
    assert meeting.members.count() == 2


def test_meeting_below_quorum_is_refused_naming_the_quorum_and_nothing_is_saved(flow, staff):
    case = flow.deliberating()
    entry = case.entries.get()
    with pytest.raises(CaseError) as error:
        record(case, staff, present=1, votes=[(entry, staff.members[0], Outcome.EXEMPT, "")])
    assert error.value.field == "__all__"
    assert str(error.value) == (
        "Below quorum: the committee has 3 members and more than half of the members (at "
        "least 2) must be present; 1 were present. A meeting below quorum cannot be recorded "
        "as the collective deliberation."
    )
    assert (Meeting.objects.count(), MeetingMember.objects.count(), Vote.objects.count()) == (
        0, 0, 0)
    assert not AuditEvent.objects.filter(action="tolerance.meeting.record").exists()


def test_meeting_below_quorum_is_refused_in_chinese(flow, staff):
    case = flow.deliberating()
    with translation.override("zh-hans"), pytest.raises(CaseError) as error:
        record(case, staff, present=1)
    assert str(error.value) == (
        "未达到法定人数：集体研究成员共3名，须超过半数成员（至少2名）出席，本次实到1名。"
        "未达法定人数的会议不能作为集体研究记录。"
    )


def test_meeting_date_is_never_in_the_future_nor_before_the_referral(flow, staff):
    case = flow.deliberating()
    with pytest.raises(CaseError) as error:
        record(case, staff, held_on=TODAY() + dt.timedelta(days=1))
    assert (str(error.value), error.value.field) == (
        "The meeting date cannot be in the future.", "held_on")
    referred = timezone.localtime(Case.objects.get(pk=case.pk).referred_at).date()
    assert referred == TODAY()
    with pytest.raises(CaseError) as error:
        record(case, staff, held_on=TODAY() - dt.timedelta(days=1))
    assert str(error.value) == (
        f"The meeting cannot be before the case was referred to the committee "
        f"({TODAY().isoformat()})."
    )
    assert Meeting.objects.count() == 0


def test_a_back_dated_meeting_after_a_back_dated_referral_is_recorded(flow, staff):
    case = flow.deliberating()
    week_ago = timezone.now() - dt.timedelta(days=7)
    Case.objects.filter(pk=case.pk).update(referred_at=week_ago)
    held = TODAY() - dt.timedelta(days=3)
    meeting = record(case, staff, held_on=held)
    assert meeting.held_on == held
    event = AuditEvent.objects.get(action="tolerance.meeting.record")
    assert (event.actor, event.after["held_on"]) == (staff.leader, held.isoformat())


def test_no_roster_no_meeting(flow, staff):
    CommitteeMember.objects.all().delete()
    case = flow.deliberating()
    with pytest.raises(CaseError) as error:
        record(case, staff, present=0)
    assert str(error.value) == (
        "This authority has no committee roster yet; an administrator keeps it.")


def test_quorum_met_but_majority_missed_names_the_numbers(flow, staff):
    case = flow.deliberating()
    entry = case.entries.get()
    m1, m2, _m3 = staff.members
    meeting = record(case, staff, present=2, votes=[(entry, m1, Outcome.EXEMPT, ""),
                                                    (entry, m2, Outcome.LIGHTER, "")])
    with pytest.raises(CaseError) as error:
        decide(entry, staff, Outcome.EXEMPT, meeting)
    assert str(error.value) == (
        "The meeting did not adopt this conclusion: 2 of 3 members present (2 needed), "
        "1 votes for (2 needed)."
    )
    assert CaseCadre.objects.get(pk=entry.pk).outcome == ""
    assert Case.objects.get(pk=case.pk).state == CaseState.DELIBERATING


def test_two_of_three_present_both_voting_adopts(flow, staff, enqueued):
    case = flow.deliberating()
    entry = case.entries.get()
    m1, m2, _m3 = staff.members
    meeting = record(case, staff, present=2, votes=[(entry, m1, Outcome.EXEMPT, ""),
                                                    (entry, m2, Outcome.EXEMPT, "")])
    decided = decide(entry, staff, Outcome.EXEMPT, meeting)
    assert decided.outcome == Outcome.EXEMPT
    event = AuditEvent.objects.get(action="tolerance.entry.decide")
    assert event.after["votes_for"] == 2


def test_quorum_and_majority_come_from_the_policy_version(flow, staff):
    case = flow.deliberating()
    PolicyVersion.objects.filter(pk=case.policy_version_id).update(
        quorum="1/1", quorum_exceeds=False)
    with pytest.raises(CaseError) as error:
        record(case, staff, present=2)
    assert "(at least 3) must be present; 2 were present" in str(error.value)
    PolicyVersion.objects.filter(pk=case.policy_version_id).update(
        quorum="1/2", quorum_exceeds=True, majority="1/2", majority_base="present")
    entry = case.entries.get()
    m1, m2, _m3 = staff.members
    meeting = record(case, staff, present=2, votes=[(entry, m1, Outcome.EXEMPT, ""),
                                                    (entry, m2, Outcome.LIGHTER, "")])
    with pytest.raises(CaseError) as error:
        decide(entry, staff, Outcome.EXEMPT, meeting)
    assert str(error.value) == (
        "The meeting did not adopt this conclusion: 2 of 3 members present (2 needed), "
        "1 votes for (2 needed)."
    )


def test_who_may_decide_comes_from_the_policy_version(flow, staff, enqueued):
    case = flow.deliberating()
    entry = case.entries.get()
    m1, m2, m3 = staff.members
    meeting = record(case, staff, present=2, chair=m2,
                     votes=[(entry, m1, Outcome.EXEMPT, ""), (entry, m2, Outcome.EXEMPT, "")])
    for absent_or_not_on_it in (m3, staff.leader):
        with pytest.raises(CaseError) as error:
            decide(entry, staff, Outcome.EXEMPT, meeting, actor=absent_or_not_on_it)
        assert str(error.value) in (
            "Only a member present at the meeting records its conclusion.",
            "Only the committee can do this while the case is in deliberation.",
        )
    PolicyVersion.objects.filter(pk=case.policy_version_id).update(decider="chair")
    with pytest.raises(CaseError) as error:
        decide(entry, staff, Outcome.EXEMPT, meeting, actor=m1)
    assert str(error.value) == "Only the chair of the meeting records its conclusion."
    assert decide(entry, staff, Outcome.EXEMPT, meeting, actor=m2).decided_by == m2


def test_decision_following_the_advice(flow, staff, world, enqueued):
    case = flow.deliberating()
    entry = case.entries.get()
    meeting = flow.meeting(case, Outcome.EXEMPT)
    decided = decide(entry, staff, Outcome.EXEMPT, meeting)
    stored = CaseCadre.objects.get(pk=entry.pk)
    assert (stored.outcome, stored.advice_at_decision, stored.departs_from_advice) == (
        "exempt", "exempt", False
    )
    assert stored.relied_on == ADVICE_CODES  # defaults to the clause codes of the advice
    assert (stored.meeting, stored.decided_by, stored.outcome_reason) == (
        meeting, staff.members[0], "符合容错情形"
    )
    event = AuditEvent.objects.get(action="tolerance.entry.decide")
    assert (event.before, event.reason, event.authority_id) == (
        {"entry": entry.pk, "outcome": ""}, "符合容错情形", world.county_a_org.pk
    )
    assert event.after == {
        "entry": entry.pk, "cadre": world.cadre_a1.pk, "outcome": "exempt", "advice": "exempt",
        "departs_from_advice": False, "departure_reason": "", "relied_on": ADVICE_CODES,
        "votes_for": 3,
    }
    assert decided.outcome == "exempt"


def test_decision_departing_from_the_advice_needs_reasons_and_is_marked(flow, staff, enqueued):
    case = flow.deliberating()  # findings point to exemption
    entry = case.entries.get()
    meeting = flow.meeting(case, Outcome.LIGHTER)
    with pytest.raises(CaseError) as error:
        decide(entry, staff, Outcome.LIGHTER, meeting, reason="   ")
    assert str(error.value) == "Give the reasons for the conclusion, tied to the findings."
    assert CaseCadre.objects.get(pk=entry.pk).outcome == ""
    with pytest.raises(CaseError) as error:  # a departure without its own reason
        decide(entry, staff, Outcome.LIGHTER, meeting, reason="损失较大，未完全挽回",
               departure_reason="  ")
    assert (str(error.value), error.value.field) == (
        "This conclusion departs from the rules advice (Exempted from responsibility): give "
        "the reason for the departure.", "departure_reason")
    assert CaseCadre.objects.get(pk=entry.pk).outcome == ""
    assert not AuditEvent.objects.filter(action="tolerance.entry.decide").exists()
    decide(entry, staff, Outcome.LIGHTER, meeting, reason="损失较大，未完全挽回",
           relied_on=["SX-01", "C3"], departure_reason="当事人事后补救不及时，影响扩大")
    stored = CaseCadre.objects.get(pk=entry.pk)
    assert (stored.outcome, stored.advice_at_decision, stored.departs_from_advice) == (
        "lighter", "exempt", True
    )
    assert (stored.outcome_reason, stored.relied_on) == ("损失较大，未完全挽回", ["SX-01", "C3"])
    assert stored.departure_reason == "当事人事后补救不及时，影响扩大"
    after = AuditEvent.objects.get(action="tolerance.entry.decide").after
    assert (after["departs_from_advice"], after["departure_reason"]) == (
        True, "当事人事后补救不及时，影响扩大")


def test_a_departure_reason_is_not_kept_when_the_decision_follows_the_advice(
    flow, staff, enqueued
):
    case = flow.deliberating()
    entry = case.entries.get()
    meeting = flow.meeting(case, Outcome.EXEMPT)
    decide(entry, staff, Outcome.EXEMPT, meeting, departure_reason="无")
    assert CaseCadre.objects.get(pk=entry.pk).departure_reason == ""


def test_relied_on_must_be_clauses_of_the_policy(flow, staff):
    case = flow.deliberating()
    entry = case.entries.get()
    meeting = flow.meeting(case, Outcome.EXEMPT)
    with pytest.raises(CaseError) as error:
        decide(entry, staff, Outcome.EXEMPT, meeting, relied_on=["GY-03"])
    assert str(error.value) == (
        "Cite only situations, distinctions, conditions or exclusions of the policy applied."
    )
    with pytest.raises(CaseError) as error:
        decide(entry, staff, "pardoned", meeting)
    assert str(error.value) == "Choose a conclusion."


def test_last_cadre_decided_moves_the_case_and_enqueues_rulings(
    flow, staff, world, enqueued, django_capture_on_commit_callbacks
):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = flow.deliberating(by=staff.hr, started_by=StartedBy.UNIT,
                             cadres=[world.cadre_a1, colleague])
    first, second = CaseCadre.objects.filter(case=case).order_by("pk")
    meeting = flow.meeting(case, Outcome.EXEMPT)
    with django_capture_on_commit_callbacks(execute=True):
        decide(first, staff, Outcome.EXEMPT, meeting)
    assert (Case.objects.get(pk=case.pk).state, enqueued) == (CaseState.DELIBERATING, [])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decide(second, staff, Outcome.EXEMPT, meeting, actor=staff.members[1])
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.due_stage, enqueued) == (CaseState.DECIDED, "feedback",
                                                          [case.pk])
    assert stored.decided_at is not None
    assert len(callbacks) == 1  # the rulings; a decision tells nobody (its ruling drafts do)
    event = AuditEvent.objects.get(action="tolerance.case.decide")
    assert (event.actor, event.before["state"], event.after["state"]) == (
        staff.members[1], "deliberating", "decided"
    )


def test_deciding_twice_is_refused_naming_the_conclusion(flow, staff, enqueued):
    case = flow.deliberating()
    entry = case.entries.get()
    meeting = flow.meeting(case, Outcome.EXEMPT)
    decide(entry, staff, Outcome.EXEMPT, meeting)
    with pytest.raises(AlreadyDecided) as error:
        decide(entry, staff, Outcome.EXEMPT, meeting, actor=staff.members[0])
    assert str(error.value) == (
        "Someone else was faster: the conclusion on 张三 is already recorded "
        "(Exempted from responsibility)."
    )
    assert AuditEvent.objects.filter(action="tolerance.entry.decide").count() == 1
    with pytest.raises(CaseError) as error:  # an outsider learns nothing
        decide(entry, staff, Outcome.EXEMPT, meeting, actor=staff.outsider)
    assert not isinstance(error.value, AlreadyDecided)


def test_only_the_committee_decides_with_its_own_meeting(flow, staff):
    case = flow.deliberating()
    entry = case.entries.get()
    meeting = flow.meeting(case, Outcome.EXEMPT)
    for actor in (staff.clerk, staff.investigator, staff.cadre, staff.clerk_b, staff.outsider):
        with pytest.raises(CaseError) as error:
            decide(entry, staff, Outcome.EXEMPT, meeting, actor=actor)
        assert str(error.value) == (
            "Only the committee can do this while the case is in deliberation."
        )
    other = flow.deliberating()
    with pytest.raises(CaseError) as error:
        decide(other.entries.get(), staff, Outcome.EXEMPT, meeting)
    assert str(error.value) == "That meeting belongs to another case."
    assert not CaseCadre.objects.exclude(outcome="").exists()


def test_meeting_labels_are_not_borrowed_from_other_apps():
    """"held on", "place" and "present" mean a medical, a ranking and "until now" elsewhere."""
    with translation.override("zh-hans"):
        assert [str(Meeting._meta.get_field(name).verbose_name)
                for name in ("held_on", "location")] == ["会议日期", "会议地点"]
        assert str(MeetingMember._meta.get_field("present").verbose_name) == "出席"
