"""cadres.lrmx.sources: the texts other apps register for the .lrmx export (奖惩情况,
年度考核结果), joined per cadre in the sources' order. Pure registry; each test runs on an
empty registry of its own."""

from __future__ import annotations

import pytest

from assessments.lrmx import annual_results
from cadres.lrmx import sources
from promotions.incentives.lrmx import commendation_lines
from tolerance.lrmx import sanction_lines


@pytest.fixture
def registry(monkeypatch):
    empty: dict = {}
    monkeypatch.setattr(sources, "_SOURCES", empty)
    return empty


def fixed(texts: dict[int, str]):
    calls = []

    def source(cadre_ids: list[int]) -> dict[int, str]:
        calls.append(list(cadre_ids))
        return {pk: text for pk, text in texts.items() if pk in cadre_ids}

    source.calls = calls
    return source


def test_the_apps_register_their_sources_in_order():
    assert sources._SOURCES == {
        "NianDuKaoHeJieGuo": [(0, annual_results)],
        "JiangChengQingKuang": [(0, commendation_lines), (1, sanction_lines)],
    }


def test_a_tag_not_filled_from_records_is_refused(registry):
    with pytest.raises(ValueError, match="^XingMing is not filled from records$"):
        sources.register("XingMing", fixed({}))
    assert registry == {}


def test_texts_follow_the_order_not_the_registration(registry):
    sanctions = fixed({1: "2023.06 因甲，给予诫勉", 2: "2024.01 因乙，通报批评"})
    commendations = fixed({1: "2022.12 嘉奖"})
    sources.register("JiangChengQingKuang", sanctions, order=1)
    sources.register("JiangChengQingKuang", commendations)
    assert sources.filled([1, 2]) == {
        1: {"JiangChengQingKuang": "2022.12 嘉奖\n2023.06 因甲，给予诫勉"},
        2: {"JiangChengQingKuang": "2024.01 因乙，通报批评"},
    }
    assert sanctions.calls == [[1, 2]]
    assert commendations.calls == [[1, 2]]


def test_a_source_registered_twice_counts_once(registry):
    grades = fixed({1: "2023年度 优秀"})
    sources.register("NianDuKaoHeJieGuo", grades)
    sources.register("NianDuKaoHeJieGuo", grades, order=5)
    assert registry == {"NianDuKaoHeJieGuo": [(0, grades)]}
    assert sources.filled([1]) == {1: {"NianDuKaoHeJieGuo": "2023年度 优秀"}}


def test_cadres_without_text_are_left_out(registry):
    sources.register("NianDuKaoHeJieGuo", fixed({1: "2023年度 称职", 2: ""}))
    sources.register("JiangChengQingKuang", fixed({3: "", 1: "2022.12 嘉奖"}))
    assert sources.filled([1, 2, 3, 4]) == {
        1: {"NianDuKaoHeJieGuo": "2023年度 称职", "JiangChengQingKuang": "2022.12 嘉奖"},
    }


def test_an_empty_first_text_adds_no_blank_line(registry):
    sources.register("JiangChengQingKuang", fixed({1: ""}))
    sources.register("JiangChengQingKuang", fixed({1: "2024.01 通报批评"}), order=1)
    assert sources.filled([1]) == {1: {"JiangChengQingKuang": "2024.01 通报批评"}}


def test_no_sources_no_texts(registry):
    assert sources.filled([1, 2]) == {}
