"""proposal_transition: inspection, decision, execution into the position history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cadres.enums import Rank
from cadres.models import PositionRecord
from core.documents import read_document
from core.enums import Role
from core.errors import ActionRefused, StateChanged
from core.models import AuditEvent, DocumentDraft, IssuedDocument, Notification
from core.notifications import render
from promotions.models import Proposal
from promotions.proposals.workflow import proposal_transition
from tests.drafting import sign_drafts
from tests.factories import make_user
from tests.pdftext import assert_official

pytestmark = pytest.mark.django_db


def test_inspect_decide_execute(proposal, county, world, django_capture_on_commit_callbacks):
    leader = make_user("p_signer", Role.APPROVING_LEADER, authorities=[world.county_a_org])
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(proposal, actor=county.clerk, action="inspect")
    proposal.refresh_from_db()
    assert proposal.state == "inspecting"
    # Drafted (no number) until a second staff member checks it and a leader signs it off.
    assert not IssuedDocument.objects.exists()
    draft = DocumentDraft.objects.get()
    assert (draft.kind, draft.state, draft.title) == ("adjustment_proposal", "drafted",
                                                      "干部调整建议书（县委书记）")
    sign_drafts(checker=county.clerk, signer=leader)
    assert list(IssuedDocument.objects.values_list("kind", "number")) == [
        ("adjustment_proposal", f"甲组调建〔{timezone.localdate().year}〕1号")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(
            proposal,
            actor=county.clerk,
            action="decide",
            changes={"decision": "adjust", "method": "demote", "reason": "连续考核较差"},
        )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision, proposal.method) == ("decided", "adjust", "demote")
    assert IssuedDocument.objects.filter(kind="adjustment_decision").count() == 0
    sign_drafts(checker=county.clerk, signer=leader)
    assert IssuedDocument.objects.filter(kind="adjustment_decision").count() == 1
    for kind in ("adjustment_proposal", "adjustment_decision"):  # GB/T 9704, official.html
        assert_official(read_document(IssuedDocument.objects.get(kind=kind)))
    proposal_transition(
        proposal,
        actor=county.clerk,
        action="execute",
        changes={"title": "县政府调研员", "rank": Rank.RESEARCHER_1, "on": dt.date(2024, 3, 1)},
    )
    proposal.refresh_from_db()
    record = PositionRecord.objects.get(cadre=county.secretary)
    assert (proposal.state, proposal.position, record.move, record.rank, record.start_date) == (
        "executed",
        record,
        "demoted",
        Rank.RESEARCHER_1,
        dt.date(2024, 3, 1),
    )
    county.secretary.refresh_from_db()
    assert (county.secretary.rank, county.secretary.position) == (Rank.RESEARCHER_1, "县政府调研员")
    assert list(
        AuditEvent.objects.filter(action__startswith="promotions.proposal.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "promotions.proposal.create",
        "promotions.proposal.inspect",
        "promotions.proposal.decide",
        "promotions.proposal.execute",
    ]
    # Each step tells who acts next (never the clerk who took it): the leaders decide after
    # the inspection; the clerks (the triggers raised it) carry out the decision, and this
    # clerk decided; the leaders hear it was carried out.
    steps = Notification.objects.filter(code__startswith="promotions.proposal.")
    assert sorted(steps.values_list("recipient__username", "code")) == [
        ("p_signer", "promotions.proposal.executed"),
        ("p_signer", "promotions.proposal.inspecting"),
    ]
    assert {(n.target_type, n.target_id, n.target_label) for n in steps} == {
        ("promotions.proposal", proposal.pk, county.secretary.name)
    }
    issued = Notification.objects.filter(recipient=county.clerk, code="core.draft.issued")
    with translation.override("zh-hans"):
        assert sorted(render(n.code, n.params).subject for n in issued) == [
            f"已印发：甲组调决〔{timezone.localdate().year}〕1号 干部调整决定书（县委书记）",
            f"已印发：甲组调建〔{timezone.localdate().year}〕1号 干部调整建议书（县委书记）",
        ]


def test_keep_needs_a_reason_and_cannot_be_executed(proposal, county):
    with pytest.raises(ValidationError):
        proposal_transition(
            proposal, actor=county.clerk, action="decide", changes={"decision": "keep"}
        )
    proposal_transition(
        proposal,
        actor=county.clerk,
        action="decide",
        changes={"decision": "keep", "reason": "系客观原因"},
    )
    with pytest.raises(ActionRefused) as refused:
        proposal_transition(proposal, actor=county.clerk, action="execute", changes={"title": "x"})
    assert str(refused.value) == "不予调整的决定无需执行。"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision, proposal.decision_reason) == (
        "decided",
        "keep",
        "系客观原因",
    )


def test_adjust_needs_a_method(proposal, county):
    with pytest.raises(ValidationError):
        proposal_transition(
            proposal, actor=county.clerk, action="decide", changes={"decision": "adjust"}
        )


def test_demotion_needs_a_lower_rank(proposal, county):
    proposal_transition(
        proposal,
        actor=county.clerk,
        action="decide",
        changes={"decision": "adjust", "method": "demote"},
    )
    with pytest.raises(ValidationError):
        proposal_transition(
            proposal,
            actor=county.clerk,
            action="execute",
            changes={"title": "x", "rank": Rank.COUNTY_CHIEF},
        )
    assert Proposal.objects.get().state == "decided"
    assert not PositionRecord.objects.exists()


def test_other_authority_and_auditor_may_not_act(proposal, county):
    for user in (county.clerk_city, county.auditor):
        with pytest.raises(PermissionDenied):
            proposal_transition(proposal, actor=user, action="inspect")
    assert Proposal.objects.get().state == "proposed"


def test_inspect_twice_says_someone_was_faster(proposal, county):
    proposal_transition(proposal, actor=county.clerk, action="inspect")
    with pytest.raises(StateChanged) as refused:
        proposal_transition(proposal, actor=county.clerk, action="inspect")
    assert str(refused.value) == "他人已先行办理：该建议当前为“考察谈话中”。"
    assert refused.value.current == "考察谈话中"
