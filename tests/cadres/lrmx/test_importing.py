"""Importing .lrmx files: unpacking, checking, all-or-nothing writes, history merge."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import translation

from cadres.enums import ManagementLevel, MoveType, PostType, Rank
from cadres.lrmx.build import person_to_xml
from cadres.lrmx.importing import LrmxFile, Placement, files_from_upload, lrmx_import
from cadres.lrmx.schema import LrmxPerson
from cadres.models import Cadre, PositionRecord
from core.formatting import mask_id_number
from core.models import AuditEvent
from core.uploads import UploadRejected
from tests.factories import make_id_number


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def lrmx(
    name="孙八",
    *,
    number=None,
    birth=dt.date(1985, 3, 9),
    gender="男",
    resume=None,
    current="甲县城关镇副镇长",
    **extra,
) -> bytes:
    number = number or make_id_number(birth, gender="M" if gender == "男" else "F")
    fields = {
        "XingMing": name,
        "XingBie": gender,
        "ChuShengNianYue": f"{birth:%Y%m}",
        "MinZu": "汉族",
        "JiGuan": "山东济南",
        "RuDangShiJian": "200806",
        "CanJiaGongZuoShiJian": "200707",
        "QuanRiZhiJiaoYu_XueLi": "大学",
        "XianRenZhiWu": current,
        "ShenFenZheng": number,
        "JianLi": resume
        if resume is not None
        else (
            "2003.09--2007.07  山东大学法学专业学习\n"
            "2007.07--2016.05  甲县城关镇科员\n"
            "2016.05--         甲县城关镇副镇长"
        ),
        **extra,
    }
    return person_to_xml(LrmxPerson(fields=fields))


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def placement(world) -> Placement:
    return Placement(
        unit=world.township_a1,
        management_level=ManagementLevel.COUNTY,
        rank=Rank.SECTION_DEPUTY,
        post_type=PostType.LEADERSHIP,
    )


def test_files_from_upload_single_file_kept_whole():
    assert files_from_upload("a.lrmx", b"<Person/>") == [LrmxFile("a.lrmx", b"<Person/>")]


def test_files_from_upload_zip_members_and_refusals():
    data = make_zip(
        {
            "单位/孙八.lrmx": b"<Person/>",
            "dir/": b"",
            "__MACOSX/._x.lrmx": b"junk",
            "old.lrm": b"x",
            "readme.txt": b"x",
        }
    )
    files = files_from_upload("batch.zip", data)
    assert [(f.name, f.data, f.problems) for f in files] == [
        ("单位/孙八.lrmx", b"<Person/>", []),
        (
            "old.lrm",
            None,
            [
                "This is the old .lrm/.pic format; save it as .lrmx in the "
                "appointment form software and upload that."
            ],
        ),
        ("readme.txt", None, ["Only .lrmx files are accepted in the zip."]),
    ]


def test_files_from_upload_gbk_member_names_decoded():
    # Chinese Windows writes GBK names without the UTF-8 flag; patch them into the bytes.
    data = make_zip({"XXXX.lrmx": b"<Person/>"}).replace(b"XXXX", "张三".encode("gbk"))
    assert files_from_upload("a.zip", data)[0].name == "张三.lrmx"


def test_files_from_upload_zip_path_traversal_refused():
    data = make_zip({"../../etc/evil.lrmx": b"<Person/>"})
    with pytest.raises(UploadRejected) as exc:
        files_from_upload("a.zip", data)
    assert str(exc.value) == "The zip archive holds an unsafe path: ../../etc/evil.lrmx"


def test_files_from_upload_zip_bomb_refused():
    data = make_zip({"bomb.lrmx": b"\0" * (20 * 2**20)})
    assert len(data) < 100_000
    with pytest.raises(UploadRejected) as exc:
        files_from_upload("a.zip", data)
    assert str(exc.value) == "The zip archive expands too much (a decompression bomb?)."


def test_files_from_upload_empty_zip_refused():
    with pytest.raises(UploadRejected, match="holds no .lrmx file"):
        files_from_upload("a.zip", make_zip({"dir/": b""}))


@pytest.mark.django_db
def test_lrmx_import_creates_cadre_with_history(world, personas):
    number = make_id_number(dt.date(1985, 3, 9))
    report = lrmx_import(
        [LrmxFile("孙八.lrmx", lrmx(number=number))],
        actor=personas.clerk_a,
        placement=placement(world),
        filename="孙八.lrmx",
    )
    assert report.ok and (report.created, report.updated) == (1, 0)
    cadre = Cadre.objects.get(national_id=number)
    assert (
        cadre.name,
        cadre.gender,
        cadre.birth_date,
        cadre.unit,
        cadre.position,
        cadre.rank,
        cadre.rank_since,
        cadre.management_level,
        cadre.education,
        cadre.party_join_date,
        cadre.name_pinyin,
    ) == (
        "孙八",
        "M",
        dt.date(1985, 3, 9),
        world.township_a1,
        "副镇长",
        Rank.SECTION_DEPUTY,
        dt.date(2016, 5, 1),
        ManagementLevel.COUNTY,
        "bachelor",
        dt.date(2008, 6, 1),
        "sunba",
    )
    assert list(
        cadre.positions.order_by("start_date").values_list(
            "start_date", "end_date", "unit_id", "unit_name", "title", "move"
        )
    ) == [
        (
            dt.date(2003, 9, 1),
            dt.date(2007, 7, 1),
            None,
            "",
            "山东大学法学专业学习",
            MoveType.APPOINTED,
        ),
        (
            dt.date(2007, 7, 1),
            dt.date(2016, 5, 1),
            world.township_a1.pk,
            "甲县城关镇",
            "科员",
            MoveType.LATERAL,
        ),
        (dt.date(2016, 5, 1), None, world.township_a1.pk, "甲县城关镇", "副镇长", MoveType.LATERAL),
    ]
    event = AuditEvent.objects.get(action="cadre.lrmx.import")
    assert (
        event.actor,
        event.object_id,
        event.authority_id,
        event.after["national_id"],
        event.after["file"],
        event.after["positions"],
    ) == (
        personas.clerk_a,
        str(cadre.pk),
        world.county_a_org.pk,
        mask_id_number(number),
        "孙八.lrmx",
        3,
    )


@pytest.mark.django_db
def test_lrmx_import_all_or_nothing(world, personas):
    good = lrmx("孙八")
    bad = lrmx("周九", birth=dt.date(1990, 1, 2), number=make_id_number(dt.date(1991, 1, 2)))
    files = [
        LrmxFile("a/孙八.lrmx", good),
        LrmxFile("a/周九.lrmx", bad),
        LrmxFile("a/图片.lrmx", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
    ]
    report = lrmx_import(files, actor=personas.clerk_a, placement=placement(world))
    assert not report.ok
    assert [(f.name, f.problems) for f in report.problem_files] == [
        (
            "a/周九.lrmx",
            ["Birth date: The birth date differs from the one in the national ID number."],
        ),
        ("a/图片.lrmx", ["The file is a PNG file (image/png), not an .lrmx form."]),
    ]
    assert Cadre.objects.count() == 3
    assert PositionRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action="cadre.lrmx.import").exists()


@pytest.mark.django_db
def test_lrmx_import_duplicate_id_in_one_upload(world, personas):
    number = make_id_number(dt.date(1985, 3, 9))
    files = [LrmxFile("1.lrmx", lrmx(number=number)), LrmxFile("2.lrmx", lrmx(number=number))]
    report = lrmx_import(files, actor=personas.clerk_a, placement=placement(world))
    assert [(f.name, f.problems) for f in report.problem_files] == [
        ("2.lrmx", ["The same national ID number is in 1.lrmx too."]),
    ]
    assert not Cadre.objects.filter(national_id=number).exists()


@pytest.mark.django_db
def test_lrmx_import_outside_placement_rights(world, personas):
    place = Placement(
        unit=world.township_b1,
        management_level=ManagementLevel.COUNTY,
        rank=Rank.SECTION_DEPUTY,
        post_type=PostType.LEADERSHIP,
    )
    report = lrmx_import([LrmxFile("x.lrmx", lrmx())], actor=personas.clerk_a, placement=place)
    assert report.problem_files[0].problems == [
        "You may not add cadres of this management level to the chosen unit."
    ]
    assert Cadre.objects.count() == 3


@pytest.mark.django_db
def test_lrmx_import_existing_id_not_changeable_is_an_error(world, personas):
    other = world.cadre_b1  # township B1: outside county A's organization department
    report = lrmx_import(
        [LrmxFile("x.lrmx", lrmx(number=other.national_id))],
        actor=personas.clerk_a,
        placement=placement(world),
    )
    assert report.problem_files[0].action == "update"
    assert report.problem_files[0].problems[-1] == (
        "A cadre with this national ID number already exists and you may not change their record."
    )
    other.refresh_from_db()
    assert other.name == "李四"


@pytest.mark.django_db
def test_lrmx_import_updates_existing_cadre_and_merges_history(world, personas):
    cadre = world.cadre_a1  # 张三, born 1980-05-17, township A1
    PositionRecord.objects.create(
        cadre=cadre,
        start_date=dt.date(2007, 7, 15),
        end_date=None,
        unit=world.township_a1,
        unit_name="甲县城关镇",
        title="科员",
        move=MoveType.APPOINTED,
        document_ref="甲组〔2007〕3号",
    )
    data = lrmx(
        "张三",
        number=cadre.national_id,
        birth=cadre.birth_date,
        current="甲县城关镇副镇长",
        RuDangShiJian="200306",
        MinZu="回族",
        resume="2007.07--2016.05  甲县城关镇科员\n2016.05--  甲县城关镇副镇长",
    )
    report = lrmx_import(
        [LrmxFile("张三.lrmx", data)], actor=personas.clerk_a, placement=placement(world)
    )
    assert report.ok and (report.created, report.updated) == (0, 1)
    cadre.refresh_from_db()
    assert (cadre.ethnicity, cadre.position, cadre.party_join_date, cadre.unit, cadre.rank) == (
        "回族",
        "副镇长",
        dt.date(2003, 6, 1),
        world.township_a1,
        Rank.PRINCIPAL_STAFF_4,
    )
    assert list(
        cadre.positions.order_by("start_date").values_list(
            "start_date", "end_date", "title", "document_ref"
        )
    ) == [
        (dt.date(2007, 7, 15), dt.date(2016, 5, 1), "科员", "甲组〔2007〕3号"),
        (dt.date(2016, 5, 1), None, "副镇长", ""),
    ]
    update = AuditEvent.objects.get(action="cadre.update", object_id=str(cadre.pk))
    assert update.after == {
        "ethnicity": "回族",
        "position": "副镇长",
        "education": "bachelor",
        "native_place": "山东济南",
        "work_start_date": "2007-07-01",
    }
    assert update.authority_id == world.county_a_org.pk
    event = AuditEvent.objects.get(action="cadre.lrmx.import")
    assert event.authority_id == world.county_a_org.pk
    assert event.after == {
        "file": "张三.lrmx",
        "created": False,
        "changed": ["education", "ethnicity", "native_place", "position", "work_start_date"],
        "positions_added": 1,
        "positions_closed": 1,
        "form_details": ["full_time_education"],
    }


@pytest.mark.django_db
def test_lrmx_import_same_month_keeps_the_exact_day(world, personas):
    cadre = world.cadre_a1  # party_join_date 2003-06-01 by the factory
    Cadre.objects.filter(pk=cadre.pk).update(party_join_date=dt.date(2003, 6, 18))
    data = lrmx(
        "张三",
        number=cadre.national_id,
        birth=cadre.birth_date,
        current="甲县城关镇科员",
        RuDangShiJian="200306",
        resume="2018.07--  甲县城关镇科员",
    )
    report = lrmx_import(
        [LrmxFile("x.lrmx", data)], actor=personas.clerk_a, placement=placement(world)
    )
    assert report.ok
    cadre.refresh_from_db()
    assert cadre.party_join_date == dt.date(2003, 6, 18)


@pytest.mark.django_db
def test_lrmx_import_without_minzu_leaves_a_minority_ethnicity(world, personas):
    cadre = world.cadre_a1
    cadre.ethnicity, cadre.native_place = "回族", "宁夏吴忠"
    cadre.save(update_fields=["ethnicity", "native_place"])
    data = lrmx(
        "张三",
        number=cadre.national_id,
        birth=cadre.birth_date,
        current="甲县城关镇科员",
        MinZu="",
        JiGuan="",
        resume="2007.07--  甲县城关镇科员",
    )
    report = lrmx_import(
        [LrmxFile("张三.lrmx", data)], actor=personas.clerk_a, placement=placement(world)
    )
    assert report.ok and report.updated == 1
    cadre.refresh_from_db()
    assert (cadre.ethnicity, cadre.native_place) == ("回族", "宁夏吴忠")
    event = AuditEvent.objects.get(action="cadre.lrmx.import")
    assert "ethnicity" not in event.after["changed"]
    assert "native_place" not in event.after["changed"]


@pytest.mark.django_db
def test_lrmx_import_new_cadre_without_minzu_is_refused_not_defaulted(world, personas):
    report = lrmx_import(
        [LrmxFile("孙八.lrmx", lrmx("孙八", MinZu=""))],
        actor=personas.clerk_a,
        placement=placement(world),
    )
    assert not report.ok
    assert report.files[0].problems == ["The form has no ethnicity (MinZu); a new cadre needs one."]
    assert not Cadre.objects.filter(name="孙八").exists()
