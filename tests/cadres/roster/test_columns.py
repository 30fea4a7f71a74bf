"""Cell rules of the roster workbook: pure functions, no database."""

import datetime as dt

import pytest

from cadres.enums import CadreStatus, Education, ManagementLevel, PostType, Rank
from cadres.roster.columns import (
    COLUMNS,
    EDUCATION_LABELS,
    HEADERS,
    MANAGEMENT_LEVEL_LABELS,
    POST_TYPE_LABELS,
    RANK_LABELS,
    STATUS_LABELS,
    CellError,
    export_row,
    normalize_header,
    parse_cell,
)

COLUMN = {c.field: c for c in COLUMNS}


def test_label_maps_cover_every_enum_member():
    assert set(RANK_LABELS) == set(Rank)
    assert set(EDUCATION_LABELS) == set(Education)
    assert set(STATUS_LABELS) == set(CadreStatus)
    assert set(MANAGEMENT_LEVEL_LABELS) == set(ManagementLevel)
    assert set(POST_TYPE_LABELS) == set(PostType)
    assert len(set(RANK_LABELS.values())) == len(Rank)


def test_headers_are_the_template_order():
    assert HEADERS == (
        "姓名",
        "性别",
        "民族",
        "出生日期",
        "身份证号",
        "籍贯",
        "入党时间",
        "参加工作时间",
        "学历",
        "单位代码",
        "职务",
        "职务类型",
        "职级",
        "任现职级时间",
        "管理权限",
        "状态",
    )


def test_normalize_header_drops_hints_marks_and_spaces():
    assert normalize_header("性别(男/女)") == "性别"
    assert normalize_header(" 出生日期（年月日）* ") == "出生日期"
    assert normalize_header("姓 名") == "姓名"
    assert normalize_header(None) == ""


def test_parse_cell_choices_and_aliases():
    assert parse_cell(COLUMN["rank"], "一级调研员") == Rank.RESEARCHER_1
    assert parse_cell(COLUMN["rank"], "县处级正职") == Rank.COUNTY_CHIEF
    assert parse_cell(COLUMN["education"], "本科") == Education.BACHELOR
    assert parse_cell(COLUMN["education"], "") is None
    assert parse_cell(COLUMN["gender"], "女") == "F"
    with pytest.raises(CellError) as caught:
        parse_cell(COLUMN["gender"], "M")
    assert (caught.value.code, caught.value.extra) == ("choice", {"allowed": "男、女"})


def test_parse_cell_required_text_and_lengths():
    with pytest.raises(CellError) as caught:
        parse_cell(COLUMN["position"], "   ")
    assert caught.value.code == "required"
    with pytest.raises(CellError) as caught:
        parse_cell(COLUMN["name"], "张" * 65)
    assert caught.value.extra == {"max": 64}
    assert parse_cell(COLUMN["name"], "张\u3000三") == "张三"
    assert parse_cell(COLUMN["unit_code"], 370124.0) == "370124"
    assert parse_cell(COLUMN["native_place"], "") is None


def test_parse_cell_ethnicity_accepts_short_form():
    assert parse_cell(COLUMN["ethnicity"], "回") == "回族"
    assert parse_cell(COLUMN["ethnicity"], "维吾尔族") == "维吾尔族"
    with pytest.raises(CellError) as caught:
        parse_cell(COLUMN["ethnicity"], "火星族")
    assert caught.value.code == "ethnicity"


def test_parse_cell_national_id_normalises_and_refuses_numbers_and_masks():
    assert parse_cell(COLUMN["national_id"], " 11010519491231002x ") == "11010519491231002X"
    for raw, code in (
        (3.701021980051713e17, "id_number_cell"),
        ("3701**********1234", "id_masked"),
        ("", "required"),
    ):
        with pytest.raises(CellError) as caught:
            parse_cell(COLUMN["national_id"], raw)
        assert caught.value.code == code


def test_export_row_writes_labels_in_column_order():
    values = {
        "name": "张三",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": dt.date(1980, 5, 17),
        "national_id": "X",
        "native_place": "",
        "party_join_date": None,
        "work_start_date": None,
        "education": "",
        "unit_code": "370124",
        "position": "科员",
        "post_type": "non_leadership",
        "rank": 30,
        "rank_since": dt.date(2018, 7, 1),
        "management_level": "county",
        "status": "serving",
    }
    assert export_row(values) == [
        "张三",
        "男",
        "汉族",
        dt.date(1980, 5, 17),
        "X",
        "",
        "",
        "",
        "",
        "370124",
        "科员",
        "非领导职务",
        "四级主任科员",
        dt.date(2018, 7, 1),
        "县管",
        "在职",
    ]
