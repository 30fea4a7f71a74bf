"""REST API of adjustment proposals: the pages' visibility, transitions through the workflow."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import TargetAssessment
from cadres.enums import Rank
from cadres.models import PositionRecord
from core.enums import Role
from core.models import AuditEvent, IssuedDocument
from promotions.models import Proposal
from promotions.proposals.permissions import visible_proposals
from promotions.proposals.workflow import proposal_transition
from promotions.triggers.scan import scan
from tests.drafting import sign_drafts
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/promotions/proposals/"


def url(proposal) -> str:
    return f"{PROPOSALS}{proposal.pk}/"


def action_url(proposal, action: str) -> str:
    return f"{PROPOSALS}{proposal.pk}/transitions/{action}/"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_login(user)
    return api


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_api_proposal_list_is_visible_proposals_per_user(api, world, county, staff, proposal):
    admin = make_user("p_admin", Role.ADMIN)
    expected = {
        admin: [proposal.pk],
        county.clerk: [proposal.pk],
        county.auditor: [proposal.pk],
        county.clerk_city: [],
        staff.cadre: [],  # cadres see no proposals, not even about themselves
        staff.hr: [],
        staff.outsider: [],
    }
    for user, rows in expected.items():
        assert ids(as_user(api, user).get(PROPOSALS)) == rows, user.username
        assert rows == list(visible_proposals(user).values_list("pk", flat=True))


def test_api_proposal_row(api, world, county, proposal):
    row = as_user(api, county.clerk).get(PROPOSALS).json()["results"][0]
    assert row == {
        "id": proposal.pk,
        "year": 2023,
        "area": "target",
        "area_label": row["area_label"],
        "clause": "target.poor",
        "clause_label": "当年目标责任考核为“较差”",
        "cadre": county.secretary.pk,
        "cadre_name": "县委书记",
        "unit": world.county_a.pk,
        "unit_name": "甲县",
        "authority": world.county_a_org.pk,
        "authority_name": "中共甲县县委组织部",
        "state": "proposed",
        "state_label": row["state_label"],
        "decision": "",
        "decision_label": "",
        "method": "",
        "method_label": "",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    assert not row["area_label"].isascii() and not row["state_label"].isascii()


def test_api_proposal_detail_with_evidence_and_actions(api, world, county, proposal):
    body = as_user(api, county.clerk).get(url(proposal)).json()
    assert body["evidence"] == [
        {
            "kind": "target",
            "text": "2023年目标责任考核：较差",
            "data": proposal.evidence[0],
        }
    ]
    assert body["allowed_actions"] == ["inspect", "decide"]
    assert body["documents"] == []
    assert as_user(api, county.auditor).get(url(proposal)).json()["allowed_actions"] == []


def test_api_proposal_detail_missing_and_forbidden_answer_alike(api, county, staff, proposal):
    for user in (county.clerk_city, staff.cadre, staff.outsider):
        as_user(api, user)
        forbidden, missing = api.get(url(proposal)), api.get(f"{PROPOSALS}{10**12}/")
        assert forbidden.status_code == missing.status_code == 404, user.username
        assert forbidden.json() == missing.json()


def test_api_proposal_filters(api, world, county, proposal):
    as_user(api, county.clerk)
    assert ids(api.get(PROPOSALS, {"state": "proposed"})) == [proposal.pk]
    assert ids(api.get(PROPOSALS, {"state": ["decided", "executed"]})) == []
    assert ids(api.get(PROPOSALS, {"area": "target", "year": 2023})) == [proposal.pk]
    assert ids(api.get(PROPOSALS, {"year": 2022})) == []
    assert ids(api.get(PROPOSALS, {"cadre": county.deputy.pk})) == []
    response = api.get(PROPOSALS, {"area": "weather"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["area"]


@pytest.mark.parametrize("years", [1, 3])
def test_api_proposal_list_query_count_is_constant(
    api, world, county, django_assert_num_queries, years
):
    for year in range(2023, 2023 + years):
        TargetAssessment.objects.create(unit=world.county_a, year=year, grade="poor")
        scan(year)
    as_user(api, county.clerk)
    # session, user, groups, authorities, the page with cadres, units and authorities
    with django_assert_num_queries(5):
        response = api.get(PROPOSALS)
    assert len(response.json()["results"]) == years


# --- transitions --------------------------------------------------------------------------


def test_api_inspect_decide_execute_through_the_workflow(
    api, world, county, proposal, media, django_capture_on_commit_callbacks
):
    as_user(api, county.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(action_url(proposal, "inspect"), {}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["allowed_actions"]) == (
        "inspecting",
        ["decide"],
    )
    assert api.get(url(proposal)).json()["documents"] == []  # drafted, not yet signed off
    leader = make_user("p_signer", Role.APPROVING_LEADER, authorities=[world.county_a_org])
    sign_drafts(checker=county.clerk, signer=leader)
    body = api.get(url(proposal)).json()
    (document,) = body["documents"]
    issued = IssuedDocument.objects.get()
    assert document == {
        "id": issued.pk,
        "number": f"甲组调建〔{timezone.localdate().year}〕1号",
        "kind": "adjustment_proposal",
        "kind_label": document["kind_label"],
        "title": "干部调整建议书（县委书记）",
        "issued_on": issued.issued_on.isoformat(),
        "sha256": issued.sha256,
        "download": f"/api/documents/{issued.pk}/download/",
    }
    download = api.get(document["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="document.download", actor=county.clerk).count() == 1

    response = api.post(
        action_url(proposal, "decide"),
        {"decision": "adjust", "method": "demote", "reason": "连续考核较差"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["method"]) == ("decided", "demote")
    response = api.post(
        action_url(proposal, "execute"),
        {"title": "县政府调研员", "rank": Rank.RESEARCHER_1, "on": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    record = PositionRecord.objects.get(cadre=county.secretary)
    assert (response.json()["state"], response.json()["position"]) == ("executed", record.pk)
    assert list(
        AuditEvent.objects.filter(action__startswith="promotions.proposal.")
        .order_by("id")
        .values_list("action", "actor__username")
    ) == [
        ("promotions.proposal.create", None),
        ("promotions.proposal.inspect", "p_clerk"),
        ("promotions.proposal.decide", "p_clerk"),
        ("promotions.proposal.execute", "p_clerk"),
    ]


def test_api_decide_without_a_reason_to_keep_is_400(api, county, proposal):
    response = as_user(api, county.clerk).post(
        action_url(proposal, "decide"), {"decision": "keep"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "提交的数据有误，请检查各字段。",
        "fields": {"reason": ["请填写不予调整的理由。"]},
    }
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


def test_api_execute_a_decision_to_keep_is_409(api, county, proposal):
    proposal_transition(
        proposal, actor=county.clerk, action="decide", changes={"decision": "keep", "reason": "x"}
    )
    response = as_user(api, county.clerk).post(
        action_url(proposal, "execute"), {"title": "县长"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    proposal.refresh_from_db()
    assert proposal.state == "decided"


def test_api_auditor_cannot_act(api, county, proposal):
    response = as_user(api, county.auditor).post(
        action_url(proposal, "inspect"), {}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "审计人员只能查看，不能修改。"
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


def test_api_staff_who_may_see_but_not_act_get_403(api, world, county, proposal):
    """Discipline staff of the authority read its proposals; only its org department acts."""
    reader = make_user("p_disc", Role.DISCIPLINE_STAFF, authorities=[world.county_a_org])
    as_user(api, reader)
    assert api.get(url(proposal)).json()["allowed_actions"] == []
    response = api.post(action_url(proposal, "inspect"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


def test_api_action_on_a_proposal_out_of_sight_is_404(api, county, staff, proposal):
    for user in (county.clerk_city, staff.cadre, staff.outsider):
        response = as_user(api, user).post(action_url(proposal, "inspect"), {}, format="json")
        assert response.status_code == 404, user.username
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


@pytest.mark.parametrize("action", ["create", "nonsense", "delete"])
def test_api_unknown_actions_are_not_found(api, county, proposal, action):
    response = as_user(api, county.clerk).post(action_url(proposal, action), {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_transition_ignores_protected_fields(api, world, county, proposal):
    """Mass assignment probe: only the action's own input is read."""
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    probe = {
        "state": "executed",
        "authority": world.city_org.pk,
        "cadre": county.deputy.pk,
        "unit": world.county_b.pk,
        "year": 1999,
        "evidence": [],
        "clause": "staff",
        "decision": "adjust",  # not an input of `inspect`
        "method": "remove",
        "created_by": county.clerk.pk,
        "created_at": "2000-01-01T00:00:00Z",
        "position": 1,
    }
    response = as_user(api, county.clerk).post(
        action_url(proposal, "inspect"), probe, format="json"
    )
    assert response.status_code == 200, response.content
    after = Proposal.objects.filter(pk=proposal.pk).values().get()
    assert after["state"] == "inspecting"
    for field in ("authority_id", "cadre_id", "unit_id", "year", "evidence", "clause", "decision",
                  "method", "created_by_id", "created_at", "position_id", "policy_id"):
        assert after[field] == before[field], field


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api_proposals_cannot_be_written_directly(api, county, proposal, method):
    response = getattr(as_user(api, county.clerk), method)(
        url(proposal), {"state": "executed"}, format="json"
    )
    assert response.status_code == 405
    assert api.post(PROPOSALS, {"state": "proposed"}, format="json").status_code == 405
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


def test_api_execute_into_a_unit_out_of_reach_is_a_field_error(api, world, county, proposal):
    proposal_transition(
        proposal,
        actor=county.clerk,
        action="decide",
        changes={"decision": "adjust", "method": "transfer", "reason": ""},
    )
    response = as_user(api, county.clerk).post(
        action_url(proposal, "execute"),
        {"title": "区长", "unit": world.county_b.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["unit"]
    proposal.refresh_from_db()
    assert proposal.state == "decided"
    assert not PositionRecord.objects.exists()
