"""The objects of the permission matrix (tests/security/test_permission_matrix.py), made
through the services: county A's, district B's and the city's, one or two of each kind."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Incident, MonitoringRank, TargetAssessment
from assessments.rules import CheckupInput
from assessments.services.evidence import (
    poverty_set,
    ranks_set,
    target_grade_set,
    team_grade_set,
)
from assessments.services.grades import GradeInput, unit_grades_enter
from assessments.services.tracking import (
    checkup_record,
    competition_record,
    feedback_record,
    monthly_report_save,
)
from cadres.enums import PostType, Rank
from cadres.models import ComparisonCategory
from cadres.roster.columns import HEADERS as ROSTER_HEADERS
from clarifications.filings import filing_create
from clarifications.services import petition_create
from core.documents import DocumentKind, document_issue
from core.imports import import_request, import_run
from core.models import DocumentDraft
from core.notifications import notify
from promotions.exceptional.services import exceptional_create, exceptional_transition
from promotions.models import Proposal
from promotions.triggers.scan import scan
from register.jobs import export_request
from tests.factories import CadreFactory
from tolerance.enums import Outcome, StartedBy
from tolerance.filing import attachment_add, case_create
from tolerance.models import CaseCadre
from tolerance.models.case import AttachmentKind
from tolerance.workflow import case_transition

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_objects(world, personas) -> dict[str, object]:
    """Every object of the matrix, by name (test_permission_matrix.OBJECTS_OF_KIND), made
    through the services."""
    exceptional = _exceptional(world, personas)  # before the case and the check-up's warning
    case_a = case_create(
        actor=personas.cadre_a1,
        started_by=StartedBy.CADRE,
        cadres=[world.cadre_a1],
        title="乡村振兴试点项目资金拨付偏差",
        description="在推进改革试点中，因政策界限不明确出现资金拨付偏差。",
        occurred_on=dt.date(2025, 3, 10),
        application_text="系改革探索中的失误。",
    )
    evidence = attachment_add(
        case_a,
        actor=personas.cadre_a1,
        upload=SimpleUploadedFile("证明材料.pdf", PDF),
        kind=AttachmentKind.EVIDENCE,
    )
    case_a = case_transition(case_a, actor=personas.cadre_a1, action="submit")
    # A signed delivery receipt (送达回证) on case_a: readable by whoever reads the case.
    from django.core.files.base import ContentFile

    from tolerance.models import Delivery

    receipt = Delivery(case=case_a, method="post", delivered_on=dt.date(2025, 6, 1),
                       appeal_due_on=dt.date(2025, 6, 30), recorded_by=personas.clerk_a,
                       receipt_filename="送达回证.pdf", receipt_content_type="application/pdf")
    receipt.receipt.save("receipt.pdf", ContentFile(PDF), save=False)
    receipt.save()
    case_city = case_create(
        actor=personas.clerk_city,
        started_by=StartedBy.EX_OFFICIO_INSPECTION,
        cadres=[world.cadre_city],
        title="市级项目审批程序瑕疵",
        description="审批中程序瑕疵。",
        occurred_on=dt.date(2025, 6, 1),
    )
    case_city = case_transition(case_city, actor=personas.clerk_city, action="submit")
    notice, _created = document_issue(
        key=f"matrix:notice:case={case_a.pk}",
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        authority=world.county_a_org,
        series="容受",
        title="容错免责申请受理通知书",
        render=lambda number, day: (f"{number}.pdf", "application/pdf", PDF),
        subject=case_a,
    )
    # A ruling of case_a in preparation (its draft renders from the cadre's conclusion).
    CaseCadre.objects.filter(case=case_a).update(outcome=Outcome.EXEMPT)
    draft = DocumentDraft.objects.create(
        key=f"matrix:draft:case={case_a.pk}",
        kind=DocumentKind.TOLERANCE_RULING,
        authority=world.county_a_org,
        series="容",
        title="容错认定决定书（张三）",
        subject=case_a,
        cadre=world.cadre_a1,
    )
    (note,) = notify([personas.clerk_a], "core.draft.to_check", params={"title": "矩阵"}, url="/")
    unit_grades_enter(
        world.township_a1,
        actor=personas.hr_a1,
        year=2024,
        entries=[GradeInput(world.cadre_a1.pk, "competent")],
    )
    unit_grades_enter(
        world.township_b1,
        actor=personas.admin,
        year=2024,
        entries=[GradeInput(world.cadre_b1.pk, "competent")],
    )
    incidents = {
        name: Incident.objects.create(
            kind="work_safety",
            occurred_on=dt.date(2024, 5, 1),
            unit=unit,
            severity="serious",
            title=f"{unit.name}安全事故",
        )
        for name, unit in (("incident_a1", world.township_a1), ("incident_b1", world.township_b1))
    }
    leader = CadreFactory(
        name="县委书记",
        unit=world.county_a,
        position="县委书记",
        post_type=PostType.LEADERSHIP,
        rank=Rank.COUNTY_CHIEF,
    )
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    petition = petition_create(
        actor=personas.discipline,
        authority=world.city_discipline,
        received_on=dt.date(2025, 2, 1),
        channel="letter",
        allegations="反映张三违规拨付资金。",
        cadre=world.cadre_a1,
        informant_name="举报人甲",
    )
    filing = filing_create(
        actor=personas.clerk_a,
        authority=world.county_a_org,
        unit=world.township_a1,
        measure="试点改革",
        description="先行先试。",
        risk_level="medium",
        risk_assessment="可控。",
        argument="集体论证。",
        argued_on=dt.date(2025, 1, 5),
        filed_on=dt.date(2025, 1, 10),
        approving_body="县委",
    )
    export = export_request(personas.clerk_a, {})
    assert export.state == "done"
    roster = io.BytesIO()
    with xlsxwriter.Workbook(roster) as book:
        book.add_worksheet().write_row(0, 0, ROSTER_HEADERS)  # no rows: an error workbook
    upload = SimpleUploadedFile("roster.xlsx", roster.getvalue())
    imported = import_run(import_request(personas.clerk_a, "cadres.roster", upload).pk)
    assert (imported.state, bool(imported.report)) == ("done", True)
    return {
        **incidents,
        **_evidence(world, personas),
        **_tracking(world, personas),
        **exceptional,
        "unit_a1": world.township_a1,
        "unit_b1": world.township_b1,
        "grade_a1": world.cadre_a1.annual_assessments.get(),
        "grade_b1": world.cadre_b1.annual_assessments.get(),
        "proposal_a": Proposal.objects.get(cadre=leader),
        "petition_city": petition,
        "filing_a": filing,
        "export_clerk_a": export,
        "import_clerk_a": imported,
        "cadre_a1": world.cadre_a1,
        "cadre_b1": world.cadre_b1,
        "cadre_city": world.cadre_city,
        "case_a": case_a,
        "case_city": case_city,
        "notice_a": notice,
        "draft_a": draft,
        "evidence_a": evidence,
        "receipt_a": receipt,
        "note_clerk_a": note,
    }


def _evidence(world, personas) -> dict[str, object]:
    """Unit-level evidence of county A (township A1) and district B (township B1)."""
    admin = personas.admin
    rows = {
        "team_a1": team_grade_set(world.township_a1, actor=admin, year=2024, grade="good"),
        "team_b1": team_grade_set(world.township_b1, actor=admin, year=2024, grade="good"),
        "target_a": target_grade_set(world.county_a, actor=admin, year=2024, grade="excellent"),
        "target_b": target_grade_set(world.county_b, actor=admin, year=2024, grade="excellent"),
        "poverty_a": poverty_set(world.county_a, actor=admin, year=2024, target=100, achieved=90),
        "poverty_b": poverty_set(world.county_b, actor=admin, year=2024, target=80, achieved=None),
    }
    ranks_set(actor=admin, year=2024, group="county", ranks={world.county_a.pk: 1})
    ranks_set(actor=admin, year=2024, group="district", ranks={world.county_b.pk: 1})
    rows["rank_a"] = MonitoringRank.objects.get(unit=world.county_a, year=2024)
    rows["rank_b"] = MonitoringRank.objects.get(unit=world.county_b, year=2024)
    category = ComparisonCategory.objects.create(name="街镇类")
    for unit in (world.township_a1, world.township_b1):
        unit.category = category
        unit.save(update_fields=["category"])
    rows["competition_ab"] = competition_record(
        actor=admin,
        category=category,
        year=2024,
        topic="营商环境",
        unit_a=world.township_a1,
        unit_b=world.township_b1,
        score_a=Decimal("91.50"),
        score_b=Decimal("88.00"),
    )
    return rows


def _tracking(world, personas) -> dict[str, object]:
    """Cadre-level tracking of 张三 and 李四: monthly reports, check-ups with the warning
    each raises, feedback (to 张三, and to township B1 as a unit)."""
    admin = personas.admin
    rows: dict[str, object] = {}
    for suffix, cadre in (("a1", world.cadre_a1), ("b1", world.cadre_b1)):
        rows[f"monthly_{suffix}"] = monthly_report_save(
            cadre, actor=admin, month=dt.date(2024, 5, 1), items_done="完成项目验收。"
        )
        checkup, _findings, (warning,) = checkup_record(
            cadre,
            actor=admin,
            year=2024,
            quarter=1,
            held_on=dt.date(2024, 3, 28),
            inputs=[CheckupInput("principal", "law", "problem", "违规操办宴席")],
        )
        rows[f"checkup_{suffix}"], rows[f"warning_{suffix}"] = checkup, warning
    rows["feedback_a1"] = feedback_record(
        actor=admin,
        year=2024,
        tier="org_to_team",
        given_by="县委组织部",
        given_on=dt.date(2025, 2, 10),
        to_cadre=world.cadre_a1,
    )
    rows["feedback_b1"] = feedback_record(
        actor=admin,
        year=2024,
        tier="org_to_team",
        given_by="市委组织部",
        given_on=dt.date(2025, 2, 11),
        to_unit=world.township_b1,
    )
    return rows


def _exceptional(world, personas) -> dict[str, object]:
    """County A's exceptional-promotion requests for 张三: one submitted, one a draft."""
    requests = [
        exceptional_create(
            world.cadre_a1,
            actor=personas.clerk_a,
            target_title="社区服务中心主任",
            target_rank=Rank.COUNTY_DEPUTY,
            situation="outstanding_results",
            reasons="负责整村拆迁，工作实绩突出。",
        )
        for _ in range(2)
    ]
    submitted = exceptional_transition(requests[0], actor=personas.clerk_a, action="submit")
    assert submitted.state == "submitted"
    return {"exceptional_a1": submitted, "exceptional_draft": requests[1]}
