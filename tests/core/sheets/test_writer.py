"""The formula-safe writer: text stays text in xlsx, CSV text is neutralised."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from core.sheets.writer import csv_cell, csv_writer, looks_like_formula, open_workbook

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", True),
        ("+1", True),
        ("-1", True),
        ("@SUM(A1)", True),
        ("\tx", True),
        ("\rx", True),
        ("张三", False),
        ("", False),
        ("a=b", False),
    ],
)
def test_looks_like_formula(text, expected):
    assert looks_like_formula(text) is expected


def test_csv_cell_neutralises_text_only():
    assert csv_cell(HOSTILE) == "'" + HOSTILE
    assert csv_cell("-5") == "'-5"
    assert csv_cell(-5) == -5
    assert csv_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert csv_cell("张三") == "张三"


def test_csv_writer_rows():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([HOSTILE, "@x", 3])
    writer.writerows([["+1", "ok"]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["'" + HOSTILE, "'@x", "3"],
        ["'+1", "ok"],
    ]


def test_open_workbook_writes_text_even_when_the_caller_asks_for_formulas():
    buffer = io.BytesIO()
    book = open_workbook(buffer, {"strings_to_formulas": True, "constant_memory": True})
    sheet = book.add_worksheet("x")
    sheet.write_row(0, 0, [HOSTILE, "http://example.org", "0123", 7])
    sheet.write(1, 0, dt.datetime(2024, 1, 2))
    book.close()
    cells = list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type) for c in cells[0]] == [
        (HOSTILE, "s"),
        ("http://example.org", "s"),
        ("0123", "s"),
        (7, "n"),
    ]
    assert cells[0][1].hyperlink is None
