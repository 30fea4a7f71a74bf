"""Demo tolerance cases (manage.py seed_demo_cases): a handful of cases in different states,
walked through the workflow with the services, by the people who would act at each step.

The demo logins of demo.cadres_data work for the city organization department, but the demo
cadre (a deputy township head) is county-managed, so her cases go to her county's
organization department; the command adds its staff as demo logins (COUNTY_STAFF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadres.enums import ManagementLevel
from cadres.models import Authority, Cadre
from cadres.permissions import jurisdiction_q
from core.drafts import draft_issue, draft_transition, drafts_of
from core.enums import Role
from core.models import DocumentKind, DraftState, User
from tolerance.appeals import appeal_assign_reviewer, appeal_file
from tolerance.deliberation import entry_decide, meeting_record
from tolerance.enums import (
    CaseState,
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    Severity,
    StartedBy,
)
from tolerance.feedback import case_feed_back
from tolerance.filing import attachment_add, case_create, route_authority
from tolerance.investigation import (
    case_start_investigation,
    case_update_report,
    entry_record_findings,
    note_add,
)
from tolerance.models import Case, CaseCadre, DeliveryMethod
from tolerance.models.case import AttachmentKind, NoteKind
from tolerance.receipt import case_record_receipt
from tolerance.remedies import remedy_add, remedy_set_status
from tolerance.rulings import issue_case_notice, issue_rulings
from tolerance.workflow import case_transition

# (username, role, full name): staff of the demo cadre's county organization department.
COUNTY_STAFF = [
    ("county_clerk", Role.INTAKE_CLERK, "刘芳"),
    ("county_investigator", Role.INVESTIGATOR, "陈志强"),
    ("county_member1", Role.COMMITTEE_MEMBER, "王海燕"),
    ("county_member2", Role.COMMITTEE_MEMBER, "李建军"),
    ("county_leader", Role.APPROVING_LEADER, "张国庆"),
    ("county_reviewer", Role.APPROVING_LEADER, "赵文华"),
]


# The demo's authorities are Jinan's: its measure has the four conditions, the three
# distinctions' exclusions and one general situation (tolerance.catalogs.JINAN_2016).
def _findings(*, situations=("JN-01",), severity=Severity.MINOR, remedy=True, **overrides):
    values = {
        "distinctions": {c: DistinctionSide.TOLERABLE for c in ("D1", "D2", "D3")},
        "conditions": {c: ConditionStatus.HOLDS for c in ("C1", "C2", "C3", "C4")},
        "exclusions": {f"X{i}": ExclusionStatus.ABSENT for i in range(1, 4)},
        "situations": list(situations),
        "severity": severity,
        "remedy_taken": remedy,
        "findings_note": "经调查核实，当事人在推进工作中出于公心，决策程序规范。",
    }
    values.update(overrides)
    return values


EXEMPT = _findings()
MITIGATED = _findings(severity=Severity.SERIOUS)
LIGHTER = _findings(severity=Severity.GRAVE, remedy=False)
NOT_TOLERATED = _findings(
    situations=(),
    distinctions={"D1": DistinctionSide.TOLERABLE, "D2": DistinctionSide.TOLERABLE,
                  "D3": DistinctionSide.NOT_TOLERABLE},
    conditions={"C1": ConditionStatus.HOLDS, "C2": ConditionStatus.HOLDS,
                "C3": ConditionStatus.HOLDS, "C4": ConditionStatus.FAILS},
    exclusions={"X1": ExclusionStatus.PRESENT, **{f"X{i}": ExclusionStatus.ABSENT
                                                   for i in range(2, 4)}},
    findings_note="调查发现当事人在项目推进中为亲属企业谋取利益。",
)
PARTIAL = {
    "distinctions": {"D1": DistinctionSide.TOLERABLE},
    "conditions": {"C1": ConditionStatus.HOLDS, "C3": ConditionStatus.HOLDS},
    "exclusions": {"X1": ExclusionStatus.ABSENT},
    "findings_note": "已调取会议记录，正在核实资金去向。",
}


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned application (ASCII text only)."""
    text = f"Demo material: {title}".encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{title}.pdf", bytes(out), content_type="application/pdf")


@dataclass
class Team:
    """The people of one organization department who act on its cases."""

    clerk: User
    investigator: User
    members: list[User]  # who sit on the committee, the approving leader last
    leader: User
    reviewer: User | None = None


class DemoCases:
    """Builds the demo cases; each method leaves one case in the state it names."""

    def __init__(self, *, cadre_user: User, hr: User, county: Team, city: Team):
        self.cadre_user, self.hr, self.county, self.city = cadre_user, hr, county, city
        self.today = timezone.localdate()

    # -- steps --------------------------------------------------------------------------

    def file(self, actor, started_by, cadres, title, description, occurred_on, **extra):
        case = case_create(
            actor=actor,
            started_by=started_by,
            cadres=cadres,
            title=title,
            description=description,
            occurred_on=occurred_on,
            **extra,
        )
        if started_by in StartedBy.applications():
            attachment_add(case, actor=actor, upload=demo_pdf("application"),
                           kind=AttachmentKind.APPLICATION, note="容错免责申请书")
        return case_transition(case, actor=actor, action="submit")

    def investigate(self, case: Case, team: Team) -> Case:
        case = case_transition(case, actor=team.clerk, action="accept")
        # The acceptance notice: drafted (its task would, after the commit), then signed.
        issue_case_notice(case.pk, DocumentKind.ACCEPTANCE_NOTICE)
        self.sign(case, team)
        return case_start_investigation(case, actor=team.clerk, investigator=team.investigator)

    def sign(self, case: Case, team: Team) -> None:
        """The clerk checks and the leader signs off every draft of the case; issued at once
        (the task would, after the commit; it then does nothing)."""
        for draft in drafts_of(case).filter(state=DraftState.DRAFTED):
            draft = draft_transition(draft, actor=team.clerk, action="check")
            draft = draft_transition(draft, actor=team.leader, action="sign")
            draft_issue(draft.pk)

    def refer(self, case: Case, team: Team, findings: dict[int, dict]) -> Case:
        for entry in CaseCadre.objects.filter(case=case).select_related("cadre"):
            entry_record_findings(entry, actor=team.investigator, **findings[entry.cadre_id])
            note_add(case, actor=team.investigator, kind=NoteKind.INTERVIEW, entry=entry,
                     text=f"与{entry.cadre.name}同志谈话，了解决策过程和资金使用情况。",
                     participants=f"{team.investigator}、{entry.cadre.name}")
            # The cadre's statement (陈述说明), heard and written down before deliberation.
            note_add(case, actor=team.investigator, kind=NoteKind.STATEMENT, entry=entry,
                     text=f"{entry.cadre.name}同志陈述：决策经班子集体研究，本人未谋取私利，"
                          "事后已积极采取补救措施。",
                     participants=f"{team.investigator}、{entry.cadre.name}")
        case = case_update_report(
            case, actor=team.investigator,
            report="经调取会议纪要、资金拨付凭证并与相关人员谈话，查明事实如下：……",
        )
        return case_transition(case, actor=team.investigator, action="refer")

    def meet(self, case: Case, team: Team, outcomes: dict[int, str]):
        entries = list(CaseCadre.objects.filter(case=case))
        votes = [
            (entry, member, outcomes[entry.cadre_id], "同意调查组意见")
            for entry in entries
            for member in team.members
        ]
        return meeting_record(
            case,
            actor=team.leader,
            held_on=self.today,
            present=team.members,
            votes=votes,
            minutes="会议听取了调查核实情况汇报，逐人进行了讨论和表决。",
            location="组织部三楼会议室",
            chair=team.leader,
        )

    def decide(self, case: Case, team: Team, outcomes: dict[int, str],
               method: str = DeliveryMethod.IN_PERSON, receipt: bool = False) -> Case:
        meeting = self.meet(case, team, outcomes)
        for entry in CaseCadre.objects.filter(case=case):
            entry_decide(entry, actor=team.leader, outcome=outcomes[entry.cadre_id],
                         reason="经集体研究，符合所认定的情形，依据调查查明的事实作出结论。",
                         meeting=meeting)
        case = Case.objects.get(pk=case.pk)
        if case.state == CaseState.DECIDED:  # the rulings task did not run in-process
            issue_rulings(case.pk)  # drafts the rulings that need a sign-off
        self.sign(case, team)
        return case_feed_back(
            Case.objects.get(pk=case.pk), actor=team.clerk, method=method,
            delivered_on=self.today, receipt=demo_pdf("送达回证") if receipt else None,
        )

    # -- the cases ----------------------------------------------------------------------

    def build(self) -> list[Case]:
        mine = self.cadre_user.cadre
        pool = list(  # the demo cadre's colleagues the unit HR officer may file for
            Cadre.objects.filter(unit=mine.unit, management_level=ManagementLevel.COUNTY)
            .exclude(pk=mine.pk)
            .order_by("id")[:3]
        )
        authority = route_authority([mine])
        elsewhere = list(
            Cadre.objects.filter(jurisdiction_q([authority]))
            .exclude(unit=mine.unit)
            .order_by("id")[:2]
        ) or [mine]
        city_org = self.city.clerk.authorities.get()
        city_cadres = list(Cadre.objects.filter(jurisdiction_q([city_org])).order_by("id")[:2])
        # A small demo may lack colleagues: the demo cadre stands in for them.
        first, second, third = (pool + [None, None, None])[:3]
        other = elsewhere * 2
        hr, county, city = self.hr, self.county, self.city
        cases = []

        # 1. Submitted: the unit applies for the demo cadre and a colleague.
        cases.append(self.file(
            hr, StartedBy.UNIT, [c for c in (mine, first) if c], "农村人居环境整治项目验收延误",
            "因施工期间连续降雨，项目未能按期验收，被县纪委监委通报。", dt.date(2026, 6, 18),
            action="拟给予通报批评", action_by="县纪委监委",
            application_text="延误系不可抗的客观原因所致，已采取补救措施，申请容错免责。",
        ))
        # The paper application reached the department two weeks before it was entered:
        # the acceptance deadline counts from then, and is overdue at once.
        cases[-1] = case_record_receipt(cases[-1], actor=county.clerk,
                                        received_on=self.today - dt.timedelta(days=14))

        # 2. Deliberating with a meeting: the cadre's own application, votes recorded.
        case = self.file(
            self.cadre_user, StartedBy.CADRE, [mine], "土地流转试点合同条款失误",
            "在推进土地流转改革试点中，因缺乏经验，合同条款设置不当，造成村集体收益减少。",
            dt.date(2026, 3, 9), action="拟给予诫勉", action_by="县委组织部",
            application_text="系改革探索中因缺乏经验出现的失误，经镇党委会集体研究决定，"
                             "本人未谋取任何私利，并已积极协调挽回损失。",
        )
        case = self.refer(self.investigate(case, county), county, {mine.pk: EXEMPT})
        self.meet(case, county, {mine.pk: Outcome.EXEMPT})
        cases.append(case)

        # 3. Fed back with rulings: exempt and mitigated, and remedial measures.
        case = self.file(
            hr, StartedBy.UNIT, [c for c in (mine, second) if c], "招商项目前期垫资未及时收回",
            "为推动招商项目落地，镇政府先行垫付前期费用，因企业经营变化未能及时收回。",
            dt.date(2025, 11, 3), action="拟给予党内警告", action_by="县纪委监委",
            application_text="垫资经镇党委会研究决定，出于公心推动发展，未谋取私利。",
        )
        second = second or mine
        case = self.refer(self.investigate(case, county), county,
                          {second.pk: MITIGATED, mine.pk: EXEMPT})
        case = self.decide(case, county, {second.pk: Outcome.MITIGATED,
                                          mine.pk: Outcome.EXEMPT}, receipt=True)
        remedy_add(case, actor=county.clerk, measure="制定垫资款项追收计划并按月报告进展",
                   owner="孙集镇人民政府", due_on=self.today - dt.timedelta(days=10))
        done = remedy_add(case, actor=county.clerk, measure="修订镇政府招商引资垫资管理办法",
                          owner="孙集镇党政办", due_on=self.today + dt.timedelta(days=20))
        remedy_set_status(done, actor=county.clerk, status="done")
        cases.append(case)

        # 4. Appealed: the unit appeals a "lighter" conclusion; a reviewer is assigned.
        third = third or mine
        case = self.file(
            hr, StartedBy.UNIT, [third], "防汛物资采购程序不规范",
            "汛期紧急采购防汛物资时未履行完整的比价程序，被审计指出。", dt.date(2025, 7, 22),
            action="拟给予诫勉", action_by="县纪委监委",
            application_text="系处置突发汛情的紧急采购，事后已补齐手续。",
        )
        case = self.refer(self.investigate(case, county), county, {third.pk: LIGHTER})
        case = self.decide(case, county, {third.pk: Outcome.LIGHTER},
                           method=DeliveryMethod.POST)
        entry = CaseCadre.objects.get(case=case)
        appeal = appeal_file(entry, actor=hr, reason="认定结论未充分考虑汛情紧急的客观情况，"
                                                      "申请复核。")
        appeal_assign_reviewer(appeal, actor=county.leader, reviewer=county.reviewer)
        cases.append(Case.objects.get(pk=case.pk))

        # 5. Investigating: ex officio at the start of accountability, findings in progress.
        case = self.file(
            county.clerk, StartedBy.EX_OFFICIO_ACCOUNTABILITY, [other[0]],
            "产业园区基础设施项目超概算", "项目实施中因设计变更导致投资超出概算。",
            dt.date(2026, 8, 14), action="问责程序启动中", action_by="县纪委监委",
        )
        case = self.investigate(case, county)
        entry = CaseCadre.objects.get(case=case)
        entry_record_findings(entry, actor=county.investigator, **PARTIAL)
        cases.append(case)

        # 6. Not tolerated and fed back (county), ex officio during a responsibility inquiry.
        case = self.file(
            county.clerk, StartedBy.EX_OFFICIO_INVESTIGATION, [other[1]],
            "惠民资金发放对象审核失误", "向不符合条件的对象发放惠民补贴资金。",
            dt.date(2025, 9, 2), action="拟给予党内严重警告", action_by="县纪委监委",
        )
        case = self.refer(self.investigate(case, county), county,
                          {other[1].pk: NOT_TOLERATED})
        cases.append(self.decide(case, county, {other[1].pk: Outcome.NOT_TOLERATED}))

        # 7-8. The city organization department: one investigating, one in deliberation.
        case = self.file(
            city.clerk, StartedBy.EX_OFFICIO_INSPECTION, [city_cadres[0]],
            "重点项目审批容缺受理出现偏差", "在推行容缺受理改革中，部分材料事后补正不到位。",
            dt.date(2026, 5, 12), action="考察中发现，拟暂缓使用", action_by="市委组织部",
        )
        cases.append(self.investigate(case, city))
        case = self.file(
            city.clerk, StartedBy.EX_OFFICIO_ACCOUNTABILITY, [city_cadres[-1]],
            "国企改革试点中资产处置程序瑕疵",
            "在国企混合所有制改革试点中，资产评估备案晚于处置决定。",
            dt.date(2026, 2, 27), action="拟给予诫勉", action_by="市纪委监委",
        )
        case = self.refer(self.investigate(case, city), city, {city_cadres[-1].pk: MITIGATED})
        self.meet(case, city, {city_cadres[-1].pk: Outcome.MITIGATED})
        cases.append(case)
        return cases


def county_authority(cadre_user: User) -> Authority:
    return route_authority([cadre_user.cadre])
