"""Investigation: the investigator, the findings per cadre, and the rules summary they feed.

The seeds' examples go through the database here: findings recorded with
entry_record_findings, then summarized from entry.findings() under the case's policy.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.models import AuditEvent
from tolerance.enums import Advice, CaseState, StartedBy
from tolerance.errors import CaseError, TransitionRefused
from tolerance.investigation import (
    case_start_investigation,
    case_update_report,
    entry_record_findings,
    note_add,
)
from tolerance.models import Case, CaseCadre, CaseNote
from tolerance.rules import summarize
from tolerance.workflow import case_transition

from .conftest import TOLERABLE_FINDINGS

D_ALL = {"D1": "tolerable", "D2": "tolerable", "D3": "tolerable"}
C_ALL = {"C1": "holds", "C2": "holds", "C3": "holds", "C4": "holds"}
X_NONE = {f"X{i}": "absent" for i in range(1, 7)}

# Seed 003 / 000: a pilot reform (先行先试) missed its goal; decided democratically (C3),
# nobody gained privately (C4, X1 absent), losses remedied, consequences minor.
PILOT_REFORM = {
    "distinctions": D_ALL,
    "conditions": C_ALL,
    "exclusions": X_NONE,
    "situations": ["SX-02", "SX-01"],
    "remedy_taken": True,
    "severity": "minor",
    "findings_note": "试点项目经党委会集体研究决定，未谋取私利。",
}
# The same, but the unit gained privately: X1 present, D3 on the non-tolerable side, C4 fails.
WITH_PRIVATE_GAIN = {
    **PILOT_REFORM,
    "distinctions": {**D_ALL, "D3": "not_tolerable"},
    "conditions": {**C_ALL, "C4": "fails"},
    "exclusions": {**X_NONE, "X1": "present"},
}
# Went on after the higher level explicitly prohibited it (明令禁止后依然我行我素): X3, D2.
PERSISTED_AFTER_PROHIBITION = {
    **PILOT_REFORM,
    "distinctions": {**D_ALL, "D2": "not_tolerable"},
    "exclusions": {**X_NONE, "X3": "present"},
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def summary_through_the_case(flow, staff, findings):
    case = flow.investigating()
    entry = case.entries.get()
    entry_record_findings(entry, actor=staff.investigator, **findings)
    entry = CaseCadre.objects.get(pk=entry.pk)
    return summarize(entry.findings(), case.policy_version.policy)


def test_pilot_reform_with_democratic_decision_and_no_private_gain_is_exempt(flow, staff):
    summary = summary_through_the_case(flow, staff, PILOT_REFORM)
    assert summary.policy_code == "shaanxi-2016"
    assert summary.advice == Advice.EXEMPT
    assert summary.reason_codes == (
        "SX-01", "SX-02", "D1", "D2", "D3", "C1", "C2", "C3", "C4", "SEVERITY", "REMEDY",
    )
    assert [r.code for r in summary.situations_matched] == ["SX-01", "SX-02"]
    assert summary.situations_matched[0].text.startswith("在落实党委、政府决策部署中")
    assert (summary.exclusions_applying, summary.missing, summary.conflicts) == ((), (), ())


def test_the_same_with_private_gain_is_not_tolerated(flow, staff):
    summary = summary_through_the_case(flow, staff, WITH_PRIVATE_GAIN)
    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("X1", "D3", "C4")
    assert summary.reasons[0].text == "为自己、他人或单位谋取私利的"
    assert summary.conflicts == ()


def test_persisting_after_a_prohibition_is_not_tolerated(flow, staff):
    summary = summary_through_the_case(flow, staff, PERSISTED_AFTER_PROHIBITION)
    assert summary.advice == Advice.NOT_TOLERATED
    assert summary.reason_codes == ("X3", "D2")
    assert summary.reasons[0].text == "上级明令禁止后依然我行我素的"


def test_findings_are_stored_and_audited(flow, staff, world):
    case = flow.investigating()
    entry = entry_record_findings(case.entries.get(), actor=staff.investigator, **PILOT_REFORM)
    stored = CaseCadre.objects.get(pk=entry.pk)
    assert (stored.distinctions, stored.conditions, stored.exclusions) == (D_ALL, C_ALL, X_NONE)
    assert stored.situations == ["SX-01", "SX-02"]  # sorted, no duplicates
    assert (stored.remedy_taken, stored.risk_filed, stored.severity) == (True, False, "minor")
    event = AuditEvent.objects.get(action="tolerance.findings.record")
    assert event.authority_id == world.county_a_org.pk
    assert event.before == {
        "entry": entry.pk, "distinctions": {}, "conditions": {}, "exclusions": {},
        "situations": None, "remedy_taken": None, "severity": "",
        "findings_note": "",
    }
    assert event.after["situations"] == ["SX-01", "SX-02"]
    # recording the same again changes nothing but is still on the record
    entry_record_findings(entry, actor=staff.investigator, **PILOT_REFORM)
    again = AuditEvent.objects.filter(action="tolerance.findings.record").latest("id")
    assert (again.before, again.after) == ({"entry": entry.pk}, {"entry": entry.pk})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"distinctions": {"D9": "tolerable"}}, "Unknown finding D9 = tolerable."),
        ({"conditions": {"C1": "maybe"}}, "Unknown finding C1 = maybe."),
        ({"exclusions": {"X1": "holds"}}, "Unknown finding X1 = holds."),
        ({"situations": ["GY-01"]}, "Unknown tolerance situation."),  # Guanyun's, not Shaanxi's
        ({"severity": "catastrophic"}, "Unknown severity."),
    ],
)
def test_findings_outside_the_policy_are_refused(values, message, flow, staff):
    case = flow.investigating()
    entry = case.entries.get()
    with pytest.raises(CaseError) as error:
        entry_record_findings(entry, actor=staff.investigator, **values)
    assert str(error.value) == message
    assert CaseCadre.objects.get(pk=entry.pk).situations is None
    assert not AuditEvent.objects.filter(action="tolerance.findings.record").exists()


def test_only_the_assigned_investigator_or_leader_records_during_investigation(flow, staff):
    case = flow.investigating()
    entry = case.entries.get()
    for actor in (staff.other_investigator, staff.clerk, staff.members[0], staff.cadre,
                  staff.clerk_b, staff.outsider):
        with pytest.raises(CaseError):
            entry_record_findings(entry, actor=actor, **PILOT_REFORM)
        with pytest.raises(CaseError):
            case_update_report(case, actor=actor, report="报告")
    entry_record_findings(entry, actor=staff.leader, **PILOT_REFORM)
    accepted = flow.accepted()
    with pytest.raises(CaseError) as error:
        entry_record_findings(accepted.entries.get(), actor=staff.leader, **PILOT_REFORM)
    assert str(error.value) == (
        "Findings can only be recorded by the investigator during the investigation."
    )


def test_report_is_stored_and_audited_by_length(flow, staff):
    case = flow.investigating()
    updated = case_update_report(case, actor=staff.investigator, report="调查报告：经核实……")
    assert updated.investigation_report == "调查报告：经核实……"
    event = AuditEvent.objects.get(action="tolerance.report.update")
    assert (event.before, event.after) == ({"length": 0}, {"length": 10})


def test_investigator_must_belong_to_the_authority(flow, staff):
    case = flow.accepted()
    for wrong in (staff.clerk, staff.clerk_b, staff.outsider):
        with pytest.raises(CaseError) as error:
            case_start_investigation(case, actor=staff.clerk, investigator=wrong)
        assert str(error.value) == "The investigator must be an investigator of this authority."
    with pytest.raises(TransitionRefused):  # the investigator cannot assign themself
        case_start_investigation(case, actor=staff.investigator, investigator=staff.investigator)
    started = case_start_investigation(case, actor=staff.clerk,
                                       investigator=staff.other_investigator)
    assert (started.state, started.investigator) == (CaseState.INVESTIGATING,
                                                     staff.other_investigator)


def test_notes_interviews_and_the_cadres_own_statement(flow, staff):
    case = flow.investigating()
    entry = case.entries.get()
    interview = note_add(case, actor=staff.investigator, kind="interview", entry=entry,
                         text="谈话记录", participants="张三、调查组")
    statement = note_add(case, actor=staff.cadre, kind="statement", text="本人情况说明")
    assert (interview.entry, statement.entry) == (entry, entry)  # the cadre's own entry
    for actor, kind in ((staff.cadre, "interview"), (staff.other_investigator, "investigation"),
                        (staff.outsider, "statement"), (staff.other_investigator, "statement")):
        with pytest.raises(CaseError) as error:
            note_add(case, actor=actor, kind=kind, text="……")
        assert str(error.value) == "You cannot add this note now."
    with pytest.raises(CaseError) as error:
        note_add(case, actor=staff.investigator, kind="interview", text="  ")
    assert str(error.value) == "Write the note."
    other = flow.investigating()
    with pytest.raises(CaseError) as error:
        note_add(other, actor=staff.investigator, kind="interview", text="记录", entry=entry)
    assert str(error.value) == "That cadre is not part of this case."
    assert sorted(CaseNote.objects.values_list("kind", "author__username")) == [
        ("interview", "t_inv"), ("statement", "t_cadre"),
    ]
    assert AuditEvent.objects.filter(action__startswith="tolerance.note.").count() == 2


def test_the_investigator_writes_down_a_statement_heard_in_person(flow, staff, world):
    from tests.factories import CadreFactory

    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = flow.investigating(by=staff.hr, started_by=StartedBy.UNIT,
                              cadres=[world.cadre_a1, colleague])
    first, second = case.entries.order_by("pk")
    with pytest.raises(CaseError) as error:  # two cadres: whose statement?
        note_add(case, actor=staff.investigator, kind="statement", text="陈述")
    assert str(error.value) == "Say whose statement this is."
    note = note_add(case, actor=staff.investigator, kind="statement", text="张三陈述说明",
                    entry=first, held_on=timezone.localdate() - dt.timedelta(days=2))
    assert (note.entry, note.author) == (first, staff.investigator)
    with pytest.raises(CaseError) as error:
        note_add(case, actor=staff.investigator, kind="statement", text="赵六陈述",
                 entry=second, held_on=timezone.localdate() + dt.timedelta(days=1))
    assert str(error.value) == "The date cannot be in the future."


def test_no_referral_before_every_cadres_statement_is_on_record(flow, staff, world):
    from tests.factories import CadreFactory

    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = flow.investigating(by=staff.hr, started_by=StartedBy.UNIT,
                              cadres=[world.cadre_a1, colleague])
    first, second = case.entries.order_by("pk")
    for entry in (first, second):
        entry_record_findings(entry, actor=staff.investigator, **TOLERABLE_FINDINGS)
    case = case_update_report(case, actor=staff.investigator, report="调查报告")
    flow.statement(case, first)
    with pytest.raises(TransitionRefused):
        case_transition(case, actor=staff.investigator, action="refer")
    assert Case.objects.get(pk=case.pk).state == CaseState.INVESTIGATING
    flow.statement(case, second)
    moved = case_transition(Case.objects.get(pk=case.pk), actor=staff.investigator,
                            action="refer")
    assert moved.state == CaseState.DELIBERATING
