"""cadres.lrmx.reading: from a parsed form to cadre values, posts and problems. Pure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from cadres.enums import ETHNICITIES
from cadres.lrmx.parse import parse_lrmx
from cadres.lrmx.reading import MAX_POSITION, Post, read_person
from cadres.lrmx.schema import LrmxPerson
from tests.cadres.lrmx.test_parse import ID, SAMPLE

FEMALE_ID = "370102198005170024"  # valid: born 1980-05-17, female


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(unit="甲县城关镇", units=("甲县", "甲县城关镇"), **fields):
    base = {"XingMing": "张三", "ShenFenZheng": ID, "JianLi": "2015.03--  甲县城关镇党委书记"}
    person = LrmxPerson(fields={**base, **fields})
    return read_person(
        person, unit_names=list(units), current_unit_name=unit, ethnicities=ETHNICITIES
    )


def test_read_person_maps_the_form_to_cadre_values():
    reading = read_person(
        parse_lrmx(SAMPLE),
        unit_names=["甲县", "甲县城关镇"],
        current_unit_name="甲县城关镇",
        ethnicities=ETHNICITIES,
    )
    assert reading.problems == []
    assert reading.values == {
        "name": "张三",
        "national_id": ID,
        "gender": "M",
        "birth_date": dt.date(1980, 5, 17),  # the day from the ID number
        "ethnicity": "汉族",
        "native_place": "山东济南",
        "party_join_date": dt.date(2003, 6, 1),
        "work_start_date": dt.date(2002, 7, 1),
        "education": "master",  # the higher of full-time and in-service
        "position": "党委书记",
        "rank_since": dt.date(2015, 3, 1),  # start of the post still held
    }
    assert [(p.start, p.end, p.unit_name, p.title) for p in reading.posts] == [
        (dt.date(1998, 9, 1), dt.date(2002, 7, 1), "", "山东大学法学专业学习"),
        (dt.date(2002, 7, 1), dt.date(2015, 3, 1), "甲县城关镇", "科员"),
        (dt.date(2015, 3, 1), None, "甲县城关镇", "党委书记"),
    ]


def test_read_person_lists_every_problem():
    broken = (
        b"<Person><XingBie>\xe7\x94\xb7\xe6\x80\xa7</XingBie><ChuShengNianYue>198013"
        b"</ChuShengNianYue><RuDangShiJian>2003.15</RuDangShiJian>"
        b"<JianLi>nonsense</JianLi></Person>"
    )
    reading = read_person(
        parse_lrmx(broken), unit_names=[], current_unit_name="甲县", ethnicities=ETHNICITIES
    )
    assert reading.problems == [
        "The form has no name (XingMing).",
        "The form has no national ID number (ShenFenZheng); without it the cadre cannot be "
        "matched or created.",
        "The gender must be 男 or 女, not 男性.",
        "The birth month is not a valid year and month: 198013",
        "The form has no birth month (ChuShengNianYue).",
        "Party membership date is not a valid year and month: 2003.15",
        "Résumé line 1 has no period (YYYY.MM--YYYY.MM): nonsense",
        "The form names no current position (XianRenZhiWu) and the résumé has no post still "
        "held (a line 'YYYY.MM--' without an end).",
    ]


def test_gender_and_birth_come_from_the_id_number_when_the_form_lacks_them():
    reading = read(ShenFenZheng=FEMALE_ID)
    assert reading.problems == []
    assert reading.values["gender"] == "F"
    assert reading.values["birth_date"] == dt.date(1980, 5, 17)


def test_the_gender_on_the_form_wins_over_the_id_number():
    assert read(ShenFenZheng=FEMALE_ID, XingBie="男").values["gender"] == "M"


def test_a_birth_month_that_differs_from_the_id_number_is_kept_as_written():
    # validate_cadre_values reports the mismatch; reading keeps the form's month.
    assert read(ChuShengNianYue="198106").values["birth_date"] == dt.date(1981, 6, 1)
    assert read(ChuShengNianYue="19810615").values["birth_date"] == dt.date(1981, 6, 15)


def test_an_invalid_id_number_is_kept_upper_case_without_a_problem_here():
    reading = read(ShenFenZheng=" 37010219800517001x ", XingBie="女", ChuShengNianYue="198005")
    assert reading.problems == []
    assert reading.values["national_id"] == "37010219800517001X"
    assert reading.values["gender"] == "F"
    assert reading.values["birth_date"] == dt.date(1980, 5, 1)


def test_without_birth_month_or_valid_id_the_birth_is_a_problem():
    reading = read(ShenFenZheng="12345")
    assert reading.problems == ["The form has no birth month (ChuShengNianYue)."]
    assert "birth_date" not in reading.values
    assert reading.values["gender"] == ""


def test_over_long_values_are_problems():
    reading = read(
        XingMing="张" * 65,
        MinZu="族" * 17,
        JiGuan="山" * 65,
        XianRenZhiWu="甲县城关镇" + "长" * (MAX_POSITION + 1),
    )
    assert reading.problems == [
        "The name is longer than 64 characters.",
        "The ethnicity is not a known ethnic group: " + "族" * 17,
        "The native place is longer than 64 characters.",
        "The current position is longer than 128 characters.",
    ]


def test_an_over_long_resume_post_is_a_problem_and_left_out():
    long_title = "长" * (MAX_POSITION + 1)
    reading = read(
        JianLi=f"2002.07--2015.03  甲县{long_title}\n2015.03--  甲县城关镇党委书记",
        XianRenZhiWu="甲县城关镇党委书记",
    )
    assert reading.problems == [f"A résumé post is longer than 128 characters: 甲县{'长' * 38}"]
    assert reading.posts == [Post(dt.date(2015, 3, 1), None, "甲县城关镇", "党委书记")]


def test_each_resume_problem_is_worded_with_its_line():
    reading = read(
        JianLi="2002.13--2004.01  科员\n2005.07--2004.01  科员\n2006.01--2007.01\n"
        "2015.03--  甲县城关镇党委书记"
    )
    assert reading.problems == [
        "Résumé line 1 has an impossible date: 2002.13--2004.01  科员",
        "Résumé line 2 ends before it starts: 2005.07--2004.01  科员",
        "Résumé line 3 names no post: 2006.01--2007.01",
    ]


def test_the_position_comes_from_the_post_still_held_when_the_form_names_none():
    reading = read(JianLi="2010.01--2015.03  甲县副县长\n2015.03--  甲县城关镇党委书记")
    assert reading.values["position"] == "党委书记"
    assert reading.values["rank_since"] == dt.date(2015, 3, 1)
    assert [post.text for post in reading.posts] == ["甲县副县长", "甲县城关镇党委书记"]


def test_the_import_unit_counts_as_a_known_unit_name():
    reading = read(unit="乙区", units=(), JianLi="2015.03--  乙区区长")
    assert reading.values["position"] == "区长"
    assert reading.posts == [Post(dt.date(2015, 3, 1), None, "乙区", "区长")]


def test_a_current_post_equal_to_the_unit_name_is_kept_whole():
    assert read(XianRenZhiWu="甲县城关镇").values["position"] == "甲县城关镇"
    assert read(XianRenZhiWu="甲县城关镇镇长").values["position"] == "镇长"


def test_without_a_post_still_held_rank_since_is_the_latest_start():
    reading = read(JianLi="2002.07--2010.01  科员\n2010.01--2015.03  副主任", XianRenZhiWu="副主任")
    assert reading.problems == []
    assert reading.values["rank_since"] == dt.date(2010, 1, 1)
    assert read(JianLi="", XianRenZhiWu="主任").values["rank_since"] is None


def test_resume_notes_are_cut_to_the_note_length():
    reading = read(JianLi="2015.03--  甲县城关镇党委书记\n（" + "注" * 250 + "）")
    assert reading.posts[0].note == "（" + "注" * 199
