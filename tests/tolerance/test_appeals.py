"""Appeals (复核): the window, a reviewer who took no part, confirm or change, only once."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from django.utils import timezone, translation

from core.models import AuditEvent, Notification
from tests.factories import CadreFactory
from tolerance import tasks
from tolerance.appeals import appeal_assign_reviewer, appeal_decide, appeal_file, took_part
from tolerance.effects import Effect, matter_effect
from tolerance.enums import CaseState, Outcome, StartedBy
from tolerance.errors import AppealLate, CaseError
from tolerance.feedback import case_feed_back
from tolerance.models import Appeal, Case, CaseCadre
from tolerance.models.review import AppealState

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _dates_as_of_the_test(monkeypatch):
    """Yesterday when the test runs, not when the module was collected (a run that crosses
    midnight in Asia/Shanghai would differ by a day)."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    monkeypatch.setattr(sys.modules[__name__], "YESTERDAY", yesterday)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        tasks.issue_appeal_decision, "apply_async", lambda args=(), **kw: calls.append(args[0])
    )
    return calls


@pytest.fixture
def fed_back(flow, staff):
    """A decided case fed back through the feedback service (which opens the window)."""

    def build(**kw):
        kw.setdefault("outcome", Outcome.LIGHTER)  # an exemption is not appealed against
        case = case_feed_back(flow.decided(**kw), actor=staff.clerk,
                              method="in_person", delivered_on=timezone.localdate())
        assert case.appeal_due_on is not None and case.appeal_due_on > timezone.localdate()
        return case

    return build


def snapshot(case):
    return (Case.objects.values_list("state", "due_stage").get(pk=case.pk),
            Appeal.objects.count(), AuditEvent.objects.count(), Notification.objects.count())


def test_appeal_within_the_window(fed_back, staff, world):
    case = fed_back()
    entry = case.entries.get()
    last = Notification.objects.latest("id").pk
    appeal = appeal_file(entry, actor=staff.cadre, reason="认定事实不清")
    assert (appeal.state, appeal.original_outcome, appeal.filed_by) == (
        AppealState.PENDING, Outcome.LIGHTER, staff.cadre
    )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.due_stage) == (CaseState.APPEALED, "appeal_decision")
    event = AuditEvent.objects.get(action="tolerance.appeal.file")
    assert (event.after, event.reason, event.authority_id) == (
        {"appeal": appeal.pk, "entry": entry.pk, "outcome": "lighter"}, "认定事实不清",
        world.county_a_org.pk,
    )
    # The approving leaders must assign the reviewer.
    assert sorted(Notification.objects.filter(pk__gt=last)
                  .values_list("recipient__username", "code")) == [
        ("t_leader", "tolerance.case.appealed"), ("t_reviewer", "tolerance.case.appealed")
    ]


def test_late_appeal_is_refused_naming_the_deadline(fed_back, staff):
    case = fed_back()
    Case.objects.filter(pk=case.pk).update(appeal_due_on=YESTERDAY)
    before = snapshot(case)
    with pytest.raises(AppealLate) as error:
        appeal_file(case.entries.get(), actor=staff.cadre, reason="不服")
    assert str(error.value) == (
        f"The appeal is late: appeals were accepted until {YESTERDAY.isoformat()}."
    )
    assert snapshot(case) == before


def test_only_the_cadre_or_the_applying_unit_appeals(fed_back, staff, world):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = fed_back(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague])
    own, theirs = CaseCadre.objects.filter(case=case).order_by("pk")
    before = snapshot(case)
    for actor, entry in ((staff.cadre, theirs), (staff.outsider, own), (staff.clerk, own),
                         (staff.clerk_b, own), (staff.investigator, own)):
        with pytest.raises(CaseError) as error:
            appeal_file(entry, actor=actor, reason="不服")
        assert str(error.value) == "You cannot appeal this conclusion."
    with pytest.raises(CaseError) as error:
        appeal_file(own, actor=staff.cadre, reason=" ")
    assert str(error.value) == "Give the grounds of the appeal."
    assert snapshot(case) == before
    appeal_file(own, actor=staff.cadre, reason="本人不服")
    appeal_file(theirs, actor=staff.hr, reason="单位为赵六申请复核")
    assert sorted(Appeal.objects.values_list("entry__cadre__name", "filed_by__username")) == [
        ("张三", "t_cadre"), ("赵六", "t_hr"),
    ]
    with pytest.raises(CaseError) as error:
        appeal_file(own, actor=staff.hr, reason="再次")
    assert str(error.value) == "An appeal on this conclusion is already pending."


def test_appeal_against_a_full_exemption_is_refused(fed_back, staff, world):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = fed_back(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague])
    own, theirs = CaseCadre.objects.filter(case=case).order_by("pk")
    CaseCadre.objects.filter(pk=own.pk).update(outcome=Outcome.EXEMPT)
    before = snapshot(case)
    for actor in (staff.cadre, staff.hr):
        with pytest.raises(CaseError) as error:
            appeal_file(CaseCadre.objects.get(pk=own.pk), actor=actor, reason="不服")
        assert str(error.value) == "A full exemption from responsibility cannot be appealed."
    assert snapshot(case) == before
    appeal = appeal_file(theirs, actor=staff.hr, reason="单位为赵六申请复核")
    assert appeal.original_outcome == Outcome.LIGHTER


def test_no_appeal_before_the_feedback(flow, staff):
    case = flow.decided()
    with pytest.raises(CaseError) as error:
        appeal_file(case.entries.get(), actor=staff.cadre, reason="不服")
    assert str(error.value) == "You cannot appeal this conclusion."


def test_reviewer_who_took_part_is_refused(fed_back, staff):
    case = fed_back()
    appeal = appeal_file(case.entries.get(), actor=staff.cadre, reason="不服")
    # the investigator, a meeting member, the decider, the one who recorded the meeting
    for insider in (staff.investigator, staff.members[2], staff.members[0]):
        assert took_part(case, insider)
        with pytest.raises(CaseError) as error:
            appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=insider)
        assert str(error.value) == "The reviewer must not have taken part in the case."
    with pytest.raises(CaseError) as error:
        appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.clerk_b)
    assert str(error.value) == "The reviewer must work for this authority."
    for actor in (staff.clerk, staff.investigator, staff.cadre, staff.outsider):
        with pytest.raises(CaseError) as error:
            appeal_assign_reviewer(appeal, actor=actor, reviewer=staff.reviewer)
        assert str(error.value) == (
            "Only the approving leader assigns the reviewer of a pending appeal."
        )
    assert Appeal.objects.get(pk=appeal.pk).reviewer is None
    assert not took_part(case, staff.reviewer)


def test_the_filer_cannot_review(fed_back, staff):
    case = fed_back(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    appeal = appeal_file(case.entries.get(), actor=staff.cadre, reason="不服")
    with pytest.raises(CaseError) as error:
        appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.clerk)
    assert str(error.value) == "The reviewer must not have taken part in the case."


def assigned(fed_back, staff, **kw):
    case = fed_back(**kw)
    appeal = appeal_file(case.entries.get(), actor=staff.cadre, reason="不服")
    last = Notification.objects.latest("id").pk
    appeal = appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.reviewer)
    assert list(Notification.objects.filter(pk__gt=last)
                .values_list("recipient__username", "code", "url")) == [
        ("t_reviewer", "tolerance.appeal.assigned", f"/tolerance/cases/{case.pk}/")
    ]
    return case, appeal


def test_reviewer_confirms(fed_back, staff, enqueued):
    case, appeal = assigned(fed_back, staff)
    decided = appeal_decide(appeal, actor=staff.reviewer, new_outcome=None, reason="认定无误")
    assert (decided.state, decided.new_outcome, decided.decision_reason) == (
        AppealState.CONFIRMED, Outcome.LIGHTER, "认定无误"
    )
    assert CaseCadre.objects.get(pk=appeal.entry_id).outcome == Outcome.LIGHTER
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.due_stage, stored.due_on) == (CaseState.FED_BACK, "", None)
    assert enqueued == []  # the decision document is issued after the commit, never before
    assert not AuditEvent.objects.filter(action="tolerance.entry.change_on_appeal").exists()


def test_reviewer_changes_the_conclusion_and_its_effect(
    fed_back, staff, enqueued, django_capture_on_commit_callbacks
):
    case, appeal = assigned(fed_back, staff)
    entry = appeal.entry
    assert matter_effect(case.matter_id, entry.cadre_id).effect == Effect.REDUCED
    with django_capture_on_commit_callbacks(execute=True):
        decided = appeal_decide(appeal, actor=staff.reviewer, new_outcome=Outcome.NOT_TOLERATED,
                                reason="存在谋取私利情形")
    assert (decided.state, decided.original_outcome, decided.new_outcome) == (
        AppealState.CHANGED, "lighter", "not_tolerated"
    )
    assert CaseCadre.objects.get(pk=entry.pk).outcome == Outcome.NOT_TOLERATED
    effect = matter_effect(case.matter_id, entry.cadre_id)
    assert (effect.effect, effect.outcome, effect.counts) == (Effect.COUNTS, "not_tolerated", True)
    change = AuditEvent.objects.get(action="tolerance.entry.change_on_appeal")
    assert (change.before, change.after, change.actor) == (
        {"entry": entry.pk, "outcome": "lighter"},
        {"entry": entry.pk, "outcome": "not_tolerated"},
        staff.reviewer,
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.FED_BACK
    assert enqueued == [appeal.pk]


def test_only_the_assigned_reviewer_decides(fed_back, staff):
    case, appeal = assigned(fed_back, staff)
    for actor in (staff.leader, staff.clerk, staff.cadre, staff.outsider):
        with pytest.raises(CaseError) as error:
            appeal_decide(appeal, actor=actor, new_outcome=None, reason="维持")
        assert str(error.value) == "Only the assigned reviewer can decide a pending appeal."
    with pytest.raises(CaseError) as error:
        appeal_decide(appeal, actor=staff.reviewer, new_outcome="pardoned", reason="改")
    assert str(error.value) == "Choose a conclusion."
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.PENDING
    assert Case.objects.get(pk=case.pk).state == CaseState.APPEALED


def test_a_conclusion_is_reviewed_only_once(fed_back, staff, enqueued):
    case, appeal = assigned(fed_back, staff)
    appeal_decide(appeal, actor=staff.reviewer, new_outcome=None, reason="维持")
    with pytest.raises(CaseError) as error:
        appeal_file(appeal.entry, actor=staff.cadre, reason="再次申请复核")
    assert str(error.value) == "This conclusion has already been reviewed once."
    with pytest.raises(CaseError):
        appeal_decide(appeal, actor=staff.reviewer, new_outcome=Outcome.LIGHTER, reason="改")
    assert Appeal.objects.count() == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.FED_BACK


def test_case_stays_under_appeal_while_another_cadres_appeal_is_pending(
    fed_back, staff, world, enqueued
):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = fed_back(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague])
    own, theirs = CaseCadre.objects.filter(case=case).order_by("pk")
    first = appeal_file(own, actor=staff.cadre, reason="不服")
    second = appeal_file(theirs, actor=staff.hr, reason="不服")
    for appeal in (first, second):
        appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.reviewer)
    last = Notification.objects.latest("id").pk
    appeal_decide(first, actor=staff.reviewer, new_outcome=Outcome.MITIGATED, reason="改为减轻")
    assert Case.objects.get(pk=case.pk).state == CaseState.APPEALED
    # Each appellant is told the result of their appeal (赵六 has no login; his unit does).
    assert list(Notification.objects.filter(pk__gt=last)
                .values_list("recipient__username", "code", "params")) == [
        ("t_cadre", "tolerance.appeal.decided",
         {"ref": case.reference, "outcome": "mitigated", "reason": "改为减轻"})
    ]
    last = Notification.objects.latest("id").pk
    appeal_decide(second, actor=staff.reviewer, new_outcome=None, reason="维持")
    assert Case.objects.get(pk=case.pk).state == CaseState.FED_BACK
    assert list(Notification.objects.filter(pk__gt=last)
                .values_list("recipient__username", "params__outcome")) == [("t_hr", "lighter")]
    assert list(CaseCadre.objects.filter(case=case).order_by("pk")
                .values_list("outcome", flat=True)) == ["mitigated", "lighter"]

