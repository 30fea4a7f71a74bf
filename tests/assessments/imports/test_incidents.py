"""assessments.imports.incidents: its row errors come in sheet order (core.sheets.rows
sort_errors over the incidents template's columns); nothing written with any error."""

from __future__ import annotations

import pytest

from assessments.imports.incidents import HEADERS, incidents_import
from assessments.models import Incident
from tests.assessments.test_imports import incident_row, workbook

pytestmark = pytest.mark.django_db


def test_errors_are_listed_by_row_then_in_the_template_s_column_order(world, personas):
    rows = [
        incident_row(),
        incident_row(通报批评="中组部", 是否及时处置="是", 类别="生产安全事故"),  # row 3
        incident_row(单位代码="370102", 等级="极小"),  # row 4
    ]
    written, errors = incidents_import(workbook(HEADERS, rows), actor=personas.clerk_a)
    assert written == 0
    found = [(e.row, e.column) for e in errors]
    assert found == [(3, "是否及时处置"), (3, "通报批评"), (4, "单位代码"), (4, "等级")]
    assert not Incident.objects.exists()
