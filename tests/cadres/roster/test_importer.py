"""Roster import service: all-or-nothing, row-level errors, upsert, permissions, queries."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cadres.enums import CadreStatus, Education, ManagementLevel, MoveType, PostType, Rank
from cadres.models import Cadre, PositionRecord
from cadres.roster.columns import HEADERS
from cadres.roster.importer import (
    RowError,
    parse_roster,
    roster_import,
    validate_roster,
    write_roster,
)
from cadres.rules import id_check_code
from core.formatting import mask_id_number
from core.models import AuditEvent
from core.uploads import UploadRejected
from tests.factories import CadreFactory, make_id_number

ID_TAKEN = (
    "This national ID number cannot be entered here. If the cadre should be on your "
    "roster, ask the organization department that manages them."
)


def id_ending_in_x(birth: dt.date, *, gender: str = "M", region: str = "370124") -> str:
    for seq in range(1, 1000):
        if seq % 2 != (1 if gender == "M" else 0):
            continue
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        if id_check_code(first17) == "X":
            return first17 + "X"
    raise AssertionError("no such number")


def good_row(changes: dict | None = None, *, gender: str = "M") -> dict:
    """A valid row as header → cell (a fresh valid ID number each call)."""
    row = {
        "姓名": "赵一",
        "性别": "男" if gender == "M" else "女",
        "民族": "汉族",
        "出生日期": "1980-05-17",
        "身份证号": make_id_number(dt.date(1980, 5, 17), gender=gender, region="370124"),
        "籍贯": "山东济南",
        "入党时间": "2003.06",
        "参加工作时间": dt.date(2002, 7, 1),
        "学历": "大学",
        "单位代码": "37012401",
        "职务": "副镇长",
        "职务类型": "领导职务",
        "职级": "乡科级副职",
        "任现职级时间": "2018/7/1",
        "管理权限": "县管",
        "状态": "在职",
    }
    row.update(changes or {})
    return row


def row_of(cadre: Cadre, changes: dict | None = None) -> dict:
    """The row describing an existing cadre, as an export would write it."""
    return good_row(
        {
            "姓名": cadre.name,
            "性别": "男" if cadre.gender == "M" else "女",
            "出生日期": cadre.birth_date,
            "身份证号": cadre.national_id,
            "籍贯": cadre.native_place,
            "入党时间": cadre.party_join_date or "",
            "参加工作时间": cadre.work_start_date or "",
            "学历": "",
            "单位代码": cadre.unit.code,
            "职务": cadre.position,
            "职务类型": "非领导职务",
            "职级": "四级主任科员",
            "任现职级时间": cadre.rank_since,
            "管理权限": {"county": "县管", "city": "市管"}[cadre.management_level],
            **(changes or {}),
        }
    )


def make_xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet("干部名册")
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(rows, start=1):
        for position, header in enumerate(headers):
            value = row.get(header, "")
            if isinstance(value, dt.date):
                sheet.write_datetime(index, position, value, date)
            elif isinstance(value, int | float):
                sheet.write_number(index, position, value)
            elif value != "":
                sheet.write_string(index, position, value)
    workbook.close()
    return buffer.getvalue()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_roster_import_creates_exact_rows_and_one_audit_row(world, personas, english):
    lower_x = id_ending_in_x(dt.date(1985, 3, 17)).lower()
    female = good_row(
        {
            "姓名": "钱二",
            "出生日期": "1980-05-17",
            "学历": "",
            "入党时间": "",
            "单位代码": "370124",
            "职务": "科员",
            "职务类型": "非领导职务",
            "职级": "一级科员",
            "任现职级时间": "201005",
        },
        gender="F",
    )
    data = make_xlsx(
        [
            good_row(
                {
                    "身份证号": lower_x,
                    "出生日期": "1985.03.17",
                    "入党时间": "2006.06",
                    "参加工作时间": "2007-07-01",
                }
            ),
            female,
        ]
    )

    result = roster_import(data, actor=personas.clerk_a, filename="名册.xlsx")

    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 2, 0, 0)
    zhao = Cadre.objects.get(national_id=lower_x.upper())
    assert (zhao.name, zhao.name_pinyin, zhao.name_initials, zhao.gender) == (
        "赵一",
        "zhaoyi",
        "zy",
        "M",
    )
    assert (zhao.birth_date, zhao.party_join_date, zhao.work_start_date, zhao.rank_since) == (
        dt.date(1985, 3, 17),
        dt.date(2006, 6, 1),
        dt.date(2007, 7, 1),
        dt.date(2018, 7, 1),
    )
    assert (zhao.unit, zhao.position, zhao.post_type, zhao.rank) == (
        world.township_a1,
        "副镇长",
        PostType.LEADERSHIP,
        Rank.SECTION_DEPUTY,
    )
    assert (zhao.education, zhao.management_level, zhao.status, zhao.native_place) == (
        Education.BACHELOR,
        ManagementLevel.COUNTY,
        CadreStatus.SERVING,
        "山东济南",
    )
    qian = Cadre.objects.get(national_id=female["身份证号"])
    assert (qian.gender, qian.education, qian.party_join_date, qian.rank_since, qian.unit) == (
        "F",
        "",
        None,
        dt.date(2010, 5, 1),
        world.county_a,
    )
    positions = list(
        PositionRecord.objects.order_by("cadre__name").values_list(
            "cadre__name", "start_date", "unit__code", "unit_name", "title", "rank", "move"
        )
    )
    assert positions == [
        ("赵一", dt.date(2018, 7, 1), "37012401", "甲县城关镇", "副镇长", 45, MoveType.APPOINTED),
        ("钱二", dt.date(2010, 5, 1), "370124", "甲县", "科员", 20, MoveType.APPOINTED),
    ]
    events = list(
        AuditEvent.objects.values_list("action", "actor__username", "authority_id", "after")
    )
    assert events == [
        (
            "cadre.roster.import",
            "clerk_a",
            world.county_a_org.pk,
            {"created": 2, "updated": 0, "unchanged": 0, "filename": "名册.xlsx",
             "import": result.import_id},
        )
    ]
    assert len(result.import_id) == 12


@pytest.mark.django_db
def test_roster_import_one_bad_row_writes_nothing_and_reports_each_error(world, personas, english):
    first = good_row()
    checksum = good_row()
    checksum["身份证号"] = checksum["身份证号"][:17] + (
        "0" if checksum["身份证号"][17] != "0" else "1"
    )
    rows = [
        first,  # row 2: good
        checksum,  # row 3: bad check digit
        good_row({"身份证号": id_ending_in_x(dt.date(1980, 5, 17)).lower()}),  # 4: good
        good_row({"单位代码": "999999"}),  # row 5: unknown unit
        good_row({"身份证号": first["身份证号"], "姓名": "孙三"}),  # row 6: duplicate ID
        good_row({"任现职级时间": "2019-02-30"}),  # row 7: no such date
        good_row({"出生日期": "1981-01-01"}),  # row 8: differs from ID
        good_row(),  # row 9: good
        good_row({"入党时间": "1990-01-01"}),  # row 10: Party at 9
        good_row({"性别": "女"}),  # row 11: gender vs ID
    ]

    result = roster_import(make_xlsx(rows), actor=personas.admin, filename="bad.xlsx")

    assert result.ok is False
    assert result.errors == [
        RowError(
            3,
            "身份证号",
            mask_id_number(checksum["身份证号"]),
            "The national ID number's check digit is wrong.",
        ),
        RowError(5, "单位代码", "999999", "No unit has this code."),
        RowError(
            6,
            "身份证号",
            mask_id_number(first["身份证号"]),
            "The same national ID number is already in row 2.",
        ),
        RowError(7, "任现职级时间", "2019-02-30", "This date does not exist."),
        RowError(
            8,
            "出生日期",
            "1981-01-01",
            "The birth date differs from the one in the national ID number.",
        ),
        RowError(
            10, "入党时间", "1990-01-01", "Party membership before the age of 18 is impossible."
        ),
        RowError(11, "性别", "女", "The gender differs from the one in the national ID number."),
    ]
    assert Cadre.objects.count() == 3
    assert PositionRecord.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_roster_import_cell_errors_are_reported_per_cell(world, personas, english):
    rows = [
        good_row(
            {
                "性别": "M",
                "职级": "处长",
                "民族": "火星族",
                "出生日期": "May 1980",
                "职务": "",
                "身份证号": "3701**********1234",
            }
        )
    ]

    result = roster_import(make_xlsx(rows), actor=personas.admin, filename="x.xlsx")

    assert [(e.row, e.column, e.value, e.message) for e in result.errors] == [
        (2, "性别", "M", "Unknown value; allowed: 男、女."),
        (2, "民族", "火星族", "Unknown ethnic group."),
        (
            2,
            "出生日期",
            "May 1980",
            "Not a date: use a date cell or text such as 1980-05-17, "
            "1980.05.17, 1980/5/17 or 198005.",
        ),
        (
            2,
            "身份证号",
            "3701**********1234",
            "The national ID number is masked: an export "
            "with masked numbers cannot be imported again.",
        ),
        (2, "职务", "", "This column is required."),
        (
            2,
            "职级",
            "处长",
            "Unknown value; allowed: "
            + "、".join(
                [
                    "二级科员",
                    "一级科员",
                    "四级主任科员",
                    "三级主任科员",
                    "乡科级副职",
                    "二级主任科员",
                    "一级主任科员",
                    "乡科级正职",
                    "四级调研员",
                    "三级调研员",
                    "县处级副职",
                    "二级调研员",
                    "一级调研员",
                    "县处级正职",
                    "二级巡视员",
                    "厅局级副职",
                    "一级巡视员",
                    "厅局级正职",
                    "省部级副职",
                    "省部级正职",
                ]
            )
            + ".",
        ),
    ]


@pytest.mark.django_db
def test_roster_import_clerk_cannot_place_outside_jurisdiction(world, personas, english):
    rows = [
        good_row({"单位代码": "37010201"}),  # county B: not county A's
        good_row({"管理权限": "市管"}),  # county A, but a city-managed cadre
        row_of(world.cadre_b1, {"职务": "副主任"}),  # exists, outside county A
        good_row(),  # fine on its own
    ]

    result = roster_import(make_xlsx(rows), actor=personas.clerk_a, filename="b.xlsx")

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "单位代码", "You may not place cadres in this unit with this management level."),
        (3, "单位代码", "You may not place cadres in this unit with this management level."),
        (4, "身份证号", ID_TAKEN),
    ]
    assert Cadre.objects.count() == 3


@pytest.mark.django_db
def test_roster_import_unit_hr_places_only_in_own_unit(world, personas, english):
    ok = roster_import(make_xlsx([good_row()]), actor=personas.hr_a1, filename="a.xlsx")
    refused = roster_import(
        make_xlsx([good_row({"单位代码": "370124"})]), actor=personas.hr_a1, filename="b.xlsx"
    )

    assert (ok.ok, ok.created) == (True, 1)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "单位代码")]


@pytest.mark.django_db
def test_roster_import_upserts_existing_cadre(world, personas, english):
    existing = world.cadre_a1
    new = good_row({"姓名": "周七"})
    data = make_xlsx(
        [
            row_of(
                existing, {"职务": "党委委员", "职级": "乡科级副职", "任现职级时间": "2021-01-01"}
            ),
            new,
        ]
    )

    result = roster_import(data, actor=personas.clerk_a, filename="upsert.xlsx")

    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 1, 1, 0)
    existing.refresh_from_db()
    assert (existing.position, existing.rank, existing.rank_since, existing.name_pinyin) == (
        "党委委员",
        Rank.SECTION_DEPUTY,
        dt.date(2021, 1, 1),
        "zhangsan",
    )
    assert Cadre.objects.count() == 4
    # A new post and rank is a move: through the move service, into the history.
    assert list(
        PositionRecord.objects.order_by("cadre__name").values_list(
            "cadre__name", "start_date", "end_date", "title", "rank", "move", "unit_name"
        )
    ) == [
        ("周七", dt.date(2018, 7, 1), None, "副镇长", 45, MoveType.APPOINTED, "甲县城关镇"),
        ("张三", dt.date(2021, 1, 1), None, "党委委员", Rank.SECTION_DEPUTY, MoveType.PROMOTED,
         "甲县城关镇"),
    ]
    summary = AuditEvent.objects.get(action="cadre.roster.import")
    assert summary.after == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "filename": "upsert.xlsx",
        "import": result.import_id,
    }
    reason = f"Roster import {result.import_id}"
    move = AuditEvent.objects.get(action="cadre.move.promoted")
    assert (move.object_id, move.reason, move.authority_id) == (
        str(existing.pk), reason, world.county_a_org.pk
    )
    update = AuditEvent.objects.get(action="cadre.roster.update")
    assert (update.object_id, update.reason, update.authority_id) == (
        str(existing.pk), reason, world.county_a_org.pk
    )
    assert update.before == {
        "position": "科员", "rank": Rank.PRINCIPAL_STAFF_4, "rank_since": "2018-07-01"
    }
    assert update.after == {
        "position": "党委委员", "rank": Rank.SECTION_DEPUTY, "rank_since": "2021-01-01"
    }
    [change] = result.changes
    assert (change.pk, change.name, change.move, change.columns) == (
        existing.pk, "张三", "Promotion", ["职务", "职级", "任现职级时间"]
    )


@pytest.mark.django_db
def test_roster_import_move_before_the_current_position_is_refused(world, personas, english):
    cadre = world.cadre_a1
    first = roster_import(
        make_xlsx([row_of(cadre, {"职级": "乡科级副职", "任现职级时间": "2021-01-01"})]),
        actor=personas.clerk_a, filename="a.xlsx",
    )
    assert first.ok
    result = roster_import(
        make_xlsx([row_of(cadre, {"职级": "乡科级正职", "任现职级时间": "2020-01-01"})]),
        actor=personas.clerk_a, filename="b.xlsx",
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (
            2,
            "任现职级时间",
            "This row moves the cadre (unit, rank or post) as of 2020-01-01, before the current "
            "position began (2021-01-01): record this move on the cadre's page.",
        )
    ]
    cadre.refresh_from_db()
    assert cadre.rank == Rank.SECTION_DEPUTY
    assert PositionRecord.objects.filter(cadre=cadre).count() == 1


@pytest.mark.django_db
def test_roster_import_refused_unit_move_reports_the_rows_unit_code(world, personas, english):
    # A unit change is dated today; an open position starting later refuses it. The report
    # shows the unit code the row gave in its cell (it showed an empty cell).
    cadre = world.cadre_a1
    PositionRecord.objects.create(
        cadre=cadre, start_date=dt.date.today() + dt.timedelta(days=30), unit=cadre.unit,
        unit_name=cadre.unit.name, title=cadre.position, rank=cadre.rank,
        move=MoveType.APPOINTED,
    )
    result = roster_import(
        make_xlsx([row_of(cadre, {"单位代码": "370124"})]),
        actor=personas.clerk_a, filename="a.xlsx",
    )
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "单位代码", "370124")]
    cadre.refresh_from_db()
    assert cadre.unit == world.township_a1


@pytest.mark.django_db
def test_roster_import_correction_only_is_audited_per_cadre_without_a_move(
    world, personas, english
):
    result = roster_import(
        make_xlsx([row_of(world.cadre_a1, {"籍贯": "山东章丘"})]),
        actor=personas.clerk_a, filename="fix.xlsx",
    )
    assert result.ok
    assert not PositionRecord.objects.exists()
    update = AuditEvent.objects.get(action="cadre.roster.update")
    assert update.after == {"native_place": "山东章丘"}
    assert [(c.name, c.move, c.columns) for c in result.changes] == [("张三", "", ["籍贯"])]


@pytest.mark.django_db
def test_roster_import_unchanged_rows_are_not_written(world, personas, english):
    before = Cadre.objects.get(pk=world.cadre_a1.pk).updated_at

    result = roster_import(
        make_xlsx([row_of(world.cadre_a1)]), actor=personas.clerk_a, filename="same.xlsx"
    )

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Cadre.objects.get(pk=world.cadre_a1.pk).updated_at == before


@pytest.mark.django_db
def test_roster_import_needs_roster_permission(world, personas):
    with pytest.raises(PermissionDenied):
        roster_import(make_xlsx([good_row()]), actor=personas.auditor, filename="a.xlsx")
    with pytest.raises(PermissionDenied):
        roster_import(make_xlsx([good_row()]), actor=personas.outsider, filename="a.xlsx")


def test_parse_roster_refuses_files_that_are_not_xlsx():
    with pytest.raises(UploadRejected):
        parse_roster(b"Name,ID\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UploadRejected):
        parse_roster(buffer.getvalue())


def test_parse_roster_reports_missing_and_doubled_columns(english):
    headers = [h for h in HEADERS if h != "状态"] + ["职务"]
    parsed = parse_roster(make_xlsx([good_row()], headers=headers))
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (1, "职务", "This column appears twice."),
        (1, "状态", "This column is missing."),
    ]
    assert parsed.rows == []


def test_parse_roster_finds_header_below_a_title_and_skips_blank_rows(english):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "某县干部名册")
    sheet.write_row(2, 1, [h + ("(男/女)" if h == "性别" else "") for h in HEADERS])
    row = good_row()
    sheet.write_row(
        4,
        1,
        [
            cell.isoformat() if isinstance(cell, dt.date) else cell
            for cell in (row[h] for h in HEADERS)
        ],
    )
    workbook.close()

    parsed = parse_roster(buffer.getvalue())

    assert parsed.errors == []
    assert [(number, values["national_id"]) for number, values in parsed.rows] == [
        (5, row["身份证号"])
    ]


def test_parse_roster_empty_sheet(english):
    parsed = parse_roster(make_xlsx([]))
    assert parsed.errors == [RowError(2, "", "", "The workbook has no data rows.")]


@pytest.mark.django_db
def test_roster_import_someone_faster_writes_nothing(world, personas, english):
    row = good_row()
    plan = validate_roster(parse_roster(make_xlsx([row, good_row()])), actor=personas.admin)
    CadreFactory(national_id=row["身份证号"], unit=world.county_a)  # created meanwhile

    result = write_roster(plan, actor=personas.admin, filename="late.xlsx")

    assert [e.message for e in result.errors] == [
        "Someone else changed these cadres while the file was being checked; nothing was "
        "imported. Please upload the file again."
    ]
    assert Cadre.objects.count() == 4
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_roster_import_queries_do_not_grow_with_rows(world, personas):
    def queries(count: int) -> int:
        data = make_xlsx(
            [good_row() for _ in range(count)] + [row_of(world.cadre_a1, {"职务": f"科员{count}"})]
        )
        with CaptureQueriesContext(connection) as captured:
            result = roster_import(data, actor=personas.clerk_a, filename="q.xlsx")
        assert (result.created, result.updated) == (count, 1)
        return len(captured)

    queries(1)  # warms the per-user caches (roles, authorities) and content types
    # With the savepoint pair of the transaction and the lookup of the covering authorities;
    # the one existing cadre's new post is a move through cadre_move (a dozen queries for
    # that cadre, as on its page) and gets its own audit row. New rows add none.
    assert queries(2) == queries(12) == 26


@pytest.mark.django_db
def test_roster_import_cadre_leaving_scope_meanwhile_writes_nothing(world, personas, english):
    data = make_xlsx([row_of(world.cadre_a1, {"职务": "副镇长"}), good_row()])
    plan = validate_roster(parse_roster(data), actor=personas.clerk_a)
    Cadre.objects.filter(pk=world.cadre_a1.pk).update(unit=world.township_b1)  # moved away

    result = write_roster(plan, actor=personas.clerk_a, filename="late.xlsx")

    assert [e.row for e in result.errors] == [0]
    assert Cadre.objects.get(pk=world.cadre_a1.pk).position == "科员"
    assert Cadre.objects.count() == 3
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_roster_import_keeps_tabs_newlines_and_backslashes(world, personas, english):
    title = "党委书记\n镇长\t(兼)\\一"
    row = good_row({"职务": title, "籍贯": "山东\\济南"})

    result = roster_import(make_xlsx([row]), actor=personas.admin, filename="t.xlsx")

    assert result.created == 1
    cadre = Cadre.objects.get(national_id=row["身份证号"])
    assert (cadre.position, cadre.native_place) == (title, "山东\\济南")
    assert PositionRecord.objects.get(cadre=cadre).title == title
