"""cadres.lrmx.resume: the résumé (简历), one line per post — parsing and formatting. Pure."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.lrmx.resume import (
    ResumeEntry,
    ResumeProblem,
    current_entry,
    format_line,
    format_resume,
    parse_resume,
)


def test_parse_resume_closed_open_and_notes():
    entries, problems = parse_resume(
        "1998.09--2002.07  山东大学法学专业学习\r\n"
        "2002.07—2015.03\t甲县城关镇科员\n"
        "  （其间：2005.09--2008.06在中央党校函授学院学习）\n"
        "\n"
        "201503--         甲县城关镇党委书记\n"
        "2016.01--至今  兼任甲县园区管委会主任\n"
        "    （挂职）\n"
    )
    assert problems == []
    assert entries == [
        ResumeEntry(dt.date(1998, 9, 1), dt.date(2002, 7, 1), "山东大学法学专业学习"),
        ResumeEntry(
            dt.date(2002, 7, 1),
            dt.date(2015, 3, 1),
            "甲县城关镇科员",
            "（其间：2005.09--2008.06在中央党校函授学院学习）",
        ),
        ResumeEntry(dt.date(2015, 3, 1), None, "甲县城关镇党委书记"),
        ResumeEntry(dt.date(2016, 1, 1), None, "兼任甲县园区管委会主任", "（挂职）"),
    ]
    assert current_entry(entries) == entries[3]


def test_parse_resume_continuation_line_joins_text():
    entries, problems = parse_resume("2002.07--2015.03  甲县城关镇党政办公室\n  副主任")
    assert problems == []
    assert entries[0].text == "甲县城关镇党政办公室副主任"


def test_parse_resume_reports_each_bad_line():
    entries, problems = parse_resume(
        "山东大学学习\n2002.13--2004.01  科员\n2005.07--2004.01  科员\n2006.01--2007.01\n"
    )
    assert entries == []
    assert [(p.line, p.code) for p in problems] == [
        (1, "unreadable"),
        (2, "bad_date"),
        (3, "end_before_start"),
        (4, "no_text"),
    ]


def test_format_line_closed_and_open():
    assert format_line(dt.date(1998, 9, 1), dt.date(2002, 7, 1), "学生") == "1998.09--2002.07  学生"
    assert format_line(dt.date(2015, 3, 9), None, "书记") == "2015.03--         书记"


def test_format_resume_parses_back_to_the_same_entries():
    entries = [
        ResumeEntry(dt.date(1998, 9, 1), dt.date(2002, 7, 1), "山东大学法学专业学习"),
        ResumeEntry(dt.date(2015, 3, 1), None, "甲县城关镇党委书记"),
    ]
    assert parse_resume(format_resume(entries)) == (entries, [])


@pytest.mark.parametrize(
    "line",
    [
        "2002.07--2004.01  科员",
        "2002年7月--2004年1月 科员",
        "200207-200401 科员",
        "2002.07~2004.01 科员",
        "2002.07至2004.01科员",
        "2002/7 — 2004/1　科员",
        "\u30002002.07--2004.01\u3000科员\u3000",
    ],
)
def test_parse_resume_reads_the_period_spellings(line):
    assert parse_resume(line) == (
        [ResumeEntry(dt.date(2002, 7, 1), dt.date(2004, 1, 1), "科员")],
        [],
    )


@pytest.mark.parametrize("line", ["2015.03--今 县长", "2015.03至今 县长", "2015.03-- 县长"])
def test_parse_resume_open_end_spellings(line):
    entries, problems = parse_resume(line)
    assert problems == []
    assert entries == [ResumeEntry(dt.date(2015, 3, 1), None, "县长")]
    assert entries[0].is_open


def test_parse_resume_several_notes_join_with_a_space():
    entries, problems = parse_resume("2002.07--2015.03  科员\n（其间：甲）\n(挂职)")
    assert problems == []
    assert entries[0].note == "（其间：甲） (挂职)"
    assert not entries[0].is_open


def test_parse_resume_impossible_end_or_ancient_start_is_a_bad_date():
    entries, problems = parse_resume("2002.07--2004.13  科员\n1899.01--1902.01  学生")
    assert entries == []
    assert problems == [
        ResumeProblem(1, "bad_date", "2002.07--2004.13  科员"),
        ResumeProblem(2, "bad_date", "1899.01--1902.01  学生"),
    ]


def test_parse_resume_a_bad_line_does_not_take_the_next_lines_as_continuation():
    entries, problems = parse_resume("2002.07--2004.13  科员\n2004.01--2006.01  副主任")
    assert [p.line for p in problems] == [1]
    assert entries == [ResumeEntry(dt.date(2004, 1, 1), dt.date(2006, 1, 1), "副主任")]


@pytest.mark.parametrize("text", ["", None, "\n \n\u3000\n"])
def test_parse_resume_of_nothing_is_empty(text):
    assert parse_resume(text) == ([], [])


def test_current_entry_is_the_latest_post_still_held():
    closed = ResumeEntry(dt.date(2002, 7, 1), dt.date(2015, 3, 1), "科员")
    first = ResumeEntry(dt.date(2015, 3, 1), None, "书记")
    later = ResumeEntry(dt.date(2016, 1, 1), None, "主任")
    assert current_entry([closed, later, first]) == later
    assert current_entry([closed]) is None
    assert current_entry([]) is None


def test_format_resume_of_no_entries_is_empty():
    assert format_resume([]) == ""
