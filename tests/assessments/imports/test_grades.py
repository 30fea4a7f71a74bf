"""assessments.imports.grades: its row errors come in sheet order (core.sheets.rows
sort_errors over the grades template's columns), all rows or none written."""

from __future__ import annotations

import pytest

from assessments.imports.grades import HEADERS, grades_import
from assessments.models import AnnualAssessment
from tests.assessments.test_imports import grade_row, workbook

pytestmark = pytest.mark.django_db


def test_errors_are_listed_by_row_then_in_the_template_s_column_order(world, township):
    rows = [grade_row(c, "称职") for c in township.cadres]
    rows[1].update(考核等次="良好", 年度="二〇二四", 姓名="错名")  # row 3, three columns
    rows[0].update(考核等次="良好")  # row 2
    written, errors = grades_import(workbook(HEADERS, rows), actor=township.hr)
    assert written == 0
    found = [(e.row, e.column) for e in errors]
    # Whatever order the checks find them in, they are listed as the sheet reads.
    assert found == [(2, "考核等次"), (3, "姓名"), (3, "年度"), (3, "考核等次")]
    assert not AnnualAssessment.objects.exists()
