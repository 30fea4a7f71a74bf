"""Every transition of a tolerance case, allowed and refused, by role and by state.

`at(state)` walks a case there through the services; the follow-up tasks (documents) are
not run, the test transaction never commits. A refused action changes nothing: state, audit
rows, notifications and the deadline are compared before and after.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.enums import Role
from core.models import AuditEvent, Notification
from core.workdays import load_calendar
from tests.factories import make_user
from tolerance import deadlines
from tolerance.appeals import appeal_assign_reviewer, appeal_file
from tolerance.deliberation import entry_decide
from tolerance.enums import CaseState, Outcome, StartedBy
from tolerance.errors import TransitionRefused
from tolerance.feedback import case_feed_back
from tolerance.investigation import (
    case_start_investigation,
    case_update_report,
    entry_record_findings,
)
from tolerance.models import Appeal, Case, CaseCadre, DeliveryMethod
from tolerance.models.review import AppealState
from tolerance.permissions import allowed_actions
from tolerance.workflow import ACTIONS, case_transition

from .conftest import TOLERABLE_FINDINGS

S = CaseState
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def auditor(world):
    return make_user("t_auditor", Role.AUDITOR, authorities=[world.county_a_org])


class Walker:
    """Brings a new case to a state through the services (no documents rendered)."""

    def __init__(self, flow, staff):
        self.flow, self.staff = flow, staff

    def __call__(self, state: str, **kw) -> Case:
        return getattr(self, state)(**kw)

    def draft(self, **kw):
        return self.flow.filed(**kw)

    def submitted(self, **kw):
        case = self.draft(**kw)
        return case_transition(case, actor=case.filed_by, action="submit")

    def accepted(self, **kw):
        return case_transition(self.submitted(**kw), actor=self.staff.clerk, action="accept")

    def not_accepted(self, **kw):
        case = self.submitted(**kw)
        return case_transition(case, actor=self.staff.clerk, action="reject", reason="不符合")

    def withdrawn(self, **kw):
        case = self.submitted(**kw)
        return case_transition(case, actor=case.filed_by, action="withdraw", reason="撤回")

    def investigating(self, complete=True, **kw):
        case = case_start_investigation(
            self.accepted(**kw), actor=self.staff.clerk, investigator=self.staff.investigator
        )
        if complete:
            for entry in case.entries.all():
                entry_record_findings(entry, actor=self.staff.investigator, **TOLERABLE_FINDINGS)
                self.flow.statement(case, entry)
            case = case_update_report(case, actor=self.staff.investigator, report="调查报告")
        return case

    def deliberating(self, **kw):
        case = self.investigating(**kw)
        return case_transition(case, actor=self.staff.investigator, action="refer")

    def decided(self, outcome=Outcome.EXEMPT, **kw):
        case = self.deliberating(**kw)
        meeting = self.flow.meeting(case, outcome)
        for entry in CaseCadre.objects.filter(case=case):
            entry_decide(entry, actor=self.staff.members[0], outcome=outcome,
                         reason="经集体研究", meeting=meeting,
                         departure_reason="" if outcome == Outcome.EXEMPT else "损失未完全挽回")
        return Case.objects.get(pk=case.pk)

    def ruling_issued(self, **kw):
        return case_transition(self.decided(**kw), actor=None, action="issue_rulings")

    def fed_back(self, **kw):
        return case_feed_back(self.ruling_issued(**kw), actor=self.staff.clerk,
                              method=DeliveryMethod.IN_PERSON, delivered_on=TODAY())

    def published(self, **kw):
        return case_transition(self.fed_back(**kw), actor=self.staff.clerk, action="publish")

    def appealed(self, **kw):
        kw.setdefault("outcome", Outcome.LIGHTER)  # an exemption is not appealed against
        case = self.fed_back(**kw)
        appeal_file(case.entries.get(), actor=self.staff.cadre, reason="不服认定")
        return Case.objects.get(pk=case.pk)

    def closed(self, **kw):
        case = self.fed_back(**kw)
        Case.objects.filter(pk=case.pk).update(appeal_due_on=TODAY() - dt.timedelta(days=1))
        return case_transition(Case.objects.get(pk=case.pk), actor=self.staff.clerk,
                               action="close")


@pytest.fixture
def at(flow, staff):
    return Walker(flow, staff)


# --- what each action needs, who may take it, who hears of it ------------------------------

LEADERS = {"leader", "reviewer"}  # the reviewer persona is an approving leader too
INTAKE = {"clerk"} | LEADERS
ALLOWED = {
    "submit": {"filer"},
    "withdraw": {"filer"},
    "accept": INTAKE,
    "reject": INTAKE,
    "start_investigation": INTAKE,
    "refer": {"investigator"} | LEADERS,
    "send_back": {"member"} | LEADERS,
    "decide": {"member"} | LEADERS,
    "issue_rulings": {"system"},
    "feed_back": INTAKE,
    "publish": INTAKE,
    "appeal": {"filer"},
    "conclude_appeal": {"reviewer"},  # the assigned reviewer only
    "close": INTAKE,
}
TARGET = {
    "submit": S.SUBMITTED,
    "withdraw": S.WITHDRAWN,
    "accept": S.ACCEPTED,
    "reject": S.NOT_ACCEPTED,
    "start_investigation": S.INVESTIGATING,
    "refer": S.DELIBERATING,
    "send_back": S.INVESTIGATING,
    "decide": S.DECIDED,
    "issue_rulings": S.RULING_ISSUED,
    "feed_back": S.FED_BACK,
    "publish": S.PUBLISHED,
    "appeal": S.APPEALED,
    "conclude_appeal": S.FED_BACK,
    "close": S.CLOSED,
}
CONCERNED = ["t_cadre"]
# Who is told of each step: who must act next, or the cadre when it decides on their case.
LEADERS = ["t_leader", "t_reviewer"]
NOTICES = {
    "submit": ("tolerance.case.submitted", ["t_clerk"]),
    "withdraw": ("tolerance.case.withdrawn", ["t_clerk"]),  # submitted: no investigator yet
    "accept": ("tolerance.case.accepted", CONCERNED),
    "reject": ("tolerance.case.not_accepted", CONCERNED),
    "start_investigation": ("tolerance.case.investigation_assigned", ["t_inv"]),
    "refer": ("tolerance.case.referred", ["t_leader", "t_member1", "t_member2", "t_member3",
                                          "t_reviewer"]),
    "send_back": ("tolerance.case.sent_back", ["t_inv"]),
    "decide": (None, []),  # the ruling drafts tell who checks and signs them
    "issue_rulings": ("tolerance.case.rulings_issued", ["t_clerk"]),
    "feed_back": ("tolerance.case.fed_back", CONCERNED),
    "publish": ("tolerance.case.published", CONCERNED),
    "appeal": ("tolerance.case.appealed", LEADERS),
    "conclude_appeal": (None, []),  # the appellant is told by appeal_decide
    "close": ("tolerance.case.closed", CONCERNED),
}
PERSONAS = [
    "filer", "hr", "clerk", "investigator", "other_investigator", "member", "leader",
    "reviewer", "clerk_b", "auditor", "outsider", "system",
]


def persona(staff, auditor, name):
    return {
        "filer": staff.cadre,
        "hr": staff.hr,
        "clerk": staff.clerk,
        "investigator": staff.investigator,
        "other_investigator": staff.other_investigator,
        "member": staff.members[0],
        "leader": staff.leader,
        "reviewer": staff.reviewer,
        "clerk_b": staff.clerk_b,
        "auditor": auditor,
        "outsider": staff.outsider,
        "system": None,
    }[name]


def prepare(action, at, staff):
    """The case in the state the action starts from, its conditions met; the kwargs."""
    kw = {}
    if action == "submit":
        case = at("draft")
    elif action in ("withdraw", "accept", "reject"):
        case = at("submitted")
        kw["reason"] = "理由" if action != "accept" else ""
    elif action == "start_investigation":
        case = at("accepted")
        kw["changes"] = {"investigator": staff.investigator}
    elif action == "refer":
        case = at("investigating")
    elif action == "send_back":
        case, kw["reason"] = at("deliberating"), "补充调查"
    elif action == "decide":
        case = at("deliberating")
        CaseCadre.objects.filter(case=case).update(outcome=Outcome.EXEMPT)
    elif action == "issue_rulings":
        case = at("decided")
    elif action == "feed_back":
        case = at("ruling_issued")
    elif action in ("publish", "close", "appeal"):
        case = at("fed_back")
        if action == "close":
            Case.objects.filter(pk=case.pk).update(appeal_due_on=TODAY() - dt.timedelta(days=1))
        if action == "appeal":
            Appeal.objects.create(entry=case.entries.get(), filed_by=staff.cadre, reason="不服",
                                  original_outcome=Outcome.EXEMPT)
    else:  # conclude_appeal: the reviewer has decided the only appeal
        case = at("appealed")
        appeal = appeal_assign_reviewer(Appeal.objects.get(entry__case=case),
                                        actor=staff.leader, reviewer=staff.reviewer)
        Appeal.objects.filter(pk=appeal.pk).update(
            state=AppealState.CONFIRMED, new_outcome=Outcome.EXEMPT, decided_at=timezone.now()
        )
    return Case.objects.get(pk=case.pk), kw


def counts(case):
    return (
        Case.objects.values_list("state", "due_stage", "due_on").get(pk=case.pk),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_by_role(action, who, at, staff, auditor, world):
    case, kw = prepare(action, at, staff)
    actor = persona(staff, auditor, who)
    before = counts(case)
    last_notification = Notification.objects.order_by("-id").values_list("id", flat=True).first()

    if who not in ALLOWED[action]:
        with pytest.raises(TransitionRefused) as refused:
            case_transition(case, actor=actor, action=action, **kw)
        assert str(refused.value) == (
            "This action is not allowed for this case in its current state."
        )
        assert counts(case) == before
        return

    result = case_transition(case, actor=actor, action=action, **kw)
    stored = Case.objects.get(pk=case.pk)
    assert result.state == stored.state == TARGET[action]
    event = AuditEvent.objects.filter(
        action=f"tolerance.case.{action}", object_id=str(case.pk)
    ).get()
    assert event.before["state"] == case.state
    assert event.after["state"] == TARGET[action]
    assert event.authority_id == world.county_a_org.pk
    assert event.actor == actor
    assert AuditEvent.objects.count() == before[1] + 1
    notified = Notification.objects.filter(pk__gt=last_notification or 0)
    code, told = NOTICES[action]
    expected = sorted(set(told) - {getattr(actor, "username", None)})
    assert sorted(notified.values_list("recipient__username", flat=True)) == expected
    if expected:
        assert {(n.code, n.url, n.target_type, n.target_id, n.target_label) for n in notified} == {
            (code, f"/tolerance/cases/{case.pk}/", "tolerance.case", case.pk, case.reference)
        }

    if action not in deadlines.STAGE_AFTER:  # the clock runs on
        assert (stored.due_stage, stored.due_on) == (case.due_stage, case.due_on)
    elif deadlines.STAGE_AFTER[action] is None:  # the clock stops
        assert (stored.due_stage, stored.due_on, stored.due_fallback_years) == ("", None, [])
        assert event.after["due_on"] is None
    else:  # a new deadline starts today
        stage = deadlines.STAGE_AFTER[action]
        due = deadlines.stage_deadline(
            stage, TODAY(), case.policy_version.policy.procedure, load_calendar()
        )
        assert (stored.due_stage, stored.due_on) == (stage, due.date)
        assert stored.due_fallback_years == list(due.fallback_years)
        assert event.after["due_stage"] == stage
        assert event.after["due_on"] == due.date.isoformat()


# --- refused by state: every action outside its source states -----------------------------

FROM_STATE = {
    S.DRAFT: {"submit", "withdraw"},
    S.SUBMITTED: {"withdraw", "accept", "reject"},
    S.ACCEPTED: {"withdraw", "start_investigation"},
    S.INVESTIGATING: {"withdraw", "refer"},
    S.DELIBERATING: {"withdraw", "send_back", "decide"},
    S.DECIDED: {"issue_rulings"},
    S.RULING_ISSUED: {"feed_back"},
    S.FED_BACK: {"publish", "appeal", "close"},
    S.PUBLISHED: {"appeal", "close"},
    S.APPEALED: {"conclude_appeal"},
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
    S.NOT_ACCEPTED: set(),
}
ACTOR_FOR = {
    "submit": "filer", "withdraw": "filer", "appeal": "filer", "issue_rulings": "system",
    "conclude_appeal": "reviewer",
}
# What the approving leader may do right now (buttons), state by state.
LEADER_BUTTONS = {
    S.DRAFT: [],
    S.SUBMITTED: ["accept", "reject"],
    S.ACCEPTED: [],  # start_investigation waits for an investigator to be chosen
    S.INVESTIGATING: ["refer"],
    S.DELIBERATING: ["send_back"],  # decide waits for every conclusion
    S.DECIDED: [],
    S.RULING_ISSUED: ["feed_back"],
    S.FED_BACK: ["publish"],  # close waits for the appeal window to pass
    S.PUBLISHED: [],
    S.APPEALED: [],
    S.CLOSED: [],
    S.WITHDRAWN: [],
    S.NOT_ACCEPTED: [],
}


def test_from_state_table_covers_the_model():
    declared = {s: set() for s in S.values}
    for transition in Case._meta.get_field("state").get_all_transitions(Case):
        declared[transition.source].add(transition.name)
    assert declared == {s: set(names) for s, names in FROM_STATE.items()}


@pytest.mark.parametrize("state", list(FROM_STATE))
def test_transition_refused_outside_its_states(state, at, staff, auditor):
    case = at(state)
    assert allowed_actions(staff.leader, case) == LEADER_BUTTONS[state]
    before = counts(case)
    for action in sorted(set(ACTIONS) - FROM_STATE[state]):
        actor = persona(staff, auditor, ACTOR_FOR.get(action, "leader"))
        changes = {"investigator": staff.investigator} if action == "start_investigation" else {}
        with pytest.raises(TransitionRefused):
            case_transition(case, actor=actor, action=action, reason="理由", changes=changes)
        assert counts(case) == before, action


def test_unknown_action_and_fixed_fields_are_programming_errors(at, staff):
    case = at("submitted")
    with pytest.raises(ValueError, match="unknown case action 'approve'"):
        case_transition(case, actor=staff.clerk, action="approve")
    for name in ("authority", "authority_id", "state", "no_such_field"):
        with pytest.raises(ValueError, match=f"cannot change '{name}'"):
            case_transition(case, actor=staff.clerk, action="accept", changes={name: None})
    assert Case.objects.get(pk=case.pk).state == S.SUBMITTED


# --- conditions, reasons and what goes with a transition -----------------------------------


def refused(case, **kw):
    before = counts(case)
    with pytest.raises(TransitionRefused) as error:
        case_transition(case, **kw)
    assert counts(case) == before
    return str(error.value)


def test_reason_required_to_reject_withdraw_and_send_back(at, staff):
    submitted = at("submitted")
    assert refused(submitted, actor=staff.clerk, action="reject", reason="  ") == (
        "Please give the reasons."
    )
    assert refused(submitted, actor=staff.cadre, action="withdraw") == "Please give the reasons."
    deliberating = at("deliberating")
    assert refused(deliberating, actor=staff.leader, action="send_back") == (
        "Please give the reasons."
    )


def test_reasons_are_kept_on_the_case(at, staff):
    rejected = at("not_accepted")
    withdrawn = at("withdrawn")
    assert (rejected.not_accepted_reason, rejected.closed_at is not None) == ("不符合", True)
    assert (withdrawn.withdrawn_reason, withdrawn.closed_at is not None) == ("撤回", True)
    event = AuditEvent.objects.get(action="tolerance.case.reject")
    assert (event.reason, event.before, event.after) == (
        "不符合",
        {"state": "submitted", "due_stage": "acceptance", "due_on": event.before["due_on"]},
        {"state": "not_accepted", "due_stage": "", "due_on": None},
    )


def test_conditions_refuse_what_is_not_ready(at, staff):
    accepted = at("accepted")  # no investigator chosen
    refused(accepted, actor=staff.clerk, action="start_investigation")
    incomplete = at("investigating", complete=False)  # no findings, no report
    refused(incomplete, actor=staff.investigator, action="refer")
    deliberating = at("deliberating")  # nobody decided yet
    refused(deliberating, actor=staff.leader, action="decide")
    CaseCadre.objects.filter(case=deliberating).update(outcome=Outcome.EXEMPT)
    refused(deliberating, actor=staff.leader, action="send_back", reason="补充调查")


def test_conditions_on_publication_appeal_and_closing(at, staff):
    not_tolerated = at("fed_back", outcome=Outcome.NOT_TOLERATED)
    refused(not_tolerated, actor=staff.clerk, action="publish")  # nothing to publish
    case = at("fed_back")
    refused(case, actor=staff.clerk, action="close")  # the appeal window is open
    refused(case, actor=staff.cadre, action="appeal")  # no appeal filed through appeal_file
    Appeal.objects.create(entry=case.entries.get(), filed_by=staff.cadre, reason="不服",
                          original_outcome=Outcome.EXEMPT)
    refused(case, actor=staff.clerk, action="publish")  # an appeal is pending
    Case.objects.filter(pk=case.pk).update(appeal_due_on=TODAY() - dt.timedelta(days=1))
    refused(case, actor=staff.cadre, action="appeal")  # the window has passed
    refused(case, actor=staff.clerk, action="close")  # an appeal is still pending
    appealed = at("appealed")
    appeal_assign_reviewer(Appeal.objects.get(entry__case=appealed), actor=staff.leader,
                           reviewer=staff.reviewer)
    refused(appealed, actor=staff.reviewer, action="conclude_appeal")  # not decided yet


def test_publish_scope_defaults_to_the_policy_and_must_be_allowed(at, staff):
    case = at("fed_back")
    message = refused(case, actor=staff.clerk, action="publish",
                      changes={"publication_scope": "internet"})
    assert message == "Choose a publication scope that the policy allows."
    published = case_transition(case, actor=staff.clerk, action="publish")
    assert published.publication_scope == "unit"
    other = at("fed_back")
    published = case_transition(other, actor=staff.leader, action="publish",
                                changes={"publication_scope": "system"})
    event = AuditEvent.objects.get(action="tolerance.case.publish", object_id=str(other.pk))
    assert (event.before["publication_scope"], event.after["publication_scope"]) == ("", "system")


def test_withdraw_only_by_the_applicant(at, staff, world):
    unit_case = at("accepted", by=staff.hr, started_by=StartedBy.UNIT)
    refused(unit_case, actor=staff.cadre, action="withdraw", reason="本人不愿")  # not the filer
    withdrawn = case_transition(unit_case, actor=staff.hr, action="withdraw", reason="单位撤回")
    assert withdrawn.state == S.WITHDRAWN
    ex_officio = at("accepted", by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    refused(ex_officio, actor=staff.clerk, action="withdraw", reason="依职权不得撤回")


def test_withdrawing_a_draft_tells_nobody(at, staff):
    draft = at("draft")
    notified = Notification.objects.count()
    case_transition(draft, actor=staff.cadre, action="withdraw", reason="不申请了")
    assert Notification.objects.count() == notified


def test_deadline_counts_over_national_day_and_the_adjusted_saturday(at, staff, monkeypatch):
    draft = at("draft")
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 9, 30))
    submitted = case_transition(draft, actor=staff.cadre, action="submit")
    # 5 working days after Wed 30 Sep: 8, 9, Sat 10 (worked), 12, 13 October.
    assert (submitted.due_stage, submitted.due_on) == ("acceptance", dt.date(2026, 10, 13))
    assert submitted.due_fallback_years == []


def test_refusal_is_in_chinese_by_default(at, staff):
    with translation.override("zh-hans"):
        assert refused(at("draft"), actor=staff.outsider, action="submit") == (
            "案件当前状态下不能办理此事项。"
        )
