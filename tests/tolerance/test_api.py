"""REST API of tolerance cases: the pages' visibility, transitions through the workflow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.enums import Role
from core.models import AuditEvent, DocumentKind
from tests.factories import CadreFactory, make_user
from tolerance.api import API_ACTIONS
from tolerance.enums import CaseState, StartedBy
from tolerance.models import Case
from tolerance.permissions import visible_cases

pytestmark = pytest.mark.django_db

CASES = "/api/tolerance/cases/"
DOCUMENTS = "/api/documents/"


def case_url(case) -> str:
    return f"{CASES}{case.pk}/"


def transition_url(case, action: str) -> str:
    return f"{CASES}{case.pk}/transitions/{action}/"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_login(user)
    return api


@pytest.fixture
def auditor(world):
    return make_user("t_auditor", Role.AUDITOR, authorities=[world.county_a_org])


@pytest.fixture
def colleague(world):
    return CadreFactory(name="赵六", unit=world.township_a1)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- reading ------------------------------------------------------------------------------


def test_api_case_list_is_visible_cases_per_user(api, world, staff, flow, auditor):
    submitted = flow.submitted()
    draft = flow.filed(by=staff.hr, started_by=StartedBy.UNIT)
    expected = {
        staff.clerk: [submitted.pk],
        auditor: [submitted.pk],  # no drafts for auditors
        staff.cadre: [submitted.pk],  # the cadre filed it; the unit's draft is not theirs yet
        staff.hr: [draft.pk],  # filed it; the cadre's own application is not the unit's
        staff.clerk_b: [],
        staff.outsider: [],
    }
    for user, rows in expected.items():
        assert ids(as_user(api, user).get(CASES)) == rows, user.username
        assert rows == sorted(visible_cases(user).values_list("pk", flat=True), reverse=True)


def test_api_case_list_row(api, world, staff, flow):
    case = flow.submitted()
    row = as_user(api, staff.clerk).get(CASES).json()["results"][0]
    assert row == {
        "id": case.pk,
        "reference": case.reference,
        "state": "submitted",
        "state_label": "已提交",
        "authority": world.county_a_org.pk,
        "authority_name": "中共甲县县委组织部",
        "started_by": "cadre",
        "started_by_label": row["started_by_label"],
        "matter_title": "乡村振兴试点项目资金拨付偏差",
        "entries": [
            {
                "id": case.entries.get().pk,
                "cadre": world.cadre_a1.pk,
                "cadre_name": "张三",
                "outcome": "",
                "outcome_label": "",
                "decided_at": None,
            }
        ],
        "created_at": row["created_at"],
        "submitted_at": row["submitted_at"],
        "due_stage": "acceptance",
        "due_on": case.due_on.isoformat(),
        "decided_at": None,
        "closed_at": None,
    }
    assert not row["started_by_label"].isascii()
    assert row["submitted_at"] is not None


def test_api_case_detail_missing_and_forbidden_answer_alike(api, world, staff, flow):
    case = flow.submitted()
    as_user(api, staff.clerk_b)
    forbidden, missing = api.get(case_url(case)), api.get(f"{CASES}{10**12}/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_api_case_detail_shows_a_cadre_only_their_own_conclusion(
    api, world, staff, flow, colleague
):
    case = flow.submitted(
        by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague]
    )
    mine = as_user(api, staff.cadre).get(case_url(case)).json()
    assert [entry["cadre_name"] for entry in mine["entries"]] == ["张三"]
    listed = as_user(api, staff.cadre).get(CASES).json()["results"][0]
    assert [entry["cadre_name"] for entry in listed["entries"]] == ["张三"]
    everyone = as_user(api, staff.clerk).get(case_url(case)).json()
    assert [entry["cadre_name"] for entry in everyone["entries"]] == ["张三", "赵六"]


def test_api_case_detail_lists_the_actions_the_user_may_take(api, world, staff, flow, auditor):
    case = flow.submitted()
    assert as_user(api, staff.clerk).get(case_url(case)).json()["allowed_actions"] == [
        "accept",
        "reject",
    ]
    assert as_user(api, staff.cadre).get(case_url(case)).json()["allowed_actions"] == [
        "withdraw"
    ]
    assert as_user(api, auditor).get(case_url(case)).json()["allowed_actions"] == []


def test_api_case_filters(api, world, staff, flow, colleague):
    first = flow.submitted()
    second = flow.accepted(by=staff.hr, started_by=StartedBy.UNIT, cadres=[colleague])
    as_user(api, staff.clerk)
    assert ids(api.get(CASES, {"state": "accepted"})) == [second.pk]
    assert ids(api.get(CASES, {"state": ["accepted", "submitted"]})) == [second.pk, first.pk]
    assert ids(api.get(CASES, {"cadre": colleague.pk})) == [second.pk]
    assert ids(api.get(CASES, {"started_by": "unit"})) == [second.pk]
    assert ids(api.get(CASES, {"authority": world.city_org.pk})) == []
    today = timezone.localdate()
    assert ids(api.get(CASES, {"created_from": today.isoformat()})) == [second.pk, first.pk]
    assert ids(api.get(CASES, {"created_to": (today - dt.timedelta(days=1)).isoformat()})) == []
    response = api.get(CASES, {"state": "nonsense"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["state"]


@pytest.mark.parametrize("count", [1, 4])
def test_api_case_list_query_count_is_constant(
    api, world, staff, flow, django_assert_num_queries, count
):
    for _ in range(count):
        flow.submitted()
    as_user(api, staff.clerk)
    api.get(CASES)  # warm the content-type cache
    # session, user, groups, authorities, the page, entries, their cadres
    with django_assert_num_queries(7):
        response = api.get(CASES)
    assert len(response.json()["results"]) == count


# --- transitions --------------------------------------------------------------------------


def test_api_submit_by_the_filer_goes_through_the_workflow(api, world, staff, flow):
    case = flow.filed()
    response = as_user(api, staff.cadre).post(transition_url(case, "submit"), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    event = AuditEvent.objects.get(action="tolerance.case.submit", object_id=str(case.pk))
    assert event.actor == staff.cadre
    assert (event.before["state"], event.after["state"]) == ("draft", "submitted")


def test_api_accept_by_the_clerk(api, world, staff, flow):
    case = flow.submitted()
    response = as_user(api, staff.clerk).post(
        transition_url(case, "accept"), {"reason": "材料齐全"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["state_label"]) == ("accepted", "已受理")
    assert AuditEvent.objects.get(action="tolerance.case.accept").reason == "材料齐全"


def test_api_auditor_cannot_take_any_action(api, world, staff, flow, auditor):
    case = flow.submitted()
    response = as_user(api, auditor).post(transition_url(case, "accept"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "审计人员只能查看，不能修改。",
        "fields": {},
    }
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_api_action_the_user_may_not_take_is_403(api, world, staff, flow):
    case = flow.submitted()
    response = as_user(api, staff.cadre).post(transition_url(case, "accept"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "您没有执行该操作的权限。"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert not AuditEvent.objects.filter(action="tolerance.case.accept").exists()


def test_api_action_on_a_case_out_of_sight_is_404(api, world, staff, flow):
    case = flow.submitted()
    response = as_user(api, staff.clerk_b).post(transition_url(case, "accept"), {}, format="json")
    assert response.status_code == 404
    draft = flow.filed()
    response = as_user(api, staff.clerk).post(transition_url(draft, "accept"), {}, format="json")
    assert response.status_code == 404  # drafts are the filer's until submitted


def test_api_action_the_state_does_not_allow_is_409(api, world, staff, flow):
    case = flow.accepted()
    response = as_user(api, staff.clerk).post(transition_url(case, "accept"), {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "conflict",
        "message": "当前状态下不能进行此操作，或尚不具备进行此操作的条件。",
        "fields": {},
    }


def test_api_action_whose_conditions_are_not_met_is_409(api, world, staff, flow):
    case = flow.investigating()  # no findings, no report yet
    response = as_user(api, staff.investigator).post(
        transition_url(case, "refer"), {}, format="json"
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING


def test_api_reject_needs_reasons(api, world, staff, flow):
    case = flow.submitted()
    as_user(api, staff.clerk)
    response = api.post(transition_url(case, "reject"), {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "提交的数据有误，请检查各字段。",
        "fields": {"reason": ["请填写理由。"]},
    }
    response = api.post(transition_url(case, "reject"), {"reason": "不属于容错范围"}, format="json")
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.state, case.not_accepted_reason) == (CaseState.NOT_ACCEPTED, "不属于容错范围")


def test_api_start_investigation_names_the_investigator(api, world, staff, flow):
    case = flow.accepted()
    as_user(api, staff.clerk)
    url = transition_url(case, "start_investigation")
    response = api.post(url, {}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["investigator"]
    response = api.post(url, {"investigator": staff.outsider.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "refused"
    response = api.post(url, {"investigator": staff.investigator.pk}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["investigator"]) == ("investigating", staff.investigator.pk)


def test_api_transition_ignores_protected_fields(api, world, staff, flow, auditor):
    """Mass assignment probe: only the action's own input is read."""
    case = flow.submitted()
    before = Case.objects.filter(pk=case.pk).values().get()
    probe = {
        "state": "closed",
        "authority": world.city_org.pk,
        "filed_by": auditor.pk,
        "policy_version": 999,
        "decided_at": "2020-01-01T00:00:00Z",
        "closed_at": "2020-01-01T00:00:00Z",
        "due_on": "2030-01-01",
        "reference": "RC1999-00001",
        "investigator": staff.investigator.pk,  # not an input of `accept`
        "publication_scope": "public",  # not an input of `accept`
    }
    response = as_user(api, staff.clerk).post(transition_url(case, "accept"), probe, format="json")
    assert response.status_code == 200
    after = Case.objects.filter(pk=case.pk).values().get()
    assert after["state"] == "accepted"
    for field in ("authority_id", "filed_by_id", "policy_version_id", "decided_at", "closed_at",
                  "investigator_id", "publication_scope", "created_at", "matter_id"):
        assert after[field] == before[field], field


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api_cases_cannot_be_written_directly(api, world, staff, flow, method):
    case = flow.submitted()
    response = getattr(as_user(api, staff.clerk), method)(
        case_url(case), {"state": "closed"}, format="json"
    )
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    response = api.post(CASES, {"state": "draft"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("action", ["decide", "issue_rulings", "appeal", "nonsense"])
def test_api_actions_of_other_services_are_not_routes(api, world, staff, flow, action):
    case = flow.submitted()
    response = as_user(api, staff.clerk).post(transition_url(case, action), {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_actions_are_documented_in_the_schema(api, world, staff):
    schema = as_user(api, staff.clerk).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/tolerance/cases/{id}/transitions/{action}/"]["post"]
    action = next(p for p in operation["parameters"] if p["name"] == "action")
    assert action["schema"]["enum"] == sorted(API_ACTIONS)


def test_api_english_when_the_user_chose_english(api, world, staff, flow):
    case = flow.accepted()
    as_user(api, staff.clerk)
    api.cookies["django_language"] = "en"
    response = api.post(transition_url(case, "accept"), {}, format="json")
    assert response.json()["error"]["message"] == (
        "This action is not possible in the current state, or its conditions are not met."
    )


# --- documents of cases -------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def issue(case, *, kind=DocumentKind.TOLERANCE_RULING, cadre=None, key=""):
    from core.documents import document_issue

    document, _created = document_issue(
        key=key or f"test:{kind}:{case.pk}:{cadre.pk if cadre else 0}",
        kind=kind,
        authority=case.authority,
        series="容",
        title="容错认定决定书",
        render=lambda number, on: (f"{number}.pdf", "application/pdf", f"%PDF {number}".encode()),
        subject=case,
        cadre=cadre,
    )
    return document


def test_api_documents_of_a_case_follow_can_read_document(
    api, world, staff, flow, colleague, media, auditor
):
    """The list equals the documents that get_document_for_user lets each user read."""
    from django.http import Http404

    from core.document_access import get_document_for_user

    case = flow.submitted(
        by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague]
    )
    notice = issue(case, kind=DocumentKind.ACCEPTANCE_NOTICE)
    mine = issue(case, cadre=world.cadre_a1)
    theirs = issue(case, cadre=colleague)
    draft = flow.filed()
    draft_notice = issue(draft, kind=DocumentKind.ACCEPTANCE_NOTICE)
    expected = {
        staff.clerk: [theirs, mine, notice],
        auditor: [theirs, mine, notice],
        staff.hr: [theirs, mine, notice],  # filed the case: sees every cadre
        staff.cadre: [draft_notice, mine, notice],
        staff.clerk_b: [],
        staff.outsider: [],
    }
    everything = [draft_notice, theirs, mine, notice]
    for user, documents in expected.items():
        readable = []
        for document in everything:
            try:
                readable.append(get_document_for_user(user, document.pk))
            except Http404:
                pass
        listed = [row["id"] for row in as_user(api, user).get(DOCUMENTS).json()["results"]]
        assert listed == [d.pk for d in readable], user.username
        assert listed == [d.pk for d in documents], user.username


# --- the real dates of paper events and the delivery's receipt, through the same services --

RECEIPT_PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_api_feed_back_with_its_signed_receipt_and_real_date(api, staff, flow):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tolerance.models import Delivery

    case = flow.decided(outcome="lighter")
    as_user(api, staff.clerk)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused = api.post(transition_url(case, "feed_back"),
                       {"method": "post", "delivered_on": tomorrow.isoformat()}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "送达日期不能晚于今天。"
    assert (Case.objects.get(pk=case.pk).state, Delivery.objects.count()) == (
        CaseState.RULING_ISSUED, 0)
    response = api.post(
        transition_url(case, "feed_back"),
        {"method": "post", "delivered_on": timezone.localdate().isoformat(),
         "receipt": SimpleUploadedFile("送达回证.pdf", RECEIPT_PDF)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    stored = Case.objects.get(pk=case.pk)
    (delivery,) = body["deliveries"]
    assert delivery == {
        "id": Delivery.objects.get().pk,
        "method": "post",
        "method_label": "邮寄送达",
        "delivered_on": timezone.localdate().isoformat(),
        "appeal_due_on": stored.appeal_due_on.isoformat(),
        "has_receipt": True,
        "receipt_sha256": hashlib.sha256(RECEIPT_PDF).hexdigest(),
        "recorded_at": delivery["recorded_at"],
    }
    assert (body["state"], body["appeal_due_on"]) == ("fed_back", stored.appeal_due_on.isoformat())
    assert Delivery.objects.get().receipt.read() == RECEIPT_PDF
    assert AuditEvent.objects.get(action="tolerance.delivery.record").actor == staff.clerk


def test_api_real_dates_are_read_only_and_recorded_through_the_service(api, staff, flow):
    case = flow.submitted()
    as_user(api, staff.clerk)
    received = timezone.localdate() - dt.timedelta(days=30)
    response = api.post(f"{case_url(case)}receipt/", {"received_on": received.isoformat()},
                        format="json")
    assert response.status_code == 200, response.content
    stored = Case.objects.get(pk=case.pk)
    assert response.json()["received_on"] == received.isoformat()
    # the acceptance deadline counts from the real date: overdue at once
    assert (response.json()["due_on"], stored.due_on < timezone.localdate()) == (
        stored.due_on.isoformat(), True)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = api.post(f"{case_url(case)}receipt/", {"received_on": future}, format="json")
    assert refused.status_code == 400
    assert Case.objects.get(pk=case.pk).received_on == received
    # The case itself is read-only in the API: no date is written around the services.
    assert api.patch(case_url(case), {"received_on": future}, format="json").status_code == 405


def test_api_signed_receipt_downloads_for_those_who_read_the_case(api, staff, flow, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tolerance.feedback import case_feed_back

    case = case_feed_back(
        flow.decided(outcome="lighter"), actor=staff.clerk, method="post",
        delivered_on=timezone.localdate(),
        receipt=SimpleUploadedFile("送达回证.pdf", RECEIPT_PDF, content_type="application/pdf"),
    )
    delivery = case.deliveries.get()
    url = f"{case_url(case)}deliveries/{delivery.pk}/receipt/"
    for user in (staff.clerk, staff.cadre):  # the handling staff; the cadre of the case
        response = as_user(api, user).get(url)
        assert response.status_code == 200, (user, response.content)
        assert b"".join(response.streaming_content) == RECEIPT_PDF
        assert response["Content-Type"] == "application/pdf"
        assert "%E9%80%81%E8%BE%BE%E5%9B%9E%E8%AF%81.pdf" in response["Content-Disposition"]
    assert list(AuditEvent.objects.filter(action="tolerance.receipt.download")
                .values_list("actor__username", flat=True).order_by("id")) == [
        staff.clerk.username, staff.cadre.username]
    outsider = as_user(api, staff.outsider).get(url)
    assert (outsider.status_code, outsider.json()["error"]["code"]) == (404, "not_found")
    missing = as_user(api, staff.clerk).get(
        f"{case_url(case)}deliveries/{delivery.pk + 1}/receipt/")
    assert missing.status_code == 404
    # The case page links the same file, under the same rule.
    from django.urls import reverse

    page_url = reverse("tolerance:receipt_download", args=[case.pk, delivery.pk])
    assert as_user(api, staff.clerk).get(reverse("tolerance:case_detail", args=[case.pk])
                                         ).content.decode().count(page_url) == 1
    assert as_user(api, staff.outsider).get(page_url).status_code == 404
    served = as_user(api, staff.clerk).get(page_url)
    assert b"".join(served.streaming_content) == RECEIPT_PDF
    assert AuditEvent.objects.filter(action="tolerance.receipt.download").count() == 3


def _meeting_payload(case, staff, present, *, held_on=None, outcome="exempt"):
    entry = case.entries.get()
    members = staff.members[:present]
    return {
        "held_on": (held_on or timezone.localdate()).isoformat(),
        "location": "第一会议室",
        "chair": members[0].pk,
        "present": [m.pk for m in members],
        "votes": [{"entry": entry.pk, "member": m.pk, "outcome": outcome, "opinion": "同意"}
                  for m in members],
        "minutes": "会议纪要",
    }


def test_api_meeting_is_recorded_through_the_pages_service(api, staff, flow):
    from tolerance.models import Meeting

    case = flow.deliberating()
    url = f"{case_url(case)}meeting/"
    held_on = timezone.localdate()
    response = as_user(api, staff.members[0]).post(
        url, _meeting_payload(case, staff, 3, held_on=held_on), format="json")
    assert response.status_code == 200, response.content
    meeting = Meeting.objects.get()
    assert (meeting.held_on, meeting.chair, meeting.location, meeting.recorded_by) == (
        held_on, staff.members[0], "第一会议室", staff.members[0])
    assert meeting.votes.count() == 3 and meeting.members.filter(present=True).count() == 3
    assert [m["held_on"] for m in response.json()["meetings"]] == [held_on.isoformat()]
    assert AuditEvent.objects.get(action="tolerance.meeting.record").after["held_on"] == (
        held_on.isoformat())


@pytest.mark.parametrize(("days", "message"), [
    (1, "会议日期不能晚于今天。"),
    (-1, "会议日期不能早于提交集体研究的日期"),
])
def test_api_meeting_date_refused_at_its_field(api, staff, flow, days, message):
    from tolerance.models import Meeting

    case = flow.deliberating()
    held_on = timezone.localdate() + dt.timedelta(days=days)
    response = as_user(api, staff.members[0]).post(
        f"{case_url(case)}meeting/", _meeting_payload(case, staff, 3, held_on=held_on),
        format="json")
    assert response.status_code == 400
    [error] = response.json()["error"]["fields"]["held_on"]
    assert message in error
    assert Meeting.objects.count() == 0


def test_api_meeting_below_quorum_and_by_others_is_refused(api, staff, flow):
    from tolerance.models import Meeting

    case = flow.deliberating()
    url = f"{case_url(case)}meeting/"
    below = as_user(api, staff.members[0]).post(url, _meeting_payload(case, staff, 1),
                                                format="json")
    assert below.status_code == 400
    assert below.json()["error"]["message"] == (
        "未达到法定人数：集体研究成员共3名，须超过半数成员（至少2名）出席，本次实到1名。"
        "未达法定人数的会议不能作为集体研究记录。")
    assert as_user(api, staff.clerk).post(url, _meeting_payload(case, staff, 3),
                                          format="json").status_code == 403
    outsider = as_user(api, staff.outsider).post(url, _meeting_payload(case, staff, 3),
                                                 format="json")
    assert outsider.status_code == 404
    assert Meeting.objects.count() == 0
