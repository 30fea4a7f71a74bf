"""Tolerance personas and a builder that walks a case through its workflow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.enums import Role
from core.models import User
from tests.factories import make_user
from tolerance.enums import (
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    Severity,
    StartedBy,
)
from tolerance.models import Case, CaseCadre, CommitteeMember, DeliveryMethod


def shift_now(monkeypatch, day):
    """Make timezone.now() agree with a faked timezone.localdate(): the same time of day on
    `day()` (None: the real now), so stamps such as the referral time are on the faked day."""
    real_now = timezone.now

    def now():
        wanted = day()
        moment = real_now()
        if wanted is None:
            return moment
        return moment + (wanted - timezone.localtime(moment).date()) * 1

    monkeypatch.setattr("django.utils.timezone.now", now)


@pytest.fixture
def in_2026(monkeypatch):
    """Today is Monday 2026-12-07 (and now its time of day), for a test that assumes 2026's
    holidays are on record and 2027's are not: from 2027-01-01 on, the real today would
    need 2027's calendar and put every new deadline on the weekday fallback."""
    day = dt.date(2026, 12, 7)
    real = timezone.localdate

    def fake(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", fake)
    shift_now(monkeypatch, lambda: day)


@dataclass
class Staff:
    """County A organization department, plus the cadre 张三 (world.cadre_a1) as a user."""

    clerk: User
    investigator: User
    other_investigator: User
    members: list[User]  # committee members
    leader: User  # approving leader
    reviewer: User  # org staff who takes no part until an appeal
    cadre: User
    hr: User
    outsider: User
    clerk_b: User  # intake clerk of the city org dept (another authority)


@pytest.fixture
def staff(world) -> Staff:
    a = [world.county_a_org]
    people = Staff(
        clerk=make_user("t_clerk", Role.INTAKE_CLERK, authorities=a),
        investigator=make_user("t_inv", Role.INVESTIGATOR, authorities=a),
        other_investigator=make_user("t_inv2", Role.INVESTIGATOR, authorities=a),
        members=[
            make_user(f"t_member{i}", Role.COMMITTEE_MEMBER, authorities=a) for i in range(1, 4)
        ],
        leader=make_user("t_leader", Role.APPROVING_LEADER, authorities=a),
        reviewer=make_user("t_reviewer", Role.APPROVING_LEADER, authorities=a),
        cadre=make_user("t_cadre", Role.CADRE, cadre=world.cadre_a1),
        hr=make_user("t_hr", Role.UNIT_HR, unit=world.township_a1),
        outsider=make_user("t_outsider"),
        clerk_b=make_user("t_clerk_city", Role.INTAKE_CLERK, authorities=[world.city_org]),
    )
    # County A's committee roster: the three committee members.
    for member in people.members:
        CommitteeMember.objects.create(authority=world.county_a_org, user=member, title="委员")
    return people


TOLERABLE_FINDINGS = {
    "distinctions": {code: DistinctionSide.TOLERABLE for code in ("D1", "D2", "D3")},
    "conditions": {code: ConditionStatus.HOLDS for code in ("C1", "C2", "C3", "C4")},
    "exclusions": {f"X{i}": ExclusionStatus.ABSENT for i in range(1, 7)},
    "situations": ["SX-01"],
    "remedy_taken": True,
    "severity": Severity.MINOR,
}

# Findings under 济南市's shipped measure (tolerance.catalogs.JINAN_2016), for the city's cases.
JINAN_FINDINGS = {
    "distinctions": {code: DistinctionSide.TOLERABLE for code in ("D1", "D2", "D3")},
    "conditions": {code: ConditionStatus.HOLDS for code in ("C1", "C2", "C3", "C4")},
    "exclusions": {f"X{i}": ExclusionStatus.ABSENT for i in range(1, 4)},
    "situations": ["JN-01"],
    "remedy_taken": True,
    "severity": Severity.MINOR,
}


class Flow:
    """Walks a case through the workflow with the right person at each step."""

    def __init__(self, world, staff: Staff, capture):
        self.world, self.staff, self.capture = world, staff, capture

    def filed(self, *, by=None, started_by=StartedBy.CADRE, cadres=None) -> Case:
        from tolerance.filing import case_create

        return case_create(
            actor=by or self.staff.cadre,
            started_by=started_by,
            cadres=cadres or [self.world.cadre_a1],
            title="乡村振兴试点项目资金拨付偏差",
            description="在推进改革试点中，因政策界限不明确出现资金拨付偏差。",
            occurred_on=dt.date(2025, 3, 10),
            action="拟给予诫勉",
            action_by="县纪委监委",
            application_text="系改革探索中的失误，经集体决策，未谋私利。",
        )

    def submitted(self, **kw) -> Case:
        from tolerance.workflow import case_transition

        case = self.filed(**kw)
        return case_transition(case, actor=case.filed_by, action="submit")

    def accepted(self, **kw) -> Case:
        from tolerance.workflow import case_transition

        case = self.submitted(**kw)
        with self.capture(execute=True):
            case = case_transition(case, actor=self.staff.clerk, action="accept")
        self.sign_rulings(case)  # the acceptance notice: drafted, checked, signed, issued
        return Case.objects.get(pk=case.pk)

    def investigating(self, **kw) -> Case:
        from tolerance.investigation import case_start_investigation

        case = self.accepted(**kw)
        return case_start_investigation(
            case, actor=self.staff.clerk, investigator=self.staff.investigator
        )

    def deliberating(self, findings=TOLERABLE_FINDINGS, **kw) -> Case:
        from tolerance.investigation import case_update_report, entry_record_findings
        from tolerance.workflow import case_transition

        case = self.investigating(**kw)
        for entry in case.entries.all():
            entry_record_findings(entry, actor=self.staff.investigator, **findings)
            self.statement(case, entry)
        case = case_update_report(case, actor=self.staff.investigator, report="调查报告正文")
        return case_transition(case, actor=self.staff.investigator, action="refer")

    def statement(self, case: Case, entry: CaseCadre, text="本人对问责事项的陈述说明。"):
        """The investigator records the cadre's statement, heard in person."""
        from tolerance.investigation import note_add
        from tolerance.models.case import NoteKind

        return note_add(case, actor=self.staff.investigator, kind=NoteKind.STATEMENT,
                        text=text, entry=entry, participants="调查组")

    def meeting(self, case: Case, outcome=Outcome.EXEMPT, present=3, votes_for=3,
                held_on=None):
        from tolerance.deliberation import meeting_record

        members = self.staff.members
        votes = [
            (entry, m, outcome, "同意")
            for entry in case.entries.all()
            for m in members[:votes_for]
        ]
        return meeting_record(
            case, actor=self.staff.members[0], held_on=held_on or timezone.localdate(),
            present=members[:present], votes=votes, minutes="会议纪要",
        )

    def decided(self, outcome=Outcome.EXEMPT, departure_reason="集体研究认为情节有所不同",
                sign=True, **kw) -> Case:
        """Decided by the first member; the departure reason is kept only when the outcome
        departs from the rules advice (tolerable findings advise exemption)."""
        from tolerance.deliberation import entry_decide

        case = self.deliberating(**kw)
        meeting = self.meeting(case, outcome)
        with self.capture(execute=True):
            for entry in CaseCadre.objects.filter(case=case):
                entry_decide(entry, actor=self.staff.members[0], outcome=outcome,
                             reason="符合容错情形", meeting=meeting,
                             departure_reason=departure_reason)
        if sign:
            self.sign_rulings(case)
        return Case.objects.get(pk=case.pk)

    def sign_rulings(self, case) -> None:
        """The clerk checks (核稿) and the leader signs off (签发) every drafted document of
        the case (notices, rulings, appeal decisions); the issuing task runs after the
        commit."""
        from core.drafts import draft_transition, drafts_of

        with self.capture(execute=True):
            for draft in drafts_of(case).filter(state="drafted"):
                draft = draft_transition(draft, actor=self.staff.clerk, action="check")
                draft_transition(draft, actor=self.staff.leader, action="sign")

    def fed_back(self, delivered_on=None, **kw) -> Case:
        from tolerance.feedback import case_feed_back

        case = self.decided(**kw)
        return case_feed_back(case, actor=self.staff.clerk, method=DeliveryMethod.IN_PERSON,
                              delivered_on=delivered_on or timezone.localdate())


@pytest.fixture
def seeded_policy(transactional_db):
    """The measures migration 0004 ships, which a transaction test's flush removes.

    (serialized_rollback=True would restore them, but clashes with the content types that a
    flush by another transaction test recreates.)"""
    import importlib

    from django.utils import timezone

    from tolerance.models import PolicyVersion

    migration = importlib.import_module("tolerance.migrations.0004_policy_jurisdiction_policy")
    for row in migration.MEASURES:
        values = {**row, "effective_from": dt.date.fromisoformat(row["effective_from"])}
        PolicyVersion.objects.get_or_create(
            jurisdiction_code=values.pop("jurisdiction_code"),
            code=values.pop("code"),
            defaults={**values, "status": "published", "published_at": timezone.now()},
        )


@pytest.fixture
def flow(world, staff, django_capture_on_commit_callbacks) -> Flow:
    return Flow(world, staff, django_capture_on_commit_callbacks)
