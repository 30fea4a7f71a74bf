"""core.sheets.rows: row errors, and sheets too big to read refused before reading."""

from types import SimpleNamespace

from core.sheets.rows import RowError, sheet_beyond_bound, sort_errors


def test_a_sheet_beyond_the_bound_is_refused_before_reading():
    # Header area (10 rows) and one blank row in two: 2 × 100 + 10 rows may hold 100 rows.
    assert sheet_beyond_bound(SimpleNamespace(total_height=210), 100) is False
    assert sheet_beyond_bound(SimpleNamespace(total_height=211), 100) is True


def test_row_errors_compare_by_value():
    assert RowError(5, "考核等次", "良好", "x") == RowError(5, "考核等次", "良好", "x")
    assert RowError(5, "", "", "x") != RowError(6, "", "", "x")


def test_errors_sort_by_row_then_by_the_template_s_column_order():
    errors = [
        RowError(7, "出生日期", "", "b"),
        RowError(7, "姓名", "", "a"),
        RowError(3, "未知列", "", "c"),
        RowError(7, "", "", "whole row"),
        RowError(0, "", "", "file"),
    ]
    assert [e.message for e in sort_errors(errors, ["姓名", "出生日期"])] == [
        "file", "c", "whole row", "a", "b",
    ]
    assert [e.message for e in sort_errors(errors)] == ["file", "c", "b", "a", "whole row"]
