"""assessments.imports.common: evidence workbooks read cells as the roster does."""

import datetime as dt

import pytest
from django.utils import translation

from assessments.imports.common import CellProblem, cadre_reference, date, integer, text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-17", dt.date(2024, 5, 17)),
        ("2024年5月17日", dt.date(2024, 5, 17)),
        ("2024年5月", dt.date(2024, 5, 1)),  # refused before core.sheets, as 202405 was
        ("202405", dt.date(2024, 5, 1)),
        ("2024.05", dt.date(2024, 5, 1)),
        (dt.datetime(2024, 5, 17), dt.date(2024, 5, 17)),
        ("", None),
    ],
)
def test_evidence_dates_take_every_form_the_roster_takes(raw, expected):
    assert date(raw) == expected


def test_a_bad_date_is_a_cell_problem_in_chinese():
    with translation.override("zh-hans"), pytest.raises(CellProblem) as caught:
        date("2024-02-30")
    assert str(caught.value) == "该日期不存在。"


def test_text_and_integer_cells():
    assert text(12.0) == "12"
    assert integer(" 7 ") == 7
    assert integer("") is None
    with pytest.raises(CellProblem):
        integer("七")


def test_cadre_reference_reads_the_number_in_brackets():
    assert cadre_reference("张三（12）") == cadre_reference("张三(12)")
