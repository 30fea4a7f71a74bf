"""The actions posted from the case page: each calls one service; refusals change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.drafts import drafts_of
from core.models import AuditEvent, IssuedDocument
from tests.tolerance.conftest import shift_now
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
    post(client, staff.investigator, case, "refer")  # refused: no statement on record yet
    assert fresh(case).state == CaseState.INVESTIGATING
    post(client, staff.investigator, case, "note",
         {"kind": "statement", "text": "本人陈述：决策经集体研究。", "participants": "张三"})
    post(client, staff.investigator, case, "refer")
    assert fresh(case).state == CaseState.DELIBERATING

    members = staff.members
    today = timezone.localdate().isoformat()
    meeting_data = {"held_on": today, "location": "会议室", "chair": members[0].pk,
                    "minutes": "纪要"}
    for member in members:
        meeting_data[f"seat_{member.pk}"] = "present"
        meeting_data[f"vote_{entry.pk}_{member.pk}"] = "lighter"
        meeting_data[f"opinion_{entry.pk}_{member.pk}"] = "同意"
    assert post(client, staff.leader, case, "meeting", meeting_data).status_code == 302
    meeting = Meeting.objects.get(case=case)
    assert (meeting.members.count(), meeting.votes.count(), meeting.chair) == (3, 3, members[0])

    with django_capture_on_commit_callbacks(execute=True):  # the rulings task
        response = post(client, members[0], case, "decide",
                        {"outcome": "lighter", "meeting": meeting.pk, "reason": "符合情形",
                         "departure_reason": "损失尚未全部挽回"},
                        target=entry)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.outcome, entry.departs_from_advice, entry.departure_reason) == (
        "lighter", True, "损失尚未全部挽回")
    assert fresh(case).state == CaseState.DECIDED  # the rulings task drafted the ruling
    draft = drafts_of(case).get(kind="tolerance_ruling")
    assert post_draft(client, staff.clerk, draft, "check").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the issuing task
        assert post_draft(client, staff.leader, draft, "sign").status_code == 302
    assert fresh(case).state == CaseState.RULING_ISSUED  # issued after the sign-off

    post(client, staff.clerk, case, "feed_back", {"method": "in_person", "delivered_on": today})
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
    data = {"held_on": timezone.localdate().isoformat(), "chair": "", "minutes": ""}
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
    ("investigating", "clerk", "receipt", {"received_on": "2026-11-20"}, None, "收文日期"),
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
    case = case_feed_back(flow.decided(outcome="lighter"), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
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
    assert posted.form.errors["reason"] == ["此项为必填项。"]
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
    assert [a.spec.name for a in response.context["actions"]] == [
        "accept", "reject", "receipt", "remedy"]
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
    form = views[0].actions[0].form
    assert form["outcome"].value() is None  # no outcome chosen beforehand, not even the advice
    assert form.fields["outcome"].help_text == "规则建议：免除责任。"
    html = str(form["outcome"])
    assert html.count('type="radio"') == 4 and "checked" not in html
    # And on the page as served: four outcome radios, none checked, no option selected.
    name = f'name="{form.add_prefix("outcome")}"'
    body = response.content.decode()
    radios = [tag for tag in re.findall(r"<input[^>]*>", body) if name in tag]
    assert len(radios) == 4 and not any("checked" in tag for tag in radios)
    assert f"<select {name}" not in body and "selected" not in "".join(radios)


def test_only_people_who_took_no_part_are_offered_as_reviewers(client, flow, staff):
    case = case_feed_back(flow.decided(outcome="lighter"), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    post(client, staff.cadre, case, "appeal", {"reason": "不服"}, target=entry_of(case))
    client.force_login(staff.leader)
    response = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    [appeal] = response.context["page"].appeals
    [assign] = appeal.actions
    offered = [label for _pk, label in assign.form.fields["reviewer"].choices][1:]
    # Not the investigator nor the members (one recorded the meeting and decided); the
    # clerk and the leader took no part (staff: offered).
    assert offered == ["t_clerk", "t_inv2", "t_leader", "t_reviewer"]


# --- the casework that binds, through the pages ----------------------------------------------


def meeting_form(case, staff, present, *, held_on=None, votes="exempt"):
    entry = entry_of(case)
    data = {"held_on": (held_on or timezone.localdate()).isoformat(), "minutes": "纪要"}
    for position, member in enumerate(staff.members):
        data[f"seat_{member.pk}"] = "present" if position < present else "absent"
        if position < present:
            data[f"vote_{entry.pk}_{member.pk}"] = votes
    return data


def posted_form(response, name):
    [posted] = [a for a in response.context["actions"] if a.spec.name == name]
    return posted.form


def test_a_meeting_below_quorum_is_refused_on_the_page_naming_the_quorum(client, flow, staff):
    case = flow.deliberating()
    before = _snapshot(case)
    response = post(client, staff.members[0], case, "meeting", meeting_form(case, staff, 1))
    assert response.status_code == 400
    assert response.context["open_action"] == "meeting"
    assert posted_form(response, "meeting").non_field_errors() == [
        "未达到法定人数：集体研究成员共3名，须超过半数成员（至少2名）出席，本次实到1名。"
        "未达法定人数的会议不能作为集体研究记录。"
    ]
    assert "未达到法定人数" in response.content.decode()  # shown on the form itself
    assert Meeting.objects.count() == 0 and _snapshot(case) == before


def test_the_meeting_form_lists_the_roster_and_asks_for_each_attendance(client, flow, staff):
    case = flow.deliberating()
    client.force_login(staff.members[0])
    page = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    form = posted_form(page, "meeting")
    assert [str(u) for u in form.members] == ["t_member1", "t_member2", "t_member3"]
    assert [value for value, _label in form.fields[f"seat_{staff.members[0].pk}"].choices] == [
        "", "present", "absent"]  # never "not on the committee"
    assert form.quorum_text == "法定人数：超过半数成员，名单共3名，至少2名出席。"
    data = meeting_form(case, staff, 3)
    del data[f"seat_{staff.members[2].pk}"]
    response = post(client, staff.members[0], case, "meeting", data)
    assert response.status_code == 400
    assert posted_form(response, "meeting").errors[f"seat_{staff.members[2].pk}"] == [
        "此项为必填项。"]


@pytest.mark.parametrize(("days", "status", "message"), [
    (1, 400, "会议日期不能晚于今天。"),
    (-1, 409, "会议日期不能早于提交集体研究的日期"),
])
def test_a_meeting_date_in_the_future_or_before_the_referral_is_refused_at_its_field(
    client, flow, staff, days, status, message
):
    case = flow.deliberating()
    held_on = timezone.localdate() + dt.timedelta(days=days)
    response = post(client, staff.members[0], case, "meeting",
                    meeting_form(case, staff, 3, held_on=held_on))
    assert response.status_code == status
    [error] = posted_form(response, "meeting").errors["held_on"]
    assert message in error
    assert Meeting.objects.count() == 0


def test_a_departure_without_its_reason_is_refused_on_the_page(client, flow, staff):
    case = flow.deliberating()  # the findings advise exemption
    entry = entry_of(case)
    post(client, staff.members[0], case, "meeting", meeting_form(case, staff, 3, votes="lighter"))
    meeting = Meeting.objects.get()
    data = {"outcome": "lighter", "meeting": meeting.pk, "reason": "损失较大"}
    response = post(client, staff.members[0], case, "decide", data, target=entry)
    assert response.status_code == 400
    [view] = response.context["page"].entry_views
    [form] = [a.form for a in view.actions if a.spec.name == "decide"]
    assert form.errors["departure_reason"] == [
        "该结论与规则建议（免除责任）不一致，请填写不一致的理由。"]
    assert entry_of(case).outcome == ""
    response = post(client, staff.members[0], case, "decide",
                    {**data, "departure_reason": "补救不及时，影响扩大"}, target=entry)
    assert response.status_code == 302
    client.force_login(staff.leader)
    page = client.get(reverse("tolerance:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="departure-reason">补救不及时，影响扩大' in page
    assert "不一致理由：补救不及时，影响扩大" in page  # the timeline, from the audit row


def test_a_back_dated_delivery_on_the_page_counts_the_appeal_window_from_its_date(
    client, flow, staff, monkeypatch
):
    real_today = timezone.localdate()
    ten_days_ago = real_today - dt.timedelta(days=10)
    with monkeypatch.context() as patch:  # the case was decided, its ruling issued, then
        patch.setattr("django.utils.timezone.localdate",
                      lambda value=None, timezone=None: ten_days_ago)
        shift_now(patch, lambda: ten_days_ago)
        case = flow.decided(outcome="lighter")
    assert IssuedDocument.objects.get(kind="tolerance_ruling").issued_on == ten_days_ago
    delivered = real_today - dt.timedelta(days=7)  # and delivered three days later
    response = post(client, staff.clerk, case, "feed_back", {
        "method": "post", "delivered_on": delivered.isoformat(),
    }, files={"receipt": SimpleUploadedFile("回证.pdf", PDF)})
    assert response.status_code == 302
    case = fresh(case)
    from core.workdays import load_calendar
    from tolerance import deadlines

    expected = deadlines.appeal_deadline(delivered, case.policy_version.policy.procedure,
                                         load_calendar()).date
    assert (case.fed_back_on, case.appeal_due_on) == (delivered, expected)
    client.force_login(staff.cadre)
    mine = client.get(reverse("tolerance:my_cases")).content.decode()
    assert f'data-testid="delivered-on">{delivered.isoformat()}' in mine
    assert expected.isoformat() in mine


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"method": "in_person", "delivered_on": "2099-01-01"}, "delivered_on",
     "送达日期不能晚于今天。"),
    ({"delivered_on": "2026-01-01"}, "method", "此项为必填项。"),
])
def test_a_bad_delivery_is_refused_at_its_field(client, flow, staff, data, field, message):
    case = flow.decided()
    before = _snapshot(case)
    response = post(client, staff.clerk, case, "feed_back", data)
    assert response.status_code == 400
    assert posted_form(response, "feed_back").errors[field] == [message]
    assert _snapshot(case) == before


def test_a_receipt_of_the_wrong_type_is_refused_before_anything_is_stored(client, flow, staff):
    case = flow.decided()
    response = post(client, staff.clerk, case, "feed_back",
                    {"method": "in_person", "delivered_on": timezone.localdate().isoformat()},
                    files={"receipt": SimpleUploadedFile("回证.pdf", b"MZ\x90\x00 exe")})
    assert response.status_code == 400
    assert posted_form(response, "feed_back").errors["receipt"]
    assert fresh(case).state == CaseState.RULING_ISSUED


def test_a_back_dated_receipt_on_the_page_shows_the_deadline_overdue_at_once(
    client, flow, staff
):
    case = flow.submitted()
    received = timezone.localdate() - dt.timedelta(days=20)
    response = post(client, staff.clerk, case, "receipt", {"received_on": received.isoformat()})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["page"].overdue is True
    body = page.content.decode()
    assert f'data-testid="received-on">{received.isoformat()}' in body
    assert '<span class="badge text-bg-danger">已超期</span>' in body
    response = post(client, staff.clerk, case, "receipt", {"received_on": "2099-01-01"})
    assert response.status_code == 400
    assert posted_form(response, "receipt").errors["received_on"] == ["收文日期不能晚于今天。"]
    assert fresh(case).received_on == received


def test_an_ex_officio_case_is_not_called_an_application(client, flow, staff, world):
    client.force_login(staff.clerk)
    response = client.post(reverse("tolerance:file"), {
        "started_by": StartedBy.EX_OFFICIO_INSPECTION, "cadres": [world.cadre_a1.pk],
        "title": "考察中发现的问题", "description": "考察中发现程序瑕疵。",
        "occurred_on": "2026-05-12", "submit_now": "1",
    }, follow=True)
    assert messages_of(response) == ["本机关依职权启动的案件已提交受理。"]
    assert "您的申请已提交" not in response.content.decode()
    rows = response.context["page"].timeline
    assert rows[0].label == "立案"  # started by the authority
