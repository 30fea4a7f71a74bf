"""The thresholds an exceptional promotion waives, in Chinese words."""

import pytest
from django.utils import translation

from cadres.enums import Rank
from promotions.exceptional.thresholds import _rank_label, threshold_text


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_years_in_rank():
    row = {"code": "years_in_rank", "params": {"years": 2, "since": "2023-05-01", "minimum": 3}}

    assert threshold_text(row) == "现职级任职年限：自2023-05-01起满2年；办法要求至少3年。"


def test_rank_step_names_both_ranks():
    row = {"code": "rank_step", "params": {"current": Rank.SECTION_DEPUTY.value,
                                           "target": str(Rank.PRINCIPAL_STAFF_1.value),
                                           "steps": 2}}

    assert threshold_text(row) == (
        "职级：由乡科级副职至一级主任科员，上升2个领导职务层次；正常提拔为一个层次。"
    )


def test_an_unknown_rank_is_shown_as_stored():
    assert _rank_label("x") == "x"
    assert _rank_label(None) == "None"
    assert _rank_label(12345) == "12345"
    assert _rank_label("45") == "乡科级副职"


def test_the_grades_are_listed_year_by_year():
    row = {"code": "situation", "params": {
        "grades": {"2024": "excellent", "2023": "competent"}, "excellent": 1, "needed": 2,
    }}

    assert threshold_text(row) == (
        "年度考核等次2023：称职，2024：优秀：“优秀”1次（须2次），且每年均为“称职”以上。"
    )


def test_warnings_and_matters_are_counted():
    assert threshold_text({"code": "warnings", "params": {"count": 2}}) == "未解除的体检预警：2项。"
    matters = {"code": "matters", "params": {"count": 1}}
    assert threshold_text(matters) == "仍然计入的问责事项：1项。"


def test_an_unknown_threshold_is_shown_as_stored():
    assert threshold_text({"code": "odd"}) == "{'code': 'odd'}"
