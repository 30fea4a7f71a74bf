"""cadres.lrmx.schema: the .lrmx value conventions (dates, education, names, units). Pure."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.enums import ETHNICITIES
from cadres.lrmx.schema import (
    FAMILY_POSITION,
    PERSON_FIELDS,
    LrmxPerson,
    YearMonth,
    age_on,
    dotted,
    dotted_ym,
    education_from_text,
    highest_education,
    normalize_ethnicity,
    parse_year_month,
    split_unit,
    squeeze,
    ym,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("199809", YearMonth(1998, 9)),
        ("1998.09", YearMonth(1998, 9)),
        ("1998-9", YearMonth(1998, 9)),
        ("1998年9月", YearMonth(1998, 9)),
        ("19980915", YearMonth(1998, 9, 15)),
        ("19980231", YearMonth(1998, 2)),
        ("", None),
        ("九三学社", None),
    ],
)
def test_parse_year_month_accepts_common_spellings(text, expected):
    assert parse_year_month(text) == expected


def test_parse_year_month_month_13_is_an_error():
    with pytest.raises(ValueError):
        parse_year_month("199813")


def test_split_unit_takes_the_longest_known_prefix():
    names = ["甲县", "甲县城关镇", "乙区"]
    assert split_unit("甲县城关镇党委书记", names) == ("甲县城关镇", "党委书记")
    assert split_unit("甲县县长", names) == ("甲县", "县长")
    assert split_unit("山东大学学习", names) == ("", "山东大学学习")
    assert split_unit("甲县", names) == ("", "甲县")


@pytest.mark.parametrize(
    "xue_li, xue_wei, code",
    [
        ("大学", "法学学士", "bachelor"),
        ("大学本科", "", "bachelor"),
        ("研究生", "法学博士", "doctorate"),
        ("博士研究生", "", "doctorate"),
        ("在职研究生", "管理学硕士", "master"),
        ("大专", "", "college"),
        ("中专", "", "secondary"),
        ("", "", ""),
    ],
)
def test_education_from_text(xue_li, xue_wei, code):
    assert education_from_text(xue_li, xue_wei) == code


def test_highest_education_and_ethnicity():
    assert highest_education("bachelor", "master", "") == "master"
    assert highest_education("", "") == ""
    assert normalize_ethnicity("回", ETHNICITIES) == "回族"
    assert normalize_ethnicity(" 汉族 ", ETHNICITIES) == "汉族"


def test_parse_year_month_spaced_chinese_date_keeps_the_day():
    assert parse_year_month(" 1998 年 9 月 15 日 ") == YearMonth(1998, 9, 15)
    assert parse_year_month("1998.09.15") == YearMonth(1998, 9, 15)


@pytest.mark.parametrize("text", ["199800", "1998.13", "189912", "1899.01"])
def test_parse_year_month_impossible_month_or_year_is_an_error(text):
    with pytest.raises(ValueError):
        parse_year_month(text)


def test_year_month_first_day_drops_the_day():
    assert YearMonth(1998, 9, 15).first_day() == dt.date(1998, 9, 1)


def test_ym_and_dotted_ym_write_the_month_or_nothing():
    assert ym(dt.date(2015, 3, 9)) == "201503"
    assert ym(None) == ""
    assert dotted_ym(dt.date(2015, 3, 9)) == "2015.03"
    assert dotted_ym(None) == ""


@pytest.mark.parametrize(
    "text, shown",
    [
        ("198005", "1980.05"),
        ("19800517", "1980.05"),
        ("1980-5", "1980.05"),
        ("199813", "199813"),  # not a month: shown as written
        ("群众", "群众"),
        ("", ""),
    ],
)
def test_dotted_shows_a_month_and_leaves_other_text(text, shown):
    assert dotted(text) == shown


@pytest.mark.parametrize(
    "birth, on, age",
    [
        (dt.date(1980, 5, 17), dt.date(2025, 5, 16), 44),
        (dt.date(1980, 5, 17), dt.date(2025, 5, 17), 45),
        (dt.date(2000, 2, 29), dt.date(2025, 2, 28), 24),
        (dt.date(2000, 2, 29), dt.date(2025, 3, 1), 25),
    ],
)
def test_age_on_counts_whole_years(birth, on, age):
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    "xue_li, xue_wei, code",
    [
        ("本科", "", "bachelor"),
        ("大学 本科", "", "bachelor"),
        ("专科", "", "college"),
        ("研究生", "", "master"),
        ("研究生", "硕士", "master"),
        ("高中", "", "secondary"),
        ("技校", "", "secondary"),
        ("党校", "", ""),
    ],
)
def test_education_from_text_more_spellings(xue_li, xue_wei, code):
    assert education_from_text(xue_li, xue_wei) == code


def test_highest_education_ranks_every_level():
    assert highest_education("doctorate", "secondary") == "doctorate"
    assert highest_education("college", "secondary", "bachelor") == "bachelor"
    assert highest_education("college") == "college"


def test_squeeze_removes_every_kind_of_space():
    assert squeeze("张　三 \u00a0四\n") == "张三四"
    assert squeeze("") == ""
    assert squeeze(None) == ""


def test_normalize_ethnicity_adds_the_suffix_only_for_a_known_name():
    assert normalize_ethnicity("蒙古", ETHNICITIES) == "蒙古族"
    assert normalize_ethnicity("火星", ETHNICITIES) == "火星"
    assert normalize_ethnicity("　", ETHNICITIES) == ""


def test_split_unit_ignores_empty_names():
    assert split_unit("甲县县长", ["", "甲县"]) == ("甲县", "县长")
    assert split_unit("县长", [""]) == ("", "县长")


def test_person_reads_absent_tags_as_empty_text():
    person = LrmxPerson(fields={"XingMing": "张三"})
    assert person["XingMing"] == "张三"
    assert person["JianLi"] == ""
    assert person.family == []


def test_family_block_sits_between_the_reason_and_the_reporting_unit():
    assert PERSON_FIELDS[FAMILY_POSITION - 1] == "RenMianLiYou"
    assert PERSON_FIELDS[FAMILY_POSITION] == "ChengBaoDanWei"
