"""The case timeline read from the audit log: each row's label and details in Chinese, what
an outside viewer is spared, the cost."""

import datetime as dt

import pytest
from django.utils import timezone

from core import audit
from core.audit_display import action_label
from core.models import AuditEvent
from tests.factories import CadreFactory
from tolerance.enums import CaseState, StartedBy
from tolerance.models import Case
from tolerance.views.timeline import _details, _label_of, case_timeline

pytestmark = pytest.mark.django_db


def details(action, after=None, before=None, cadres=None, users=None) -> list[str]:
    event = AuditEvent(action=action, before=before, after=after)
    return _details(event, cadres or {}, users or {})


def test_a_state_change_reads_old_to_new():
    assert details("tolerance.case.accept", before={"state": CaseState.SUBMITTED},
                   after={"state": CaseState.ACCEPTED}) == ["状态：已提交 → 已受理"]
    assert details("tolerance.case.note", before={"state": "draft"},
                   after={"state": "draft"}) == []
    # A state no longer in the enum is shown as stored.
    assert details("tolerance.case.x", before={"state": "old"},
                   after={"state": "draft"}) == ["状态：old → 草稿"]


def test_people_are_named_when_known():
    assert details("tolerance.entry.findings", after={"entry": 7}, cadres={7: "张三"}) == [
        "干部：张三"
    ]
    assert details("tolerance.entry.findings", before={"entry": 8}, cadres={7: "张三"}) == []
    assert details("tolerance.case.start_investigation", after={"investigator": 3},
                   users={3: "t_inv"}) == ["调查核实人员：t_inv"]
    assert details("tolerance.appeal.assign", after={"reviewer": 4}, users={4: "t_rev"}) == [
        "复核人：t_rev"
    ]
    assert details("tolerance.appeal.assign", after={"reviewer": 5}, users={4: "t_rev"}) == []


def test_a_conclusion_and_its_departure_from_the_advice():
    assert details("tolerance.entry.decide", after={
        "outcome": "exempt", "departs_from_advice": True, "departure_reason": "情节较轻",
    }) == ["结论：免除责任", "与政策比对参考意见不一致", "不一致理由：情节较轻"]
    assert details("tolerance.entry.decide", after={"outcome": "maybe"}) == []


def test_meetings_deliveries_and_receipts_carry_their_dates():
    assert details("tolerance.meeting.record", after={
        "held_on": "2026-03-02", "present": 3, "members": 5,
    }) == ["会议日期2026-03-02；应到5名，实到3名"]
    assert details("tolerance.delivery.record", after={
        "method": "in_person", "delivered_on": "2026-03-05", "appeal_due_on": "2026-03-20",
    }) == ["直接送达", "送达日期2026-03-05", "复核申请截止2026-03-20"]
    assert details("tolerance.delivery.record", after={
        "method": "carrier pigeon", "delivered_on": "2026-03-05", "appeal_due_on": "2026-03-20",
    }) == ["送达日期2026-03-05", "复核申请截止2026-03-20"]
    assert details("tolerance.case.receive", after={"received_on": "2026-03-06"}) == [
        "收文日期2026-03-06"
    ]


def test_appeal_remedy_file_and_deadline_rows():
    assert details("tolerance.appeal.decide", after={"state": "confirmed"}) == ["维持原结论"]
    assert details("tolerance.remedy.status", after={"status": "verified"}) == ["已核验"]
    assert details("tolerance.remedy.status", after={"status": "lost"}) == []
    assert details("tolerance.attachment.add", after={"filename": "申请书.pdf"}) == [
        "申请书.pdf"
    ]
    assert details("tolerance.case.extend", after={"due_on": "2026-04-01"}) == [
        "期限至2026-04-01"
    ]
    assert details("tolerance.remedy.add", after={"due_on": "2026-04-01"}) == []


def test_an_application_is_drafted_an_ex_officio_case_is_opened(flow, staff):
    application = flow.filed()
    ex_officio = flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)

    assert _label_of(application, "tolerance.case.create") == "起草申请"
    assert _label_of(ex_officio, "tolerance.case.create") == action_label("tolerance.case.create")
    assert action_label("tolerance.case.create") != "起草申请"
    assert _label_of(application, "tolerance.case.submit") == "提交申请"
    assert _label_of(application, "no.such.action") == "no.such.action"


def test_staff_see_every_row_oldest_first_with_the_people_named(flow, staff):
    case = flow.investigating()
    entries = list(case.entries.select_related("cadre"))

    rows = case_timeline(case, entries, internal=True, concluded=False)

    assert [row.label for row in rows] == ["起草申请", "提交申请", "已受理", "开始调查核实"]
    assert [row.actor for row in rows] == ["t_cadre", "t_cadre", "t_clerk", "t_clerk"]
    assert "调查核实人员：t_inv" in rows[3].details
    assert [row.at for row in rows] == sorted(row.at for row in rows)


def test_outside_viewers_see_the_steps_but_not_the_internal_work(flow, staff):
    case = flow.deliberating()
    flow.meeting(case)
    entries = list(case.entries.select_related("cadre"))

    inside = [row.label for row in case_timeline(case, entries, internal=True, concluded=False)]
    outside = [row.label for row in case_timeline(case, entries, internal=False,
                                                   concluded=False)]

    assert "记录集体研究会议" in inside and "记录集体研究会议" not in outside
    assert "记录调查认定" in inside and "记录调查认定" not in outside
    assert set(outside) < set(inside)
    assert outside[:4] == ["起草申请", "提交申请", "已受理", "开始调查核实"]


def test_conclusions_reach_outside_viewers_only_once_concluded(flow, staff):
    case = flow.decided()
    entries = list(case.entries.select_related("cadre"))

    def decisions(concluded):
        return [row for row in case_timeline(case, entries, internal=False, concluded=concluded)
                if row.label == action_label("tolerance.entry.decide")]

    assert decisions(False) == []
    [decision] = decisions(True)
    assert "结论：免除责任" in decision.details
    assert decision.reason == "符合容错情形"


def test_outside_viewers_do_not_see_rows_about_other_cadres(flow, staff, world):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = flow.deliberating(by=staff.hr, started_by=StartedBy.UNIT,
                             cadres=[world.cadre_a1, colleague])
    entries = list(case.entries.select_related("cadre").order_by("pk"))

    mine = case_timeline(case, entries[:1], internal=False, concluded=True)
    everyone = case_timeline(case, entries, internal=False, concluded=True)

    assert not any("干部：赵六" in row.details for row in mine)
    assert any("干部：赵六" in row.details for row in everyone)
    assert any("干部：张三" in row.details for row in mine)


def test_reasons_outside_are_only_the_public_ones(flow, staff):
    case = flow.submitted()
    audit.record("tolerance.case.extend", actor=staff.leader, obj=case, reason="内部理由",
                 after={"due_on": "2026-04-01"})
    audit.record("tolerance.case.reject", actor=None, obj=case, reason="不属于受理范围")
    entries = list(case.entries.select_related("cadre"))

    inside = {row.label: row for row in case_timeline(case, entries, internal=True,
                                                      concluded=False)}
    outside = case_timeline(case, entries, internal=False, concluded=False)

    assert inside[action_label("tolerance.case.extend")].reason == "内部理由"
    assert action_label("tolerance.case.extend") not in [row.label for row in outside]
    [reject] = [row for row in outside if row.label == action_label("tolerance.case.reject")]
    assert reject.reason == "不属于受理范围"


def test_a_system_step_is_shown_as_the_system(flow):
    case = flow.submitted()
    AuditEvent.objects.create(action="tolerance.case.close", actor_repr="system",
                              content_type_id=AuditEvent.objects.filter(
                                  object_id=str(case.pk)).first().content_type_id,
                              object_id=str(case.pk), at=timezone.now() + dt.timedelta(1))

    rows = case_timeline(case, [], internal=True, concluded=False)

    assert rows[-1].actor == "系统"


def test_the_timeline_costs_one_query_and_one_more_to_name_people(
    flow, staff, django_assert_num_queries
):
    submitted = flow.submitted()
    investigating = flow.investigating()
    submitted, investigating = (Case.objects.get(pk=c.pk) for c in (submitted, investigating))

    with django_assert_num_queries(1):
        case_timeline(submitted, [], internal=True, concluded=False)
    with django_assert_num_queries(2):
        case_timeline(investigating, [], internal=True, concluded=False)
