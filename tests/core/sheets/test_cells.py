"""core.sheets.cells: every date form the roster accepts is read the same everywhere."""

import datetime as dt

import pytest
from django.utils import translation

from core.sheets.cells import CellError, cell_text, date_message, parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(1980, 5, 17), dt.date(1980, 5, 17)),
        (dt.datetime(1980, 5, 17, 0, 0), dt.date(1980, 5, 17)),
        ("1980-05-17", dt.date(1980, 5, 17)),
        ("1980.05.17", dt.date(1980, 5, 17)),
        ("1980/5/17", dt.date(1980, 5, 17)),
        (" 1980-5-7 ", dt.date(1980, 5, 7)),
        ("198005", dt.date(1980, 5, 1)),
        (198005.0, dt.date(1980, 5, 1)),
        (19800517, dt.date(1980, 5, 17)),
        ("19800517", dt.date(1980, 5, 17)),
        ("1980.05", dt.date(1980, 5, 1)),
        ("1980年5月", dt.date(1980, 5, 1)),
        ("1980年5月17日", dt.date(1980, 5, 17)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_accepts_excel_and_text_forms(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1980-02-30", "date_impossible"),
        ("198013", "date_impossible"),
        ("1850-01-01", "date_impossible"),
        ("1980-05/17", "date_format"),
        ("May 1980", "date_format"),
        ("80-5-17", "date_format"),
        (29000.0, "date_format"),
        (1980.5, "date_format"),
        (True, "date_format"),
    ],
)
def test_parse_date_refuses_bad_values(raw, code):
    with pytest.raises(CellError) as caught:
        parse_date(raw)
    assert caught.value.code == code


def test_date_messages_are_chinese():
    with translation.override("zh-hans"):
        assert date_message(CellError("date_impossible")) == "该日期不存在。"
        assert date_message(CellError("date_format")).startswith("不是有效日期")


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(12.0) == "12"
    assert cell_text(dt.datetime(2024, 5, 17)) == "2024-05-17"
    assert cell_text(dt.datetime(2024, 5, 17, 8, 30)) == "2024-05-17 08:30:00"
    assert cell_text(dt.date(2024, 5, 17)) == "2024-05-17"
    assert cell_text("  张三 ") == "张三"
