"""Writing .lrmx files and the appointment form's layout decisions: pure, no database."""

from __future__ import annotations

import datetime as dt

from cadres.enums import ManagementLevel, PostType, Rank
from cadres.lrmx.build import lrmx_filename, person_from_cadre, person_to_xml, post_text
from cadres.lrmx.parse import parse_lrmx
from cadres.lrmx.schema import FAMILY_FIELDS, PERSON_FIELDS, LrmxPerson
from cadres.models import Cadre, PositionRecord, Unit

ID = "370102198005170016"
TODAY = dt.date(2025, 11, 20)


def unsaved_cadre() -> tuple[Cadre, list[PositionRecord]]:
    """Model instances that are never saved: build.py must not query."""
    unit = Unit(pk=7, name="甲县城关镇", code="37012401", path="000100010001", depth=3)
    cadre = Cadre(
        pk=12,
        name="赵䶮",
        gender="F",
        ethnicity="回族",
        birth_date=dt.date(1980, 5, 17),
        national_id=ID,
        native_place="山东济南",
        party_join_date=dt.date(2003, 6, 1),
        work_start_date=dt.date(2002, 7, 1),
        education="master",
        unit=unit,
        position="党委书记",
        post_type=PostType.LEADERSHIP,
        rank=Rank.SECTION_CHIEF,
        rank_since=dt.date(2015, 3, 1),
        management_level=ManagementLevel.COUNTY,
    )
    positions = [
        PositionRecord(
            id=3,
            start_date=dt.date(2015, 3, 9),
            end_date=None,
            unit=unit,
            unit_name="甲县城关镇",
            title="党委书记",
        ),
        PositionRecord(
            id=1,
            start_date=dt.date(1998, 9, 1),
            end_date=dt.date(2002, 7, 1),
            unit_name="山东大学",
            title="法学专业学习",
        ),
        PositionRecord(
            id=2,
            start_date=dt.date(2002, 7, 1),
            end_date=dt.date(2015, 3, 9),
            unit=unit,
            unit_name="",
            title="科员",
        ),
    ]
    return cadre, positions


def test_post_text_joins_unit_and_title_once():
    assert post_text("甲县城关镇", "党委书记") == "甲县城关镇党委书记"
    assert post_text("甲县城关镇", "甲县城关镇党委书记") == "甲县城关镇党委书记"
    assert post_text("", "科员") == "科员"


def test_person_from_cadre_fills_the_form_fields():
    cadre, positions = unsaved_cadre()
    person = person_from_cadre(cadre, positions, national_id=ID, today=TODAY, filled_by="管理员")
    assert list(person.fields) == list(PERSON_FIELDS)
    assert {k: v for k, v in person.fields.items() if v} == {
        "XingMing": "赵䶮",
        "XingBie": "女",
        "ChuShengNianYue": "198005",
        "MinZu": "回族",
        "JiGuan": "山东济南",
        "RuDangShiJian": "200306",
        "CanJiaGongZuoShiJian": "200207",
        "QuanRiZhiJiaoYu_XueLi": "硕士研究生",
        "QuanRiZhiJiaoYu_XueWei": "硕士",
        "XianRenZhiWu": "甲县城关镇党委书记",
        "JianLi": "1998.09--2002.07  山东大学法学专业学习\n"
        "2002.07--2015.03  甲县城关镇科员\n"
        "2015.03--         甲县城关镇党委书记",
        "JiSuanNianLingShiJian": "20251120",
        "TianBiaoShiJian": "202511",
        "TianBiaoRen": "管理员",
        "ShenFenZheng": ID,
        "Version": "3.2.1.16",
    }


def test_person_to_xml_element_order_and_round_trip():
    cadre, positions = unsaved_cadre()
    person = person_from_cadre(cadre, positions, national_id=ID, today=TODAY)
    person.family = [
        dict(zip(FAMILY_FIELDS, ["丈夫", "钱七", "197901", "群众", "济南某公司职员"], strict=True))
    ]
    xml = person_to_xml(person)
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<Person>\n  <XingMing>")
    text = xml.decode()
    positions_in_file = [text.index(f"<{tag}>") for tag in PERSON_FIELDS]
    assert positions_in_file == sorted(positions_in_file)
    assert (
        text.index("<RenMianLiYou>")
        < text.index("<JiaTingChengYuan>")
        < text.index("<ChengBaoDanWei>")
    )
    assert "<NiRenZhiWu></NiRenZhiWu>" in text  # no self-closing tags
    back = parse_lrmx(xml)
    assert back.fields == person.fields
    assert back.family == person.family


def test_person_to_xml_escapes_markup():
    person = LrmxPerson(fields={"XingMing": "<b>&</b>"})
    assert b"<XingMing>&lt;b&gt;&amp;&lt;/b&gt;</XingMing>" in person_to_xml(person)


def test_lrmx_filename_is_safe():
    cadre, _positions = unsaved_cadre()
    assert lrmx_filename(cadre) == "赵䶮_12.lrmx"
    cadre.name = '../a b:"c"'
    assert lrmx_filename(cadre) == "..abc_12.lrmx"
