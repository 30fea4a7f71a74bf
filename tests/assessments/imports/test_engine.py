"""The declarative sheet engine, on a spec of its own: cell parsers, bulk references,
row errors in sheet order, all-or-nothing writes, service refusals, export and template.

The real workbooks (unit sheets, tracking sheets) are tested in their own modules."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from assessments.imports.common import CellProblem, integer
from assessments.imports.engine import (
    CADRE,
    CATEGORY,
    UNIT,
    Column,
    SheetSpec,
    cadre_cell,
    cadre_token,
    decimal,
    month,
    service_errors,
    sheet_import,
    write_each,
    year,
)
from cadres.models import Cadre, ComparisonCategory, Unit
from core.formatting import mask_id_number
from core.sheets.rows import RowError
from tests.assessments.test_imports import workbook

HEADERS = ["单位代码", "单位名称", "干部", "类别", "月份", "得分", "序号"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def note_writer(spec_ref: list):
    """Writes 得分 into the cadre's position; 序号 99 is refused by the 'service'."""

    def save(values):
        cadre = values["cadre"]
        if values["number"] == 99:
            raise ValidationError({"position": "Refused by the service."})
        cadre.position = f"{values['score']}@{values['unit'].code}"
        cadre.save(update_fields=["position"])

    def write(actor, items):
        return write_each(spec_ref[0], items, save)

    return write


def make_spec(**extra) -> SheetSpec:
    ref: list = []
    values = dict(
        key="demo",
        label="Demo",
        sheet="演示",
        columns=(
            Column("单位代码", "unit", required=True, ref=UNIT),
            Column("单位名称", "unit_name", imported=False),
            Column("干部", "cadre", required=True, ref=CADRE),
            Column("类别", "category", ref=CATEGORY),
            Column("月份", "month", parse=month),
            Column("得分", "score", parse=decimal, required=True),
            Column("序号", "number", parse=integer),
        ),
        may_read=lambda user: True,
        may_write=lambda user: True,
        write=note_writer(ref),
        export_rows=lambda user, year: [],
        unit_scope=lambda user: Unit.objects.filter(code__startswith="370124"),
        cadre_scope=lambda user: Cadre.objects.filter(unit__code__startswith="370124"),
        notes=("第一条说明", "第二条说明"),
        unique=("cadre", "month"),
        field_headers={"position": "得分"},
    )
    values.update(extra)
    spec = SheetSpec(**values)
    ref.append(spec)
    return spec


def row(**cells) -> dict:
    return {"单位代码": "37012401", "得分": "88.5", **cells}


# ---------------------------------------------------------------- cell parsers


def test_decimal_rounds_to_cents_and_refuses_what_is_not_a_bounded_number():
    assert decimal("88.456") == Decimal("88.46")
    assert decimal(12.0) == Decimal("12.00")
    assert decimal("") is None
    assert decimal(None) is None
    for bad in ("abc", "NaN", "Infinity", "100000", "-100000"):
        with pytest.raises(CellProblem, match="Not a number."):
            decimal(bad)
    assert decimal("99999.99") == Decimal("99999.99")


def test_month_reads_dates_and_month_texts_as_the_first_day():
    assert month(dt.date(2024, 5, 17)) == dt.date(2024, 5, 1)
    assert month(dt.datetime(2024, 5, 17, 9, 30)) == dt.date(2024, 5, 1)
    assert month("2024-05") == dt.date(2024, 5, 1)
    assert month("2024年5月") == dt.date(2024, 5, 1)
    assert month("2024.12.31") == dt.date(2024, 12, 1)
    assert month("") is None
    for bad in ("2024-13", "2024-00", "May 2024", "24-05"):
        with pytest.raises(CellProblem, match="Not a month: write it as 2024-05."):
            month(bad)


def test_year_between_1990_and_2100():
    assert year("2024") == 2024
    assert year(2024.0) == 2024
    assert year(1990) == 1990
    assert year(2100) == 2100
    assert year(" ") is None
    for bad in ("1989", "2101", "二〇二四", "2024.5"):
        with pytest.raises(CellProblem, match="Not a year between 1990 and 2100."):
            year(bad)


def test_cadre_token_kinds_and_the_name_written():
    assert cadre_token("张三（123）") == ("pk", "123", "张三")
    assert cadre_token(" 张三 (123) ") == ("pk", "123", "张三")
    assert cadre_token("123") == ("pk", "123", "")
    assert cadre_token(123.0) == ("pk", "123", "")
    assert cadre_token("37010219800517001x") == ("id", "37010219800517001X", "")
    assert cadre_token("") is None
    with pytest.raises(CellProblem, match="system number"):
        cadre_token("张三")


@pytest.mark.django_db
def test_cadre_cell_writes_name_and_number(world):
    assert cadre_cell(world.cadre_a1) == f"张三（{world.cadre_a1.pk}）"
    assert cadre_cell(None) == ""


def test_spec_headers_and_header_for():
    spec = make_spec()
    assert spec.headers == HEADERS
    assert spec.header_for("position") == "得分"  # a service field named by field_headers
    assert spec.header_for("month") == "月份"
    assert spec.header_for("nothing") == ""


# ---------------------------------------------------------------- import


@pytest.mark.django_db
def test_sheet_import_resolves_references_and_writes_every_row(world, personas):
    ComparisonCategory.objects.create(name="乡镇类")
    a1 = world.cadre_a1
    other = Cadre.objects.create(
        **{
            f: getattr(a1, f)
            for f in (
                "gender",
                "birth_date",
                "position",
                "post_type",
                "rank",
                "rank_since",
                "management_level",
            )
        },
        name="赵一",
        national_id="370124198005170038",
        unit=world.township_a1,
    )
    data = workbook(
        HEADERS,
        [
            row(干部=f"张三（{a1.pk}）", 类别="乡镇类", 月份="2024-05", 得分="90"),
            row(干部="370124198005170038", 单位代码="370124", 得分=75.25),
        ],
    )

    assert make_spec().import_(data, actor=personas.admin) == (2, [])

    a1.refresh_from_db()
    other.refresh_from_db()
    assert (a1.position, other.position) == ("90.00@37012401", "75.25@370124")


@pytest.mark.django_db
def test_sheet_import_lists_every_problem_in_sheet_order_and_writes_nothing(world, personas):
    a1, b1 = world.cadre_a1, world.cadre_b1
    data = workbook(
        HEADERS,
        [
            row(干部=f"李四（{a1.pk}）", 月份="2024-13", 得分="abc"),  # row 2
            row(单位代码="370102", 干部=str(b1.pk), 类别="无此类"),  # row 3: out of scope
            row(单位代码="", 干部=b1.national_id),  # row 4
            row(干部=str(a1.pk), 月份="2024-05"),  # row 5
            # row 6 names row 5's cadre another way, for the same month: a repeat
            row(干部=f"张三（{a1.pk}）", 月份="2024年5月"),
        ],
    )

    written, errors = sheet_import(make_spec(), data, actor=personas.admin)

    assert written == 0
    assert errors == [
        RowError(2, "干部", str(a1.pk), "The name does not match the cadre (张三)."),
        RowError(2, "月份", "2024-13", "Not a month: write it as 2024-05."),
        RowError(2, "得分", "abc", "Not a number."),
        RowError(3, "单位代码", "370102", "No unit you may record this for has this code."),
        RowError(3, "干部", str(b1.pk), "No cadre you may record this for has this number."),
        RowError(3, "类别", "无此类", "No comparison category has this name."),
        RowError(4, "单位代码", "", "This column is required."),
        RowError(
            4,
            "干部",
            mask_id_number(b1.national_id),
            "No cadre you may record this for has this number.",
        ),
        RowError(6, "", "", "This row repeats row 5."),
    ]
    assert Cadre.objects.get(pk=a1.pk).position == "科员"


@pytest.mark.django_db
def test_sheet_import_rolls_back_every_row_when_the_service_refuses_one(world, personas):
    a1 = world.cadre_a1
    data = workbook(
        HEADERS,
        [
            row(干部=str(a1.pk), 月份="2024-05", 得分="70"),
            row(干部=str(a1.pk), 月份="2024-06", 序号=99),
        ],
    )

    written, errors = sheet_import(make_spec(), data, actor=personas.admin)

    assert (written, errors) == (0, [RowError(3, "得分", "", "Refused by the service.")])
    assert Cadre.objects.get(pk=a1.pk).position == "科员"


@pytest.mark.django_db
def test_sheet_import_reports_a_missing_header_row(world, personas):
    data = workbook(["单位名称", "月份"], [{"单位名称": "甲县", "月份": "2024-05"}])
    written, errors = sheet_import(make_spec(), data, actor=personas.admin)
    assert written == 0
    assert [(e.row, e.column) for e in errors] == [(1, "")]
    assert errors[0].message.startswith("No header row with the columns 单位代码、干部、得分")


@pytest.mark.django_db
def test_write_each_undoes_only_the_refused_row_and_collects_its_errors(world):
    a1 = world.cadre_a1

    def save(values):
        Cadre.objects.filter(pk=a1.pk).update(position=values["position"])
        if values["number"] == 99:
            raise PermissionDenied("Not yours.")

    items = [(2, {"position": "一", "number": 1}), (3, {"position": "二", "number": 99})]

    assert write_each(make_spec(), items, save) == (2, [RowError(3, "", "", "Not yours.")])
    assert Cadre.objects.get(pk=a1.pk).position == "一"


def test_service_errors_by_kind():
    spec = make_spec()
    assert service_errors(spec, 4, PermissionDenied("Not yours.")) == [
        RowError(4, "", "", "Not yours.")
    ]
    by_field = ValidationError({"position": ["Too low.", "Too late."], "month": "Closed."})
    assert service_errors(spec, 5, by_field) == [
        RowError(5, "得分", "", "Too low."),
        RowError(5, "得分", "", "Too late."),
        RowError(5, "月份", "", "Closed."),
    ]
    assert service_errors(spec, 6, ValidationError(["One.", "Two."])) == [
        RowError(6, "", "", "One."),
        RowError(6, "", "", "Two."),
    ]
    assert service_errors(spec, 7, ValueError("odd")) == [RowError(7, "", "", "odd")]


# ---------------------------------------------------------------- export and template


def test_sheet_export_writes_dates_numbers_and_skips_empty_cells():
    rows = [
        ["37012401", "甲县城关镇", "张三（1）", None, dt.date(2024, 5, 1), Decimal("88.50"), 3],
        ["370124", "甲县", "", "乡镇类", None, None, None],
    ]
    spec = make_spec(export_rows=lambda user, year: rows if year == 2024 else [])

    sheet = openpyxl.load_workbook(io.BytesIO(spec.export(None, year=2024))).active

    assert sheet.title == "演示"
    assert [list(r) for r in sheet.values] == [
        HEADERS,
        ["37012401", "甲县城关镇", "张三（1）", None, dt.datetime(2024, 5, 1), 88.5, 3],
        ["370124", "甲县", None, "乡镇类", None, None, None],
    ]
    assert sheet.cell(2, 5).number_format == "yyyy-mm-dd"
    empty = openpyxl.load_workbook(io.BytesIO(spec.export(None, year=2023))).active
    assert [list(r) for r in empty.values] == [HEADERS]


def test_sheet_template_has_headers_and_notes_naming_the_required_columns():
    book = openpyxl.load_workbook(io.BytesIO(make_spec().template()))
    assert book.sheetnames == ["演示", "说明"]
    assert [list(r) for r in book["演示"].values] == [HEADERS]
    assert [r[0] for r in book["说明"].values] == [
        "必填列：单位代码、干部、得分。全部行无误才会导入；任何一行有问题，整个文件都不导入。",
        "第一条说明",
        "第二条说明",
    ]
