import datetime as dt
import io

import openpyxl
import pytest

from assessments.imports.grades import HEADERS as GRADE_HEADERS
from assessments.imports.grades import grades_export, grades_import
from assessments.imports.incidents import HEADERS as INCIDENT_HEADERS
from assessments.imports.incidents import incidents_export, incidents_import
from assessments.models import AnnualAssessment, Incident, IncidentLeader
from core.models import AuditEvent


def workbook(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def grade_row(cadre, grade, year=2024, code="37012401", **extra):
    return {
        "干部编号": cadre.pk,
        "姓名": cadre.name,
        "单位代码": code,
        "年度": year,
        "考核等次": grade,
        **extra,
    }


@pytest.mark.django_db
def test_grades_import_writes_all(world, township):
    rows = [grade_row(c, "优秀" if i < 2 else "称职") for i, c in enumerate(township.cadres)]
    written, errors = grades_import(workbook(GRADE_HEADERS, rows), actor=township.hr)
    assert (written, errors) == (10, [])
    assert AnnualAssessment.objects.filter(year=2024, grade="excellent").count() == 2


@pytest.mark.django_db
def test_grades_import_all_or_nothing_with_row_errors_in_chinese(world, township):
    rows = [grade_row(c, "称职") for c in township.cadres]
    rows[3]["考核等次"] = "良好"
    rows[5]["姓名"] = "错名"
    rows.append(grade_row(world.cadre_b1, "称职", code="37010201"))
    written, errors = grades_import(workbook(GRADE_HEADERS, rows), actor=township.hr)
    assert written == 0
    assert not AnnualAssessment.objects.exists()
    assert [(e.row, e.column) for e in errors] == [
        (5, "考核等次"),
        (7, "姓名"),
        (12, "干部编号"),
        (12, "单位代码"),
    ]
    assert errors[0].message.startswith("无法识别的值；可选值：")
    assert errors[1].message == f"姓名与该干部（{township.cadres[5].name}）不符。"


@pytest.mark.django_db
def test_grades_import_quota_refusal_rolls_back_every_group(world, township):
    first = [grade_row(c, "称职", year=2023) for c in township.cadres]
    over = [grade_row(c, "优秀" if i < 3 else "称职") for i, c in enumerate(township.cadres)]
    written, errors = grades_import(workbook(GRADE_HEADERS, first + over), actor=township.hr)
    assert written == 0
    assert len(errors) == 1
    assert errors[0].row == 12  # the first row of the refused unit-year
    assert "优秀等次名额为 2 名" in errors[0].message
    assert not AnnualAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.grade.set").exists()


@pytest.mark.django_db
def test_grades_export_reimports(world, township, personas):
    rows = [grade_row(c, "称职") for c in township.cadres]
    grades_import(workbook(GRADE_HEADERS, rows), actor=township.hr)
    data = grades_export(township.hr, year=2024, unit=None)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.values)
    assert list(values[0]) == GRADE_HEADERS
    assert len(values) == 11
    assert values[1][2].count("*") > 0  # masked ID numbers
    written, errors = grades_import(data, actor=township.hr)
    assert (written, errors) == (0, [])  # unchanged
    # the cadre sees only their own row
    own = openpyxl.load_workbook(
        io.BytesIO(grades_export(personas.cadre_a1, year=None, unit=None))
    ).active
    assert [r[1] for r in list(own.values)[1:]] == ["张三"]


def incident_row(**extra):
    return {
        "类别": "生产安全事故",
        "发生日期": dt.date(2024, 6, 3),
        "单位代码": "370124",
        "等级": "重大",
        "标题": "采石场坍塌",
        **extra,
    }


@pytest.mark.django_db
def test_incidents_import_with_leaders(world, personas):
    rows = [
        incident_row(
            主要负责人=f"张三（{world.cadre_a1.pk}）", 分管领导=world.cadre_b1.national_id
        ),
        incident_row(
            类别="环境污染和生态破坏事件", 是否及时处置="否", 是否造成次生灾害="是", 标题="河道污染"
        ),
    ]
    written, errors = incidents_import(workbook(INCIDENT_HEADERS, rows), actor=personas.admin)
    assert (written, errors) == (2, [])
    first = Incident.objects.get(title="采石场坍塌")
    assert (first.kind, first.severity, first.unit) == ("work_safety", "serious", world.county_a)
    assert sorted(IncidentLeader.objects.values_list("cadre_id", "role")) == sorted(
        [(world.cadre_a1.pk, "principal"), (world.cadre_b1.pk, "in_charge")]
    )
    env = Incident.objects.get(title="河道污染")
    assert (env.handled_in_time, env.secondary_disaster) == (False, True)
    exported = openpyxl.load_workbook(io.BytesIO(incidents_export(personas.admin, year=2024)))
    assert [r[5] for r in list(exported.active.values)[1:]] == ["采石场坍塌", "河道污染"]


@pytest.mark.django_db
def test_incidents_import_kind_rules_and_scope(world, personas):
    rows = [
        incident_row(是否及时处置="是"),  # not an environmental event
        incident_row(类别="环境污染和生态破坏事件"),  # flags missing
        incident_row(通报批评="中组部"),  # only Party building
        incident_row(单位代码="370102"),  # district B: outside county A's department
    ]
    written, errors = incidents_import(workbook(INCIDENT_HEADERS, rows), actor=personas.clerk_a)
    assert written == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "是否及时处置", "只有生态环境事件填写此项。"),
        (3, "是否及时处置", "生态环境事件必须填写此项。"),
        (3, "是否造成次生灾害", "生态环境事件必须填写此项。"),
        (4, "通报批评", "只有党建问题填写通报批评。"),
        (5, "单位代码", "您可登记的单位中没有这个单位代码。"),
    ]
    assert not Incident.objects.exists()
