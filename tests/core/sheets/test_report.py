"""core.sheets.report: the error workbook of a refused import, formula-safe."""

import io

import pytest
from openpyxl import load_workbook

from core.sheets.report import error_workbook, report_workbook
from core.sheets.rows import RowError

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


def test_any_import_s_error_table_is_written_as_text_and_row_numbers():
    content = error_workbook(
        ["文件", "干部", "身份证号", "问题"],
        [["甲.lrmx", "=HYPERLINK(\"x\")", "370102********1234", "格式错误"], [0, "", "", "空"]],
        filename="forms.zip",
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("文件：forms.zip", None, None, None),
        ("文件", "干部", "身份证号", "问题"),
        ("甲.lrmx", "=HYPERLINK(\"x\")", "370102********1234", "格式错误"),
        (None, None, None, "空"),
    ]
    assert sheet.cell(3, 2).data_type == "s"
