"""core.sheets.report: the error workbook of a refused import, kept for its user alone."""

import io

import pytest
from openpyxl import load_workbook

from core.sheets.report import open_report, report_workbook, save_report
from core.sheets.rows import RowError
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_error_workbook_lists_each_problem_in_sheet_words(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = report_workbook(
        [RowError(5, "考核等次", "良好", "无法识别的值"), RowError(7, "", "", "=1+1")],
        filename="grades.xlsx",
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-2][:1] == (5,)
    assert "考核等次" in rows[-2] and "良好" in rows[-2]
    assert "=1+1" in rows[-1]  # kept as text, never a formula
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} <= {"s", "n"}


def test_a_report_is_found_only_by_its_owner(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner, other = make_user("owner"), make_user("other")
    token = save_report(owner, b"PK-report")
    assert open_report(owner, token).read() == b"PK-report"
    assert open_report(other, token) is None
    assert open_report(owner, "not-a-token") is None
