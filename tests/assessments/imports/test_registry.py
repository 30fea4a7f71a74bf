"""The registry of assessment workbooks: its keys, who may read and write the two custom
workbooks, and their import/export/template wired to the right importers."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser

from assessments.imports.engine import SheetSpec
from assessments.imports.grades import HEADERS as GRADE_HEADERS
from assessments.imports.incidents import HEADERS as INCIDENT_HEADERS
from assessments.imports.registry import GRADES, INCIDENTS, SHEETS, CustomSheet
from assessments.models import AnnualAssessment, Incident
from tests.assessments.test_imports import grade_row, incident_row, workbook


def rows(data: bytes) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).active.values]


def test_sheets_by_key_in_the_import_pages_order():
    assert list(SHEETS) == [
        "grades",
        "incidents",
        "team",
        "target",
        "ranks",
        "poverty",
        "monthly",
        "checkups",
        "competitions",
        "feedback",
    ]
    assert all(spec.key == key for key, spec in SHEETS.items())
    assert (SHEETS["grades"], SHEETS["incidents"]) == (GRADES, INCIDENTS)
    assert {type(spec) for key, spec in SHEETS.items() if key not in ("grades", "incidents")} == {
        SheetSpec
    }
    assert isinstance(GRADES, CustomSheet)
    assert (str(GRADES.label), str(INCIDENTS.label)) == ("年度考核等次", "事件")


@pytest.mark.django_db
def test_grades_readable_by_anyone_signed_in_writable_by_graders(world, personas, township):
    assert GRADES.may_read(AnonymousUser()) is False
    assert GRADES.may_read(personas.outsider) is True
    assert GRADES.may_write(township.hr) is True
    assert GRADES.may_write(personas.clerk_a) is True
    assert GRADES.may_write(personas.auditor) is False
    assert GRADES.may_write(personas.cadre_a1) is False


@pytest.mark.django_db
def test_incidents_follow_the_evidence_permissions(world, personas):
    assert INCIDENTS.may_read(personas.clerk_a) is True
    assert INCIDENTS.may_write(personas.clerk_a) is True
    assert INCIDENTS.may_read(personas.outsider) is False
    assert INCIDENTS.may_write(personas.outsider) is False
    assert INCIDENTS.may_write(personas.auditor) is False


@pytest.mark.django_db
def test_grades_import_export_and_template_go_to_the_grades_workbook(world, township):
    data = workbook(GRADE_HEADERS, [grade_row(c, "称职") for c in township.cadres])

    assert GRADES.import_(data, actor=township.hr) == (10, [])

    assert AnnualAssessment.objects.filter(year=2024, grade="competent").count() == 10
    assert len(rows(GRADES.export(township.hr, year=2024))) == 11
    assert rows(GRADES.export(township.hr, year=2023)) == [GRADE_HEADERS]
    assert rows(GRADES.template())[0] == GRADE_HEADERS


@pytest.mark.django_db
def test_incidents_import_export_and_template_go_to_the_incidents_workbook(world, personas):
    data = workbook(INCIDENT_HEADERS, [incident_row(), incident_row(标题="河堤渗漏")])

    assert INCIDENTS.import_(data, actor=personas.clerk_a) == (2, [])

    assert sorted(Incident.objects.values_list("title", flat=True)) == ["河堤渗漏", "采石场坍塌"]
    exported = rows(INCIDENTS.export(personas.clerk_a, year=2024))
    assert [r[5] for r in exported[1:]] == ["采石场坍塌", "河堤渗漏"]
    assert rows(INCIDENTS.export(personas.clerk_a, year=2023)) == [INCIDENT_HEADERS]
    assert rows(INCIDENTS.template()) == [INCIDENT_HEADERS]
