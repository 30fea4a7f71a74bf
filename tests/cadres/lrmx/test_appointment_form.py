"""cadres.lrmx.appointment_form: the 干部任免审批表's layout decisions (form_context and the
résumé cell fit). Pure; the PDF itself is checked in test_views."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from django.utils import translation
from PIL import Image

from cadres.lrmx.appointment_form import (
    FAMILY_MAX_ROWS,
    FAMILY_ROWS,
    form_context,
    resume_fit,
    resume_font_size,
    text_width_em,
)
from cadres.lrmx.build import person_from_cadre
from cadres.lrmx.resume import format_line
from cadres.lrmx.schema import LrmxPerson
from tests.cadres.lrmx.test_build import TODAY, unsaved_cadre


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def resume_of(count: int) -> str:
    """``count`` closed one-year posts, oldest first: 1980.01--1981.01 岗位0, ..."""
    return "\n".join(
        format_line(dt.date(1980 + i, 1, 1), dt.date(1981 + i, 1, 1), f"岗位{i}")
        for i in range(count)
    )


def test_resume_font_size_shrinks_for_long_resumes():
    assert resume_font_size(["山东大学法学专业学习"] * 8) == 12.0
    # 26 characters: two lines each at 12 pt, one at 11.5 pt.
    assert resume_font_size(["甲县城关镇党委副书记、镇长" * 2] * 16) == 11.5
    assert resume_font_size(["字" * 30] * 24) == 9.5
    assert resume_font_size(["很长的一行" * 20] * 40) == 8.0  # the smallest; the row grows


def test_form_context_age_family_and_resume():
    cadre, positions = unsaved_cadre()
    person = person_from_cadre(cadre, positions, national_id="3701**********0016", today=TODAY)
    person.family = [{"ChengWei": "丈夫", "XingMing": "钱七", "ChuShengRiQi": "197912"}]
    with translation.override("zh-hans"):
        context = form_context(person, today=TODAY)
    assert context["L"]["title"] == "干部任免审批表"
    assert context["birth_line"] == "1980.05"
    assert context["age_line"] == "（45岁）"
    assert context["party_date"] == "2003.06"
    assert context["national_id"] == "3701**********0016"
    assert context["resume"][2] == {"period": "2015.03--", "text": "甲县城关镇党委书记", "note": ""}
    assert context["family"][0]["age"] == "45"
    assert len(context["family"]) == 7
    assert context["resume_size"] == 12.0


def test_text_width_counts_cjk_as_one_em_and_latin_as_about_half():
    assert text_width_em("甲县城关镇") == 5.0
    assert text_width_em("（其间）") == 4.0
    assert text_width_em("1998.09") == pytest.approx(3.85)
    assert text_width_em("") == 0


def test_resume_fit_prints_every_entry_when_one_size_fits():
    assert resume_fit(["山东大学法学专业学习"] * 8) == (12.0, 8)
    assert resume_fit([]) == (12.0, 0)


def test_resume_fit_keeps_the_newest_entries_that_fit_at_the_smallest_size():
    # At 8 pt the cell holds 29 lines: 28 entries and the line saying how many are left out.
    assert resume_fit(["字" * 10] * 40) == (8.0, 28)
    # An entry that wraps to two lines takes two of them.
    assert resume_fit(["字" * 50] * 40) == (8.0, 14)


def test_form_context_leaves_out_the_oldest_posts_and_says_how_many():
    person = LrmxPerson(fields={"JianLi": resume_of(40)})
    context = form_context(person, today=TODAY, earlier_omitted=5)
    assert context["resume_size"] == 8.0
    assert len(context["resume"]) == 29
    assert context["resume"][0] == {
        "period": "",
        "text": "（此前 17 条经历从略，详见干部档案）",
        "note": "",
    }
    assert context["resume"][1] == {"period": "1992.01--1993.01", "text": "岗位12", "note": ""}
    assert context["resume"][-1]["text"] == "岗位39"


def test_form_context_counts_posts_the_caller_did_not_read():
    context = form_context(LrmxPerson(fields={"JianLi": resume_of(2)}), today=TODAY,
                           earlier_omitted=3)  # fmt: skip
    assert [r["text"] for r in context["resume"]] == [
        "（此前 3 条经历从略，详见干部档案）",
        "岗位0",
        "岗位1",
    ]


def test_form_context_family_is_padded_to_the_printed_rows():
    person = LrmxPerson(
        family=[
            {"ChengWei": "父亲", "XingMing": "张一", "ChuShengRiQi": "195511"},
            {"ChengWei": "母亲", "XingMing": "李二", "ChuShengRiQi": "195513"},
            {"ChengWei": "女儿", "XingMing": "张三"},
        ]
    )
    family = form_context(person, today=TODAY)["family"]
    assert [member.get("age") for member in family] == ["70", "", "", None, None, None, None]
    assert len(family) == FAMILY_ROWS


def test_form_context_family_beyond_the_page_is_one_line():
    members = [{"ChengWei": "亲属", "XingMing": f"成员{i}"} for i in range(FAMILY_MAX_ROWS + 2)]
    family = form_context(LrmxPerson(family=members), today=TODAY)["family"]
    assert len(family) == FAMILY_MAX_ROWS
    assert family[-2]["XingMing"] == f"成员{FAMILY_MAX_ROWS - 2}"
    assert family[-1] == {"GongZuoDanWeiJiZhiWu": "（另有 3 人从略，详见干部档案）"}


@pytest.mark.parametrize(
    "written, birth_line, age_line",
    [
        ("19801121", "1980.11", "（44岁）"),  # the day counts when the form has one
        ("198011", "1980.11", "（45岁）"),
        ("198013", "198013", ""),
        ("", "", ""),
    ],
)
def test_form_context_birth_and_age(written, birth_line, age_line):
    context = form_context(LrmxPerson(fields={"ChuShengNianYue": written}), today=TODAY)
    assert (context["birth_line"], context["age_line"]) == (birth_line, age_line)


def test_form_context_dates_and_photo_type():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="JPEG")
    person = LrmxPerson(
        fields={
            "RuDangShiJian": "200306",
            "CanJiaGongZuoShiJian": "2002.7",
            "ZhaoPian": base64.b64encode(buffer.getvalue()).decode(),
        }
    )
    context = form_context(person, today=TODAY)
    assert (context["party_date"], context["work_date"]) == ("2003.06", "2002.07")
    assert context["photo_mime"] == "image/jpeg"
    assert form_context(LrmxPerson(), today=TODAY)["photo_mime"] == ""
    no_image = LrmxPerson(fields={"ZhaoPian": base64.b64encode(b"plain text").decode()})
    assert form_context(no_image, today=TODAY)["photo_mime"] == ""
