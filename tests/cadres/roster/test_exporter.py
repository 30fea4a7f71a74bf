"""Roster export and template, called directly: what is selected, masked, audited, written.

The pages that stream these files are tested in test_views.py."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from cadres.enums import ManagementLevel
from cadres.roster.columns import CHOICE, COLUMNS, HEADERS, SHEET_NAME
from cadres.roster.exporter import (
    EXAMPLE_UNIT_CODE,
    _export_rows,
    export_queryset,
    roster_export,
    roster_template,
)
from core.formatting import mask_id_number
from core.models import AuditEvent
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def sheets(handle) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


def test_export_queryset_narrows_by_subtree_level_and_name(world, personas):
    admin = personas.admin
    assert names(export_queryset(admin)) == ["张三", "李四", "王五"]
    assert names(export_queryset(admin, unit_id=world.county_b.pk)) == ["李四"]
    assert names(export_queryset(admin, unit_id=world.city.pk)) == ["张三", "李四", "王五"]
    assert names(export_queryset(admin, level=ManagementLevel.CITY)) == ["王五"]
    assert names(export_queryset(admin, q="zs")) == ["张三"]
    assert names(export_queryset(admin, unit_id=world.county_a.pk, level="city")) == []


def test_export_queryset_ignores_an_unknown_level_and_empties_on_an_unknown_unit(world, personas):
    assert names(export_queryset(personas.admin, level="bogus")) == ["张三", "李四", "王五"]
    assert names(export_queryset(personas.admin, unit_id=999_999)) == []


def test_export_queryset_stays_within_what_the_user_sees(world, personas):
    assert names(export_queryset(personas.clerk_a)) == ["张三"]
    assert names(export_queryset(personas.clerk_a, unit_id=world.county_b.pk)) == []
    assert names(export_queryset(personas.outsider)) == []


def test_roster_export_returns_the_file_its_count_and_masking_and_audits_once(world, personas):
    CadreFactory(name="赵六", unit=world.township_a1)

    handle, count, masked = roster_export(personas.clerk_a, level="county", q="")

    assert (handle.tell(), count, masked) == (0, 2, True)
    rows = sheets(handle)[SHEET_NAME]
    assert tuple(rows[0]) == HEADERS
    assert sorted(r[4] for r in rows[1:]) == sorted(
        mask_id_number(c.national_id) for c in world.cadre_a1.unit.cadres.all()
    )
    assert list(AuditEvent.objects.values_list("action", "actor_id", "after")) == [
        (
            "cadre.roster.export",
            personas.clerk_a.pk,
            {"count": 2, "unit": None, "level": "county", "q": None, "masked": True},
        )
    ]


def test_roster_export_orders_by_unit_tree_then_rank_descending(world, personas):
    senior = CadreFactory(name="赵六", unit=world.township_a1, rank=60)

    handle, count, masked = roster_export(personas.admin, unit_id=world.county_a.pk, q="")

    assert (count, masked) == (2, False)
    rows = sheets(handle)[SHEET_NAME]
    assert [(r[0], r[4]) for r in rows[1:]] == [
        ("赵六", senior.national_id),
        ("张三", world.cadre_a1.national_id),
    ]
    assert AuditEvent.objects.get().after["unit"] == world.county_a.pk


def test_roster_export_with_nothing_to_export_writes_only_headers(world, personas):
    handle, count, _masked = roster_export(personas.admin, q="nobody")
    assert count == 0
    assert [tuple(r) for r in sheets(handle)[SHEET_NAME]] == [HEADERS]


def test_export_rows_masks_only_the_national_id_cell():
    birth = dt.date(1980, 5, 17)
    values = (
        "张三",
        "M",
        "汉族",
        birth,
        "370102198005170011",
        "",
        None,
        None,
        "",
        "370124",
        "科员",
        "non_leadership",
        30,
        dt.date(2018, 7, 1),
        "county",
        "serving",
    )
    assert len(values) == len(COLUMNS)

    plain = next(_export_rows([values], masked=False))
    masked = next(_export_rows([values], masked=True))

    assert plain[4] == "370102198005170011"
    assert masked[4] == mask_id_number("370102198005170011")
    assert masked[:4] + masked[5:] == plain[:4] + plain[5:]
    assert plain[:5] == ["张三", "男", "汉族", birth, "370102198005170011"]


def test_roster_template_example_row_uses_the_users_first_writable_unit(world, personas):
    rows = sheets(roster_template(personas.clerk_city))[SHEET_NAME]
    assert tuple(rows[0]) == HEADERS
    assert len(rows) == 2
    assert rows[1][9] == world.city.code == "3701"
    assert rows[1][:5] == ["张明", "男", "汉族", dt.date(1985, 3, 17), "370102198503170019"]


def test_roster_template_falls_back_to_the_example_code_without_writable_units(world, personas):
    rows = sheets(roster_template(personas.auditor))[SHEET_NAME]
    assert rows[1][9] == EXAMPLE_UNIT_CODE


def test_roster_template_has_dropdowns_for_choice_columns_and_instructions(world, personas):
    with translation.override("en"):
        handle = roster_template(personas.clerk_a)
    data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    choice_columns = [c for c in COLUMNS if c.kind == CHOICE]
    assert sheet_xml.count('type="list"') == len(choice_columns) == 6
    assert '<formula1>"男,女"</formula1>' in sheet_xml
    assert len(re.findall(r'<pane [^>]*ySplit="1"', sheet_xml)) == 1

    book = sheets(io.BytesIO(data))
    instructions = book["Instructions"]
    assert instructions[0] == ["Column", "Required", "What to enter"]
    assert [r[0] for r in instructions[1 : len(COLUMNS) + 1]] == list(HEADERS)
    by_header = {r[0]: r for r in instructions[1 : len(COLUMNS) + 1]}
    assert by_header["性别"][1:] == ["yes", "One of: 男、女"]
    assert by_header["籍贯"][1:] == ["", ""]
    assert by_header["单位代码"][2] == "The unit code as shown in the unit list."
    assert by_header["出生日期"][2].startswith("A date cell, or text such as 1980-05-17")
