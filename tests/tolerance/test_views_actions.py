"""The actions posted from the case page: each calls one service; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.drafts import drafts_of
from core.models import AuditEvent, IssuedDocument
from tolerance.enums import CaseState, StartedBy
from tolerance.feedback import case_feed_back
from tolerance.models import Appeal, Attachment, Case, CaseCadre, CaseNote, Meeting, Remedy
from tolerance.models.review import AppealState, RemedyStatus
from tolerance.views.actions import SPECS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def post(client, user, case, action, data=None, *, target=None, files=None):
    client.force_login(user)
    payload = {}
    if target is not None:
        payload["target"] = target.pk
        prefix = f"{action}-{target.pk}-"
    else:
        prefix = ""
    payload.update({prefix + key: value for key, value in (data or {}).items()})
    payload.update(files or {})
    return client.post(reverse("tolerance:case_action", args=[case.pk, action]), payload)


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def entry_of(case) -> CaseCadre:
    return CaseCadre.objects.get(case=case)


FINDINGS = {
    **{f"d_D{i}": "tolerable" for i in (1, 2, 3)},
    **{f"c_C{i}": "holds" for i in (1, 2, 3, 4)},
    **{f"x_X{i}": "absent" for i in range(1, 7)},
    "assessed": "on",
    "situations": ["SX-02"],
    "severity": "minor",
    "remedy_taken": "yes",
    "findings_note": "查明属实",
}


# --- the whole workflow through the pages ----------------------------------------------------


def test_a_case_walks_through_every_step_on_the_pages(
    client, flow, staff, django_capture_on_commit_callbacks
):
    case = flow.submitted()

    response = post(client, staff.clerk, case, "accept")
    assert response.status_code == 302
    assert fresh(case).state == CaseState.ACCEPTED

    post(client, staff.clerk, case, "start_investigation", {"investigator": staff.investigator.pk})
    case = fresh(case)
    assert (case.state, case.investigator) == (CaseState.INVESTIGATING, staff.investigator)

    entry = entry_of(case)
    assert post(client, staff.investigator, case, "findings", FINDINGS,
                target=entry).status_code == 302
    entry.refresh_from_db()
    assert entry.situations == ["SX-02"]
    assert entry.conditions == {"C1": "holds", "C2": "holds", "C3": "holds", "C4": "holds"}
    assert (entry.remedy_taken, entry.severity) == (True, "minor")

    post(client, staff.investigator, case, "note",
         {"kind": "interview", "text": "谈话记录", "participants": "t_inv、张三"})
    assert list(CaseNote.objects.values_list("kind", "text", "entry_id")) == [
        ("interview", "谈话记录", entry.pk)
    ]
    post(client, staff.investigator, case, "attach",
         {"kind": "evidence", "note": "会议纪要复印件"},
         files={"files": [SimpleUploadedFile("纪要.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]})
    assert sorted(Attachment.objects.values_list("filename", "kind")) == [
        ("b.pdf", "evidence"), ("纪要.pdf", "evidence")
    ]
    post(client, staff.investigator, case, "report", {"report": "调查报告"})
    assert fresh(case).investigation_report == "调查报告"
    post(client, staff.investigator, case, "refer")
    assert fresh(case).state == CaseState.DELIBERATING

    members = staff.members
    meeting_data = {"held_on": "2026-11-20", "location": "会议室", "chair": members[0].pk,
                    "minutes": "纪要"}
    for member in members:
        meeting_data[f"seat_{member.pk}"] = "present"
        meeting_data[f"vote_{entry.pk}_{member.pk}"] = "exempt"
        meeting_data[f"opinion_{entry.pk}_{member.pk}"] = "同意"
    assert post(client, staff.leader, case, "meeting", meeting_data).status_code == 302
    meeting = Meeting.objects.get(case=case)
    assert (meeting.members.count(), meeting.votes.count(), meeting.chair) == (3, 3, members[0])

    with django_capture_on_commit_callbacks(execute=True):  # the rulings task
        response = post(client, staff.leader, case, "decide",
                        {"outcome": "exempt", "meeting": meeting.pk, "reason": "符合情形"},
                        target=entry)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.outcome, entry.departs_from_advice) == ("exempt", False)
    assert fresh(case).state == CaseState.DECIDED  # the rulings task drafted the ruling
    draft = drafts_of(case).get()
    assert post_draft(client, staff.clerk, draft, "check").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the issuing task
        assert post_draft(client, staff.leader, draft, "sign").status_code == 302
    assert fresh(case).state == CaseState.RULING_ISSUED  # issued after the sign-off

    post(client, staff.clerk, case, "feed_back")
    case = fresh(case)
    assert case.state == CaseState.FED_BACK and case.appeal_due_on > timezone.localdate()

    response = post(client, staff.cadre, case, "appeal", {"reason": "不服"}, target=entry)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert fresh(case).state == CaseState.APPEALED

    post(client, staff.leader, case, "assign_reviewer", {"reviewer": staff.reviewer.pk},
         target=appeal)
    appeal.refresh_from_db()
    assert appeal.reviewer == staff.reviewer

    post(client, staff.reviewer, case, "decide_appeal",
         {"new_outcome": "confirm", "reason": "维持"}, target=appeal)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CONFIRMED
    assert fresh(case).state == CaseState.FED_BACK

    post(client, staff.clerk, case, "publish", {"publication_scope": "system"})
    case = fresh(case)
    assert (case.state, case.publication_scope) == (CaseState.PUBLISHED, "system")


def test_success_redirects_to_the_case_with_a_message(client, flow, staff):
    case = flow.submitted()
    response = post(client, staff.clerk, case, "accept")
    assert response["Location"] == reverse("tolerance:case_detail", args=[case.pk])
    followed = client.get(response["Location"])
    assert messages_of(followed) == ["已受理。"]


def test_a_unit_case_is_rejected_with_reasons(client, flow, staff):
    case = flow.submitted(by=staff.hr, started_by=StartedBy.UNIT)
    post(client, staff.clerk, case, "reject", {"reason": "不属于受理范围"})
    case = fresh(case)
    assert (case.state, case.not_accepted_reason) == (CaseState.NOT_ACCEPTED, "不属于受理范围")


def test_the_applicant_withdraws_and_the_committee_sends_back(client, flow, staff):
    case = flow.deliberating()
    post(client, staff.leader, case, "send_back", {"reason": "事实不清"})
    assert fresh(case).state == CaseState.INVESTIGATING
    post(client, staff.cadre, case, "withdraw", {"reason": "撤回"})
    assert fresh(case).state == CaseState.WITHDRAWN


def test_a_meeting_without_a_chair_is_recorded(client, flow, staff):
    """The chair is optional: "—" records no chair (it used to fail with a 500)."""
    case = flow.deliberating()
    entry = entry_of(case)
    first, second, third = staff.members
    data = {"held_on": "2026-11-20", "chair": "", "minutes": ""}
    for member, seat in ((first, "present"), (second, "present"), (third, "absent")):
        data[f"seat_{member.pk}"] = seat
    for member in (first, second):
        data[f"vote_{entry.pk}_{member.pk}"] = "exempt"
    assert post(client, first, case, "meeting", data).status_code == 302
    meeting = Meeting.objects.get(case=case)
    assert meeting.chair is None
    assert sorted(meeting.members.values_list("user__username", "present")) == [
        ("t_member1", True), ("t_member2", True), ("t_member3", False)
    ]
    assert meeting.votes.count() == 2


def test_remedial_measures_are_added_and_moved_forward(client, flow, staff):
    case = flow.investigating()
    post(client, staff.clerk, case, "remedy",
         {"measure": "追回资金", "owner": "城关镇", "due_on": "2026-12-31"})
    remedy = Remedy.objects.get()
    assert (remedy.measure, remedy.owner, remedy.due_on) == ("追回资金", "城关镇",
                                                             dt.date(2026, 12, 31))
    post(client, staff.clerk, case, "remedy_status", {"status": "done"}, target=remedy)
    post(client, staff.leader, case, "remedy_status",
         {"status": "verified", "verification": "已核实"}, target=remedy)
    remedy.refresh_from_db()
    assert (remedy.status, remedy.verified_by) == (RemedyStatus.VERIFIED, staff.leader)


def test_the_leader_extends_the_running_deadline(client, flow, staff):
    case = flow.investigating()
    due = case.due_on
    response = post(client, staff.leader, case, "extend", {"working_days": 5, "reason": "复杂"})
    assert response.status_code == 302
    case = fresh(case)
    assert case.due_on > due
    assert case.extensions.get().working_days == 5


def test_the_cadre_adds_a_statement(client, flow, staff):
    case = flow.investigating()
    post(client, staff.cadre, case, "note", {"kind": "statement", "text": "本人说明"})
    note = CaseNote.objects.get()
    assert (note.kind, note.author, note.entry) == ("statement", staff.cadre, entry_of(case))


# --- refusals --------------------------------------------------------------------------------


def _snapshot(case):
    return (
        fresh(case).state,
        AuditEvent.objects.count(),
        Meeting.objects.count(),
        Remedy.objects.count(),
        CaseNote.objects.count(),
        Attachment.objects.count(),
        IssuedDocument.objects.count(),
    )


@pytest.mark.parametrize("action", sorted(SPECS))
def test_an_outsider_can_act_on_nothing(client, flow, staff, action):
    case = flow.deliberating()
    flow.meeting(case)
    before = _snapshot(case)
    target = {"entry": entry_of(case), "appeal": entry_of(case), "remedy": entry_of(case)}.get(
        SPECS[action].target
    )
    for who in (staff.outsider, staff.clerk_b):
        response = post(client, who, case, action, {"reason": "x"}, target=target)
        assert response.status_code == 404
    assert _snapshot(case) == before


def test_an_unknown_action_or_target_is_404(client, flow, staff):
    case = flow.investigating()
    client.force_login(staff.investigator)
    assert client.post(
        reverse("tolerance:case_action", args=[case.pk, "explode"])
    ).status_code == 404
    other = flow.investigating()
    response = post(client, staff.investigator, case, "findings", FINDINGS,
                    target=entry_of(other))
    assert response.status_code == 404


def test_actions_need_post(client, flow, staff):
    case = flow.submitted()
    client.force_login(staff.clerk)
    response = client.get(reverse("tolerance:case_action", args=[case.pk, "accept"]))
    assert response.status_code == 405


def post_draft(client, user, draft, action):
    client.force_login(user)
    return client.post(reverse("documents:draft", args=[draft.pk]), {"action": action})


REFUSED = [
    # (state the case is in, who, action, data, target kind, message)
    # a stale form: someone acted first, and the page says what the case is now
    ("investigating", "clerk", "accept", {}, None, "他人已先行办理：当前为“调查核实中”。"),
    ("submitted", "investigator", "refer", {}, None, "他人已先行办理：当前为“已提交”。"),
    ("deliberating", "investigator", "findings", FINDINGS, "entry", "调查"),
    ("investigating", "leader", "meeting", {"held_on": "2026-11-20"}, None, "集体研究"),
    ("submitted", "cadre", "appeal", {"reason": "不服"}, "entry", "复核"),
    ("deliberating", "clerk", "report", {"report": "改写"}, None, "调查"),
]


@pytest.mark.parametrize(("state", "who", "action", "data", "target", "message"), REFUSED)
def test_an_action_refused_by_the_state_changes_nothing(
    client, flow, staff, state, who, action, data, target, message
):
    case = getattr(flow, state)()
    before = _snapshot(case)
    response = post(client, getattr(staff, who), case, action, data,
                    target=entry_of(case) if target else None)
    assert response.status_code == 409
    assert response.templates[0].name == "tolerance/case_detail.html"
    [shown] = messages_of(response)
    assert message in shown  # the service's own refusal, in Chinese
    assert _snapshot(case) == before


def test_a_late_appeal_is_refused_with_the_deadline(client, flow, staff):
    case = case_feed_back(flow.decided(), actor=staff.clerk)
    Case.objects.filter(pk=case.pk).update(appeal_due_on=dt.date(2026, 1, 5))
    before = _snapshot(case)
    response = post(client, staff.cadre, case, "appeal", {"reason": "不服"},
                    target=entry_of(case))
    assert response.status_code == 409
    assert "2026-01-05" in messages_of(response)[0]
    assert _snapshot(case) == before


def test_an_invalid_form_comes_back_with_its_errors(client, flow, staff):
    case = flow.submitted()
    before = _snapshot(case)
    response = post(client, staff.clerk, case, "reject", {"reason": ""})
    assert response.status_code == 400
    assert response.context["open_action"] == "reject"
    [posted] = [a for a in response.context["actions"] if a.spec.name == "reject"]
    assert posted.form.errors["reason"] == ["这个字段是必填项。"]
    assert _snapshot(case) == before


def test_a_file_of_the_wrong_type_is_refused_before_anything_is_stored(client, flow, staff):
    case = flow.investigating()
    before = _snapshot(case)
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 this is an executable")
    response = post(client, staff.investigator, case, "attach", {"kind": "evidence"},
                    files={"files": [fake]})
    assert response.status_code == 400
    [posted] = [a for a in response.context["actions"] if a.spec.name == "attach"]
    assert "证据.pdf" in posted.form.errors["files"][0]
    assert _snapshot(case) == before


def test_only_the_actions_allowed_now_are_offered(client, flow, staff):
    case = flow.submitted()
    client.force_login(staff.clerk)
    response = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    assert [a.spec.name for a in response.context["actions"]] == ["accept", "reject", "remedy"]
    client.force_login(staff.cadre)
    response = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    assert [a.spec.name for a in response.context["actions"]] == ["withdraw", "note", "attach"]
    client.force_login(staff.members[0])
    response = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    assert [a.spec.name for a in response.context["actions"]] == []


def test_the_committee_sees_a_decide_form_per_cadre_after_a_meeting(client, flow, staff):
    case = flow.deliberating()
    client.force_login(staff.leader)
    page = client.get(reverse("tolerance:case_detail", args=[case.pk])).context["page"]
    assert [[a.spec.name for a in v.actions] for v in page.entry_views] == [[]]
    flow.meeting(case)
    response = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    views = response.context["page"].entry_views
    assert [[a.spec.name for a in v.actions] for v in views] == [["decide"]]
    assert views[0].actions[0].form["outcome"].value() == "exempt"  # the advice, preselected


def test_only_people_who_took_no_part_are_offered_as_reviewers(client, flow, staff):
    case = case_feed_back(flow.decided(), actor=staff.clerk)
    post(client, staff.cadre, case, "appeal", {"reason": "不服"}, target=entry_of(case))
    client.force_login(staff.leader)
    response = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    [appeal] = response.context["page"].appeals
    [assign] = appeal.actions
    offered = [label for _pk, label in assign.form.fields["reviewer"].choices][1:]
    # Not the clerk (filed nothing, but is staff: offered), investigator, members or leader.
    assert offered == ["t_clerk", "t_inv2", "t_reviewer"]
