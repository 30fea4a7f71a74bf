"""The .lrmx pages: export (one and many), import, the appointment form PDF, access."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from guardian.shortcuts import assign_perm
from openpyxl import load_workbook

from cadres.enums import ManagementLevel, MoveType, PostType, Rank
from cadres.lrmx.parse import parse_lrmx
from cadres.models import Cadre, PositionRecord
from cadres.services import cadre_create, cadre_move
from core.models import AuditEvent
from tests.cadres.lrmx.test_importing import lrmx, make_zip
from tests.factories import CadreFactory, make_id_number
from tests.importing import job_of, post_import, private_media  # noqa: F401
from tests.pdftext import fonts as pdf_fonts
from tests.pdftext import page_count
from tests.pdftext import pdf_text as poppler_text
from tolerance.models import AccountabilityMatter

FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "national_id",
    "native_place",
    "party_join_date",
    "work_start_date",
    "education",
    "unit_id",
    "position",
    "post_type",
    "rank",
    "rank_since",
    "management_level",
    "status",
    "name_pinyin",
)


def english(client):
    """Choose English as a user does, with set_language's cookie (Accept-Language is ignored)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def login(client, user):
    client.force_login(user)
    return client


def upload(client, form: dict):
    """Post the import form; the job it queues runs when the request commits."""
    return post_import(client, reverse("cadres:lrmx-import"), form)


def run(client, form: dict):
    """The job page once the import ran."""
    return client.get(reverse("imports:job", args=[job_of(upload(client, form)).pk]))


def by_file(page) -> list[tuple[str, list[str]]]:
    """The problems of each file, in the order of the error table."""
    found: dict[str, list[str]] = {}
    for name, _cadre, _id, problem in page.context["errors"]:
        found.setdefault(name, []).append(problem)
    return list(found.items())


def brought(page) -> list[dict]:
    """Per file: what it set, changed, left as stored, and what is not kept."""
    keys = ("name", "cadre_name", "set", "changed", "left", "dropped")
    rows = [dict(zip(keys, row, strict=True)) for row in page.context["details"]]
    for row in rows:
        for key in keys[2:]:
            row[key] = row[key].split("、") if row[key] else []
    return rows


def import_form(world, data: bytes, name: str = "forms.zip", **overrides) -> dict:
    return {
        "file": SimpleUploadedFile(name, data),
        "unit": world.township_a1.pk,
        "management_level": ManagementLevel.COUNTY,
        "rank": Rank.SECTION_DEPUTY,
        "post_type": PostType.LEADERSHIP,
        **overrides,
    }


def cadre_with_history(world, personas) -> Cadre:
    """赵䶮 (a character outside GB 2312), three posts, made through the services."""
    birth = dt.date(1983, 10, 4)
    cadre = cadre_create(
        actor=personas.admin,
        values=dict(
            name="赵䶮",
            gender="F",
            ethnicity="回族",
            birth_date=birth,
            national_id=make_id_number(birth, gender="F"),
            native_place="山东济南",
            party_join_date=dt.date(2006, 6, 1),
            work_start_date=dt.date(2005, 7, 1),
            education="master",
            unit=world.township_a1,
            position="科员",
            post_type=PostType.NON_LEADERSHIP,
            rank=Rank.PRINCIPAL_STAFF_4,
            rank_since=dt.date(2005, 7, 1),
            management_level=ManagementLevel.COUNTY,
        ),
    )
    cadre_move(
        cadre,
        actor=personas.admin,
        move=MoveType.PROMOTED,
        on=dt.date(2012, 3, 1),
        unit=world.county_a,
        title="发展和改革局副局长",
        rank=Rank.SECTION_DEPUTY,
        post_type=PostType.LEADERSHIP,
    )
    cadre_move(
        cadre,
        actor=personas.admin,
        move=MoveType.PROMOTED,
        on=dt.date(2019, 9, 1),
        unit=world.township_a1,
        title="党委书记",
        rank=Rank.SECTION_CHIEF,
    )
    cadre.refresh_from_db()
    return cadre


def history(cadre: Cadre) -> list[tuple]:
    return list(
        PositionRecord.objects.filter(cadre=cadre)
        .order_by("start_date")
        .values_list("start_date", "end_date", "unit_id", "unit_name", "title")
    )


# ---- access ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["cadres:lrmx-export", "cadres:appointment-form"])
def test_cadre_pages_outsider_gets_404(client, world, personas, name):
    login(client, personas.outsider)
    assert client.get(reverse(name, args=[world.cadre_a1.pk])).status_code == 404
    login(client, personas.clerk_a)  # sees 张三 only
    assert client.get(reverse(name, args=[world.cadre_b1.pk])).status_code == 404
    assert client.get(reverse(name, args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="cadre.").exists()


@pytest.mark.django_db
def test_import_page_outsider_and_reader_get_404(client, world, personas):
    for user in (personas.outsider, personas.auditor, personas.cadre_a1):
        login(client, user)
        assert client.get(reverse("cadres:lrmx-import")).status_code == 404
        response = client.post(reverse("cadres:lrmx-import"), import_form(world, lrmx()))
        assert response.status_code == 404
    assert Cadre.objects.count() == 3


@pytest.mark.django_db
def test_export_zip_with_one_invisible_cadre_gets_404(client, world, personas):
    assign_perm("cadres.reveal_national_id", personas.clerk_a)
    login(client, personas.clerk_a)
    ids = f"{world.cadre_a1.pk},{world.cadre_b1.pk}"
    assert client.get(reverse("cadres:lrmx-export-zip"), {"ids": ids}).status_code == 404
    assert client.get(reverse("cadres:lrmx-export-zip"), {"ids": "1,x"}).status_code == 404
    assert client.get(reverse("cadres:lrmx-export-zip")).status_code == 404


# ---- export ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_by_a_clerk_without_reveal_right_masks_the_id_and_says_so(client, world, personas):
    cadre = world.cadre_a1
    login(client, personas.clerk_a)
    response = client.get(reverse("cadres:lrmx-export", args=[cadre.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%BC%A0%E4%B8%89_"
        f"{cadre.pk}%EF%BC%88%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7%E5%B7%B2%E9%81%AE%E8%94%BD"
        "%EF%BC%89.lrmx"
    )
    text = response.content.decode()
    assert "<!-- 身份证号已遮蔽：导出人无权查看完整身份证号，此文件不能用于导入。 -->" in text
    assert cadre.national_id not in text
    assert parse_lrmx(response.content)["ShenFenZheng"] == cadre.masked_national_id
    event = AuditEvent.objects.get(action="cadre.lrmx.export")
    assert (event.actor, event.object_id, event.after) == (
        personas.clerk_a,
        str(cadre.pk),
        {"format": "lrmx", "national_id": "masked"},
    )


@pytest.mark.django_db
def test_export_with_object_permission_downloads_and_audits(client, world, personas):
    cadre = world.cadre_a1
    assign_perm("cadres.reveal_national_id", personas.clerk_a, cadre)
    login(client, personas.clerk_a)
    response = client.get(reverse("cadres:lrmx-export", args=[cadre.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''%E5%BC%A0%E4%B8%89_{cadre.pk}.lrmx"
    )
    person = parse_lrmx(response.content)
    assert (person["XingMing"], person["ShenFenZheng"], person["XianRenZhiWu"]) == (
        "张三",
        cadre.national_id,
        "甲县城关镇科员",
    )
    event = AuditEvent.objects.get(action="cadre.lrmx.export")
    assert (event.actor, event.object_id, event.authority_id, event.after) == (
        personas.clerk_a,
        str(cadre.pk),
        world.county_a_org.pk,
        {"format": "lrmx", "national_id": "full"},
    )


@pytest.mark.django_db
def test_export_zip_masks_only_the_ids_the_reader_may_not_reveal(client, world, personas):
    assign_perm("cadres.reveal_national_id", personas.discipline, world.cadre_a1)
    login(client, personas.discipline)
    ids = [world.cadre_a1.pk, world.cadre_b1.pk]
    response = client.post(reverse("cadres:lrmx-export-zip"), {"ids": ids})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    a1, b1 = world.cadre_a1, world.cadre_b1
    assert [(i.filename, bool(i.flag_bits & 0x800)) for i in archive.infolist()] == [
        (f"张三_{a1.pk}.lrmx", True),
        (f"李四_{b1.pk}（身份证号已遮蔽）.lrmx", True),
    ]
    whole = parse_lrmx(archive.read(f"张三_{a1.pk}.lrmx"))
    masked = parse_lrmx(archive.read(f"李四_{b1.pk}（身份证号已遮蔽）.lrmx"))
    assert (whole["ShenFenZheng"], masked["ShenFenZheng"]) == (
        a1.national_id,
        b1.masked_national_id,
    )
    after = dict(
        AuditEvent.objects.filter(action="cadre.lrmx.export").values_list("object_id", "after")
    )
    assert after == {
        str(a1.pk): {"format": "lrmx", "national_id": "full", "batch": 2},
        str(b1.pk): {"format": "lrmx", "national_id": "masked", "batch": 2},
    }


def _zip_names(content: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(content)).namelist())


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [2, 6])
def test_export_zip_constant_queries(client, world, personas, django_assert_num_queries, extra):
    cadres = [world.cadre_a1] + [CadreFactory(unit=world.township_a1) for _ in range(extra)]
    for cadre in cadres:
        assign_perm("cadres.reveal_national_id", personas.clerk_a, cadre)
        PositionRecord.objects.create(
            cadre=cadre,
            start_date=dt.date(2018, 7, 1),
            unit=world.township_a1,
            unit_name="甲县城关镇",
            title="科员",
            move=MoveType.APPOINTED,
        )
    matter = AccountabilityMatter.objects.create(
        title="资金拨付偏差", description="拨付偏差。", occurred_on=dt.date(2025, 3, 10),
        action="诫勉", action_by="县纪委监委",
    )  # fmt: skip
    matter.cadres.set(cadres)
    login(client, personas.clerk_a)
    ids = ",".join(str(c.pk) for c in cadres)
    client.get(reverse("cadres:lrmx-export-zip"), {"ids": ids})  # warm the content-type cache
    # 12th: the authorities covering the cadres (audit); 13th: family members;
    # 14th, 15th: the grades and commendations the export fills in; 16th-18th: the
    # accountability matters, their tolerance conclusions and clarifications (奖惩情况)
    with django_assert_num_queries(18):
        response = client.get(reverse("cadres:lrmx-export-zip"), {"ids": ids})
    assert response.status_code == 200
    assert _zip_names(response.content) == sorted(f"{c.name}_{c.pk}.lrmx" for c in cadres)
    exports = AuditEvent.objects.filter(action="cadre.lrmx.export")
    assert exports.count() == 2 * len(cadres)
    assert set(exports.values_list("authority_id", flat=True)) == {world.county_a_org.pk}


# ---- import ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_round_trip_export_delete_import_gives_the_same_cadre(client, world, personas):
    cadre = cadre_with_history(world, personas)
    before = {f: getattr(cadre, f) for f in FIELDS}
    before_history = history(cadre)
    assert len(before_history) == 3
    login(client, personas.admin)
    exported = client.get(reverse("cadres:lrmx-export", args=[cadre.pk])).content
    cadre.delete()
    page = run(english(client), import_form(world, exported, "赵䶮.lrmx", rank=Rank.SECTION_CHIEF))
    assert page.context["counts"] == [
        ("created", "Cadres added", 1), ("updated", "Cadres updated", 0)
    ]
    again = Cadre.objects.get(national_id=before["national_id"])
    assert {f: getattr(again, f) for f in FIELDS} == before
    assert history(again) == before_history


@pytest.mark.django_db
def test_import_zip_success_message(client, world, personas):
    login(client, personas.clerk_a)
    data = make_zip({"一/孙八.lrmx": lrmx("孙八"), "二/周九.lrmx": lrmx("周九")})
    page = run(english(client), import_form(world, data))
    assert page.context["counts"] == [
        ("created", "Cadres added", 2), ("updated", "Cadres updated", 0)
    ]
    assert [row[:2] for row in page.context["details"]] == [
        ["一/孙八.lrmx", "孙八"], ["二/周九.lrmx", "周九"]
    ]
    assert sorted(
        Cadre.objects.filter(unit=world.township_a1).values_list("name", flat=True)
    ) == sorted(["孙八", "周九", "张三"])
    assert AuditEvent.objects.filter(action="cadre.lrmx.import").count() == 2


@pytest.mark.django_db
def test_import_zip_with_errors_lists_them_and_writes_nothing(client, world, personas):
    login(client, personas.clerk_a)
    data = make_zip(
        {
            "孙八.lrmx": lrmx("孙八"),
            "坏.lrmx": b"<Workbook/>",
            "照片.lrmx": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        }
    )
    page = run(english(client), import_form(world, data))
    assert by_file(page) == [
        (
            "坏.lrmx",
            [
                "The XML root element is <Workbook>, not <Person>: this is not an .lrmx "
                "appointment form."
            ],
        ),
        ("照片.lrmx", ["The file is a PNG file (image/png), not an .lrmx form."]),
    ]
    assert "Nothing was imported: 2 problems." in page.content.decode()
    assert Cadre.objects.count() == 3
    report = client.get(reverse("imports:report", args=[page.context["job"].pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.values)
    assert rows[:3] == [
        ("File: forms.zip", None, None, None),
        ("File", "Cadre", "National ID number", "Problem"),
        (
            "坏.lrmx", None, None,
            "The XML root element is <Workbook>, not <Person>: this is not an .lrmx "
            "appointment form.",
        ),
    ]


@pytest.mark.django_db
def test_import_zip_traversal_refused_on_the_form(client, world, personas):
    login(client, personas.clerk_a)
    data = make_zip({"../x.lrmx": lrmx()})
    response = upload(english(client), import_form(world, data))
    assert response.context["form"].errors == {
        "file": ["The zip archive holds an unsafe path: ../x.lrmx"]
    }
    assert Cadre.objects.count() == 3


@pytest.mark.django_db
def test_import_unit_outside_rights_is_a_form_error(client, world, personas):
    login(client, personas.hr_a1)
    response = english(client).post(
        reverse("cadres:lrmx-import"), import_form(world, lrmx(), unit=world.county_b.pk)
    )
    assert "unit" in response.context["form"].errors
    assert Cadre.objects.count() == 3


# ---- appointment form --------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return poppler_text(content, layout=True)


@pytest.mark.django_db
def test_appointment_form_pdf_masks_id_for_readers(client, world, personas):
    cadre = cadre_with_history(world, personas)
    login(client, personas.auditor)  # auditor of county A: may see, may not reveal
    response = client.get(reverse("cadres:appointment-form", args=[cadre.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "干部任免审批表" in text
    assert "赵䶮" in text
    assert cadre.masked_national_id in text
    assert cadre.national_id not in text
    assert "2019.09--" in text and "甲县城关镇党委书记" in text
    event = AuditEvent.objects.get(action="cadre.appointment_form.view")
    assert (event.actor, event.object_id, event.authority_id, event.after) == (
        personas.auditor,
        str(cadre.pk),
        world.county_a_org.pk,
        {"national_id": "masked"},
    )


@pytest.mark.django_db
def test_appointment_form_pdf_full_id_for_permitted(client, world, personas):
    cadre = cadre_with_history(world, personas)
    login(client, personas.admin)
    response = client.get(reverse("cadres:appointment-form", args=[cadre.pk]))
    assert cadre.national_id in pdf_text(response.content)
    assert AuditEvent.objects.get(action="cadre.appointment_form.view").after == {
        "national_id": "full"
    }


# ---- bounds (issue 18) ---------------------------------------------------------------------


def _long_resume(lines: int) -> str:
    """``lines`` closed posts two a month from 1900 on, then the post still held."""
    rows = []
    for number in range(lines - 1):
        year, month = 1900 + number // 24, number // 2 % 12 + 1
        rows.append(f"{year}.{month:02d}--{year}.{month:02d}  甲县城关镇科员{number}")
    rows.append("2016.05--         甲县城关镇副镇长")
    return "\n".join(rows)


@pytest.mark.django_db
def test_import_resume_of_200000_lines_refused_in_chinese_nothing_written(
    client, world, personas
):
    login(client, personas.clerk_a)
    data = lrmx("孙八", resume=_long_resume(200_000))
    assert 6_000_000 < len(data) < settings.UPLOAD_MAX_BYTES
    before = PositionRecord.objects.count()
    response = upload(client, import_form(world, data, "孙八.lrmx"))
    assert response.context["form"].errors == {
        "file": ["简历有 200000 行，超过允许的 2000 行，未导入任何内容。"]
    }
    assert not Cadre.objects.filter(name="孙八").exists()
    assert PositionRecord.objects.count() == before
    assert not AuditEvent.objects.filter(action="cadre.lrmx.import").exists()


@pytest.mark.django_db
def test_import_family_beyond_the_bound_refused_in_chinese(client, world, personas, settings):
    settings.LRMX_MAX_FAMILY_MEMBERS = 3
    login(client, personas.clerk_a)
    person = parse_lrmx(lrmx("孙八"))
    person.family = [{"ChengWei": "子", "XingMing": f"孙{n}"} for n in range(4)]
    from cadres.lrmx.build import person_to_xml

    data = person_to_xml(person)
    response = upload(client, import_form(world, data, "孙八.lrmx"))
    assert response.context["form"].errors == {
        "file": ["表中家庭主要成员及重要社会关系超过 3 人，未导入任何内容。"]
    }
    assert not Cadre.objects.filter(name="孙八").exists()


@pytest.mark.django_db
def test_import_resume_of_2000_lines_imports_and_renders_within_bounds(
    client, world, personas, settings
):
    login(client, personas.clerk_a)
    data = lrmx("孙八", resume=_long_resume(2000))
    page = run(client, import_form(world, data, "孙八.lrmx"))
    assert page.context["counts"] == [("created", "新增干部", 1), ("updated", "更新干部", 0)]
    cadre = Cadre.objects.get(name="孙八")
    assert cadre.positions.count() == 2000

    page = client.get(reverse("cadres:detail", args=[cadre.pk]))
    assert len(page.context["positions"]) == settings.CADRE_HISTORY_PAGE_SIZE == 50
    html = page.content.decode()
    assert ">科员0</span>" in html
    assert ">科员50</span>" not in html
    assert len(html) < 200_000
    following = client.get(
        reverse("cadres:detail", args=[cadre.pk]), {"cursor": page.context["page"].next_cursor}
    )
    assert ">科员50</span>" in following.content.decode()

    settings.PDF_RENDER_ISOLATED = True
    pdf = client.get(reverse("cadres:appointment-form", args=[cadre.pk]))
    assert pdf.status_code == 200
    text = "".join(poppler_text(pdf.content).split())
    assert "（此前1972条经历从略，详见干部档案）" in text
    assert "甲县城关镇副镇长" in text
    assert "甲县城关镇科员1998" in text
    assert "甲县城关镇科员1970" not in text


@pytest.mark.django_db
def test_zip_export_names_read_back_by_the_importer(client, world, personas):
    """The UTF-8 flag is set, so the importer (which reads unflagged names as GBK) keeps
    the Chinese names as written."""
    from cadres.lrmx.importing import files_from_upload

    assign_perm("cadres.reveal_national_id", personas.clerk_a, world.cadre_a1)
    login(client, personas.clerk_a)
    response = client.get(reverse("cadres:lrmx-export-zip"), {"ids": str(world.cadre_a1.pk)})
    [member] = files_from_upload("export.zip", response.content)
    assert member.name == f"张三_{world.cadre_a1.pk}.lrmx"
    # Any unzip tool reads the name right: the Unicode path flag (bit 11) is set, so the
    # Chinese name is not taken for GBK or CP437.
    [info] = zipfile.ZipFile(io.BytesIO(response.content)).infolist()
    assert (info.flag_bits & 0x800, info.filename) == (0x800, f"张三_{world.cadre_a1.pk}.lrmx")



# ---- the full form, both ways (issue 19) ---------------------------------------------------


def tiny_png() -> bytes:
    """A valid 1×1 PNG, made here (no image library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x20\x20")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b""
    )


FULL_FORM = {
    "ChuShengDi": "山东济南",
    "JianKangZhuangKuang": "健康",
    "ZhuanYeJiShuZhiWu": "经济师",
    "ShuXiZhuanYeYouHeZhuanChang": "农村经济",
    "QuanRiZhiJiaoYu_XueLi": "大学",
    "QuanRiZhiJiaoYu_XueWei": "法学学士",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "山东大学法学院法学专业",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "山东大学",
    "ZaiZhiJiaoYu_XueLi": "研究生",
    "ZaiZhiJiaoYu_XueWei": "公共管理硕士",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "中共山东省委党校经济管理专业",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "山东大学",
    "NiRenZhiWu": "甲县城关镇党委书记",
    "NiMianZhiWu": "甲县城关镇副镇长",
    "RenMianLiYou": "工作需要",
    "ChengBaoDanWei": "中共甲县县委组织部",
    "JiSuanNianLingShiJian": "20261201",
    "TianBiaoRen": "王填表",
}
FAMILY = [
    {"ChengWei": "妻子", "XingMing": "李梅", "ChuShengRiQi": "198601",
     "ZhengZhiMianMao": "中共党员", "GongZuoDanWeiJiZhiWu": "甲县第一中学教师"},
    {"ChengWei": "儿子", "XingMing": "孙小八", "ChuShengRiQi": "201203",
     "ZhengZhiMianMao": "群众", "GongZuoDanWeiJiZhiWu": "甲县实验小学学生"},
]  # fmt: skip


def full_form_file(**extra) -> bytes:
    import base64

    from cadres.lrmx.build import person_to_xml

    fields = {
        "ZhaoPian": base64.b64encode(tiny_png()).decode(),
        "JiangChengQingKuang": "2019.12 甲县县委嘉奖",
        "NianDuKaoHeJieGuo": "2023年度：优秀。",
        **FULL_FORM,
        **extra,
    }
    person = parse_lrmx(lrmx("孙八", **fields))
    person.family = [dict(m) for m in FAMILY]
    return person_to_xml(person)


@pytest.fixture
def photo_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.mark.django_db
def test_full_form_round_trip_field_by_field_and_same_file(client, world, personas, photo_media):
    import base64

    from assessments.models import AnnualAssessment
    from cadres.models import CadreDossier, FamilyMember

    login(client, personas.admin)
    original = parse_lrmx(full_form_file())
    [summary] = brought(run(client, import_form(world, full_form_file(), "孙八.lrmx")))
    assert summary["left"] == []
    assert "家庭主要成员及重要社会关系" in summary["set"] and "照片" in summary["set"]
    cadre = Cadre.objects.get(name="孙八")
    dossier = CadreDossier.objects.get(cadre=cadre)
    assert (dossier.birthplace, dossier.in_service_degree, dossier.proposed_post) == (
        "山东济南",
        "公共管理硕士",
        "甲县城关镇党委书记",
    )
    with dossier.photo.open("rb") as handle:
        assert handle.read() == tiny_png()
    assert list(FamilyMember.objects.filter(cadre=cadre).values_list("relation", "name")) == [
        ("妻子", "李梅"),
        ("儿子", "孙小八"),
    ]
    for year, grade in ((2022, "competent"), (2023, "excellent")):
        AnnualAssessment.objects.create(cadre=cadre, year=year, unit=cadre.unit, grade=grade)

    first = client.get(reverse("cadres:lrmx-export", args=[cadre.pk])).content
    exported = parse_lrmx(first)
    for tag, value in FULL_FORM.items():
        assert exported[tag] == value, tag
    assert exported.family == FAMILY
    assert base64.b64decode(exported["ZhaoPian"]) == tiny_png()
    assert exported["NianDuKaoHeJieGuo"] == "2022年度：称职；2023年度：优秀。"  # from the grades
    assert exported["JiangChengQingKuang"] == original["JiangChengQingKuang"]  # no records

    AnnualAssessment.objects.filter(cadre=cadre).delete()
    cadre.delete()  # an empty instance for this cadre
    assert brought(run(client, import_form(world, first, "孙八.lrmx")))
    again = Cadre.objects.get(name="孙八")
    second = client.get(reverse("cadres:lrmx-export", args=[again.pk])).content
    assert second == first


@pytest.mark.django_db
def test_import_report_lists_left_elements_and_those_not_kept(client, world, personas, photo_media):
    login(client, personas.clerk_a)
    data = lrmx("孙八", JiGuan="").replace(b"</Person>", "<Beizhu>备注</Beizhu></Person>".encode())
    page = run(client, import_form(world, data, "孙八.lrmx"))
    [summary] = brought(page)
    assert "籍贯" in summary["left"] and "照片" in summary["left"]
    assert summary["dropped"] == ["Beizhu"]
    assert "籍贯" in page.content.decode()


@pytest.mark.django_db
def test_import_photo_checked_by_content(client, world, personas, photo_media):
    import base64

    login(client, personas.clerk_a)
    data = full_form_file(ZhaoPian=base64.b64encode(b"MZ\x90\x00 not an image").decode())
    page = run(client, import_form(world, data, "孙八.lrmx"))
    assert by_file(page) == [("孙八.lrmx", ["照片不是 JPEG、PNG、BMP 或 GIF 图像。"])]
    assert not Cadre.objects.filter(name="孙八").exists()


@pytest.mark.django_db
def test_cadre_page_shows_family_and_photo_to_who_may_see_the_cadre(
    client, world, personas, photo_media
):
    login(client, personas.admin)
    run(client, import_form(world, full_form_file(), "孙八.lrmx"))
    cadre = Cadre.objects.get(name="孙八")
    login(client, personas.clerk_a)
    page = client.get(reverse("cadres:detail", args=[cadre.pk])).content.decode()
    assert "家庭主要成员及重要社会关系" in page
    assert "<td>妻子</td><td>李梅</td><td>198601</td><td>中共党员</td>" in page
    photo = client.get(reverse("cadres:photo", args=[cadre.pk]))
    assert (photo.status_code, photo["Content-Type"], photo.content) == (
        200,
        "image/png",
        tiny_png(),
    )
    login(client, personas.outsider)
    assert client.get(reverse("cadres:photo", args=[cadre.pk])).status_code == 404


@pytest.mark.django_db
def test_appointment_form_prints_photo_family_grades_and_rewards(
    client, world, personas, photo_media, settings
):
    import os
    from pathlib import Path

    from assessments.models import AnnualAssessment

    login(client, personas.admin)
    run(client, import_form(world, full_form_file(), "孙八.lrmx"))
    cadre = Cadre.objects.get(name="孙八")
    for year, grade in ((2022, "competent"), (2023, "excellent")):
        AnnualAssessment.objects.create(cadre=cadre, year=year, unit=cadre.unit, grade=grade)
    pdf = client.get(reverse("cadres:appointment-form", args=[cadre.pk])).content
    if os.environ.get("DOCS_SHOTS"):
        Path(os.environ["DOCS_SHOTS"], "appointment_form.pdf").write_bytes(pdf)
    text = "".join(poppler_text(pdf).split())
    for fragment in (
        "山东济南",
        "公共管理硕士",
        "甲县城关镇党委书记",
        "2022年度：称职；2023年度：优秀。",
        "2019.12甲县县委嘉奖",
        "李梅",
        "甲县实验小学学生",
        "中共甲县县委组织部",
    ):
        assert fragment in text, fragment
    images = subprocess.run(  # noqa: S603
        ["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True  # noqa: S607
    ).stdout.decode()
    assert len(images.splitlines()) == 3  # two header lines and the photo
    # On the official documents' base: their faces (title 小标宋 stand-in, entries 仿宋, labels
    # 宋), its own page (two sides, no page numbers).
    assert {"Cadre-FangSong", "Cadre-Title-Song", "Cadre-Serif"} <= set(pdf_fonts(pdf))
    assert page_count(pdf) == 2
    assert "—1—" not in text
