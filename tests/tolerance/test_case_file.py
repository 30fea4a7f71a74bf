"""The case file's entries (卷宗): who may export it, what goes in, in which order, and the
record written out in Chinese (the ZIP itself: tests/register/test_casefile.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.enums import Role
from core.models import IssuedDocument
from tests.factories import make_user
from tolerance.case_file import (
    SECTION_DOCUMENT,
    SECTION_RECORD,
    _date,
    _judged,
    _moment,
    _yes_no,
    case_file_entries,
    case_file_size,
    may_export,
)
from tolerance.enums import ConditionStatus, DistinctionSide
from tolerance.models import Case
from tolerance.workflow import case_transition

pytestmark = pytest.mark.django_db


def text(entry) -> list[str]:
    assert entry.content.startswith("\ufeff".encode())
    return entry.content.decode("utf-8-sig").split("\r\n")


def test_the_organization_department_staff_of_the_authority_may_export(flow, staff, world):
    case = flow.submitted()
    auditor = make_user("cf_auditor", Role.AUDITOR, authorities=[world.county_a_org])

    for user in (staff.clerk, staff.investigator, staff.members[0], staff.leader):
        assert may_export(user, case), user.username
    for user in (auditor, staff.cadre, staff.hr, staff.outsider, staff.clerk_b, None):
        assert not may_export(user, case), user


def test_small_values_read_in_chinese():
    assert (_yes_no(True), _yes_no(False), _yes_no(None)) == ("是", "否", "—")
    assert _date(None) == "—" and _date(dt.date(2026, 3, 1)) == "2026-03-01"
    assert _moment(None) == "—"
    assert _moment(dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)) == "2026-03-01 08:30"
    assert _judged({}, DistinctionSide) == "—"
    assert _judged(None, ConditionStatus) == "—"
    assert _judged({"D2": "not_tolerable", "D1": "tolerable", "D3": "odd"},
                   DistinctionSide) == "D1 可容错一方；D2 不可容错一方；D3 odd"


def test_a_submitted_case_has_only_the_record(flow):
    case = flow.submitted()

    entries = list(case_file_entries(case))

    assert [(e.path, e.section) for e in entries] == [
        ("record/case.txt", SECTION_RECORD),
        ("record/findings-1-张三.txt", SECTION_RECORD),
        ("record/notes.csv", SECTION_RECORD),
        ("record/deliveries.csv", SECTION_RECORD),
        ("record/appeals.csv", SECTION_RECORD),
        ("record/timeline.csv", SECTION_RECORD),
    ]
    assert [e.description for e in entries] == [
        "案件概况", "张三的调查认定和结论", "陈述说明和谈话记录", "送达记录", "申诉复核",
        "办理过程",
    ]
    assert all(e.open is None and e.sha256 == "" for e in entries)
    assert case_file_size(case) == len(entries)


def test_the_case_summary_lists_its_facts(flow):
    case = Case.objects.get(pk=flow.submitted().pk)

    lines = text(next(case_file_entries(case)))

    assert lines[0] == f"案件编号: {case.reference}"
    assert lines[1] == "问责事项: 乡村振兴试点项目资金拨付偏差"
    assert lines[2] == "受理机关: 中共甲县县委组织部"
    assert lines[4] == "办理状态: 已提交"
    assert lines[5] == "收文日期: —"
    assert lines[11] == "调查核实人员: —"
    assert lines[13:15] == ["基本事实:", "在推进改革试点中，因政策界限不明确出现资金拨付偏差。"]
    assert lines[16:18] == ["申请理由:", "系改革探索中的失误，经集体决策，未谋私利。"]
    assert lines[19:] == ["调查核实报告:", "—", ""]


def test_a_case_not_accepted_gives_the_reasons(flow, staff):
    case = case_transition(flow.submitted(), actor=staff.clerk, action="reject",
                           reason="不属于受理范围")

    lines = text(next(case_file_entries(Case.objects.get(pk=case.pk))))

    assert lines[-4:] == ["", "不予受理理由:", "不属于受理范围", ""]


def test_a_decided_case_has_its_documents_minutes_and_findings(flow, staff):
    case = flow.decided()

    entries = list(case_file_entries(case))

    documents = IssuedDocument.objects.filter(object_id=case.pk).order_by("issued_at", "id")
    assert [e.section for e in entries[:len(documents)]] == [SECTION_DOCUMENT] * len(documents)
    assert [e.sha256 for e in entries[:len(documents)]] == [d.sha256 for d in documents]
    assert entries[0].path == f"documents/{documents[0].filename}"
    assert entries[0].description == f"受理通知书 {documents[0].number}"
    with entries[0].open() as stored:
        assert stored.read(5) == b"%PDF-"
    meeting = case.meetings.get()
    [minutes] = [e for e in entries if e.path.startswith("record/minutes-")]
    assert minutes.path == f"record/minutes-{timezone.localdate().isoformat()}-{meeting.pk}.txt"
    assert minutes.description == f"{timezone.localdate().isoformat()}集体研究会议纪要"
    lines = text(minutes)
    assert lines[3] == "出席: t_member1、t_member2、t_member3"
    assert lines[4] == "缺席: —"
    assert "  张三 · t_member1 · 免除责任 · 同意" in lines
    assert lines[-3:] == ["会议纪要:", "会议纪要", ""]
    findings = text(next(e for e in entries if e.path == "record/findings-1-张三.txt"))
    assert findings[1] == "符合的容错情形: SX-01"
    assert findings[2] == "三个区分开来: D1 可容错一方；D2 可容错一方；D3 可容错一方"
    assert case_file_size(case) == len(entries)
