"""Roster pages: upload checks, the error report, export, template, access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from guardian.shortcuts import assign_perm
from python_calamine import CalamineWorkbook

from cadres.models import Cadre
from cadres.roster.columns import HEADERS
from core.formatting import mask_id_number
from core.models import AuditEvent, ImportJob, ImportState
from tests.cadres.roster.test_importer import good_row, make_xlsx, row_of
from tests.factories import CadreFactory
from tests.importing import job_of, post_import, private_media, problems  # noqa: F401


def english(client):
    """Choose English as a user does, with set_language's cookie (Accept-Language is ignored)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def login(client, user):
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet_rows(data: bytes, index: int = 0) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(index).to_python(skip_empty_area=False)


def upload(client, data: bytes, name: str = "roster.xlsx"):
    """Upload as a person does; the job runs when the request commits (eager Celery)."""
    return post_import(
        english(client), reverse("cadres:roster-import"), {"file": SimpleUploadedFile(name, data)}
    )


def finished(client, response):
    """The job page the upload led to, once the job ran."""
    return english(client).get(response.url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["roster-import", "roster-export", "roster-template"])
def test_roster_pages_outsider_gets_404(client, world, personas, name):
    login(client, personas.outsider)
    assert client.get(reverse(f"cadres:{name}")).status_code == 404


@pytest.mark.django_db
def test_roster_import_post_by_reader_gets_404_and_writes_nothing(client, world, personas):
    login(client, personas.auditor)
    assert upload(client, make_xlsx([good_row()])).status_code == 404
    assert client.get(reverse("cadres:roster-template")).status_code == 404
    assert Cadre.objects.count() == 3


@pytest.mark.django_db
def test_roster_import_page_shows_form_and_masked_export_note(client, world, personas):
    response = english(login(client, personas.clerk_a)).get(reverse("cadres:roster-import"))
    assert response.status_code == 200
    assert b'name="file"' in response.content
    assert b"A masked export cannot be imported again" in response.content
    units = [label.strip("\u3000") for _pk, label in response.context["export_units"]]
    assert units == ["甲县", "甲县城关镇"]


@pytest.mark.django_db
def test_roster_import_refuses_renamed_non_xlsx(client, world, personas):
    login(client, personas.clerk_a)
    response = upload(client, "姓名,身份证号\n张三,1\n".encode(), name="roster.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The file is not an Excel .xlsx workbook."]}
    assert Cadre.objects.count() == 3
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_roster_import_success_runs_as_a_job_and_shows_counts(client, world, personas):
    login(client, personas.clerk_a)
    response = upload(client, make_xlsx([good_row(), good_row()]), name="名册.xlsx")
    job = job_of(response)
    assert (job.kind, job.filename, job.state, job.requested_by) == (
        "cadres.roster", "名册.xlsx", ImportState.DONE, personas.clerk_a
    )
    assert job.summary["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    page = finished(client, response)
    assert page.context["counts"] == [
        ("created", "Cadres added", 2), ("updated", "Cadres updated", 0),
        ("unchanged", "Unchanged", 0),
    ]
    assert "data-live-wait" not in page.content.decode()
    assert Cadre.objects.count() == 5


@pytest.mark.django_db
def test_roster_import_errors_page_masks_ids_and_offers_report(client, world, personas):
    login(client, personas.clerk_a)
    bad = good_row()
    bad["身份证号"] = bad["身份证号"][:17] + ("1" if bad["身份证号"][17] == "0" else "0")
    elsewhere = good_row({"单位代码": "37010201"})

    response = upload(client, make_xlsx([good_row(), bad, elsewhere]))

    page = finished(client, response)
    assert page.context["error_count"] == 2
    html = page.content.decode()
    assert mask_id_number(bad["身份证号"]) in html
    assert bad["身份证号"] not in html
    assert "Nothing was imported" in html
    job = job_of(response)
    report_url = reverse("imports:report", args=[job.pk])
    assert report_url in html
    report = client.get(report_url)
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet_rows(body(report))[1:] == [
        ["Row", "Column", "Value", "Problem"],
        [
            3.0,
            "身份证号",
            mask_id_number(bad["身份证号"]),
            "The national ID number's check digit is wrong.",
        ],
        [
            4.0,
            "单位代码",
            "37010201",
            "You may not place cadres in this unit with this management level.",
        ],
    ]
    assert Cadre.objects.count() == 3
    # The report is its owner's: another roster manager gets nothing.
    login(client, personas.clerk_city)
    assert client.get(report_url).status_code == 404
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_roster_import_of_an_unreadable_workbook_reports_it(client, world, personas):
    login(client, personas.clerk_a)
    data = make_xlsx([good_row()]).replace(b"xl/worksheets/sheet1.xml", b"xl/worksheets/sheetX.xml")
    response = upload(client, data)
    page = finished(client, response)
    assert problems(page) == ["The workbook cannot be read."]
    assert page.context["errors"] == [[0, "", "", "The workbook cannot be read."]]
    assert ImportJob.objects.get().state == ImportState.DONE


@pytest.mark.django_db
def test_roster_export_writes_visible_cadres_in_import_layout(client, world, personas):
    login(client, personas.admin)
    response = client.get(reverse("cadres:roster-export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(body(response))
    assert tuple(rows[0]) == HEADERS
    # Unit tree order (siblings by code): county B 370102, county A 370124, bureau 3701D01.
    assert [(r[0], r[4]) for r in rows[1:]] == [
        ("李四", world.cadre_b1.national_id),
        ("张三", world.cadre_a1.national_id),
        ("王五", world.cadre_city.national_id),
    ]
    assert rows[3] == [
        "王五",
        "男",
        "汉族",
        dt.date(1980, 5, 17),
        world.cadre_city.national_id,
        "",
        dt.date(2003, 6, 1),
        "",
        "",
        "3701D01",
        "科员",
        "非领导职务",
        "四级主任科员",
        dt.date(2018, 7, 1),
        "市管",
        "在职",
    ]
    assert list(AuditEvent.objects.values_list("action", "after")) == [
        (
            "cadre.roster.export",
            {"count": 3, "unit": None, "level": None, "q": None, "masked": False},
        )
    ]


@pytest.mark.django_db
def test_roster_export_masks_ids_without_global_permission(client, world, personas):
    login(client, personas.clerk_a)
    rows = sheet_rows(body(client.get(reverse("cadres:roster-export"))))
    assert [(r[0], r[4]) for r in rows[1:]] == [
        ("张三", mask_id_number(world.cadre_a1.national_id))
    ]
    assign_perm("cadres.reveal_national_id", personas.clerk_a)
    personas.clerk_a = type(personas.clerk_a).objects.get(pk=personas.clerk_a.pk)
    login(client, personas.clerk_a)
    rows = sheet_rows(body(client.get(reverse("cadres:roster-export"))))
    assert rows[1][4] == world.cadre_a1.national_id


@pytest.mark.django_db
def test_roster_export_of_reader_and_filters(client, world, personas):
    login(client, personas.discipline)
    url = reverse("cadres:roster-export")
    names = lambda query: [r[0] for r in sheet_rows(body(client.get(url, query)))[1:]]  # noqa: E731
    assert names({}) == ["李四", "张三", "王五"]
    assert names({"unit": world.county_a.pk}) == ["张三"]
    assert names({"level": "city"}) == ["王五"]
    assert names({"management_level": "county", "q": "ls"}) == ["李四"]
    assert names({"unit": 999999}) == []


@pytest.mark.django_db
def test_roster_export_round_trip_reimports_unchanged(client, world, personas):
    login(client, personas.admin)
    exported = body(client.get(reverse("cadres:roster-export")))

    response = upload(client, exported, name="export.xlsx")

    assert job_of(response).summary["counts"] == {"created": 0, "updated": 0, "unchanged": 3}
    # One summary row per organization department covering some of the rows; 李四 (a
    # county-managed cadre of 乙区) is covered by none of the world's departments.
    events = AuditEvent.objects.filter(action="cadre.roster.import").order_by("id")
    unchanged = {"created": 0, "updated": 0, "filename": "export.xlsx"}
    unchanged["import"] = events[0].after["import"]
    assert list(events.values_list("authority_id", "after")) == [
        (world.city_org.pk, {**unchanged, "unchanged": 1}),
        (world.county_a_org.pk, {**unchanged, "unchanged": 1}),
        (None, {**unchanged, "unchanged": 1}),
    ]


@pytest.mark.django_db
def test_roster_masked_export_cannot_be_reimported(client, world, personas):
    login(client, personas.clerk_a)
    exported = body(client.get(reverse("cadres:roster-export")))

    page = finished(client, upload(client, exported))

    assert [row[:2] for row in page.context["errors"]] == [[2, "身份证号"]]
    assert "masked" in problems(page)[0]


@pytest.mark.django_db
# admin: session, user, groups, export, audit. clerk_a also: authorities, their root units,
# user and group permissions (may the IDs be shown?). Cadres come in one SELECT.
@pytest.mark.parametrize(("persona", "queries"), [("admin", 5), ("clerk_a", 9)])
def test_roster_export_query_count_is_constant(
    client, world, personas, django_assert_num_queries, persona, queries
):
    login(client, getattr(personas, persona))
    url = reverse("cadres:roster-export")
    client.get(url)  # the session and the user's caches
    with django_assert_num_queries(queries):
        small = sheet_rows(body(client.get(url)))
    CadreFactory.create_batch(25, unit=world.township_a1)
    with django_assert_num_queries(queries):
        large = sheet_rows(body(client.get(url)))
    assert len(large) - len(small) == 25


@pytest.mark.django_db
def test_roster_template_has_headers_and_a_valid_example_row(client, world, personas):
    login(client, personas.clerk_a)
    response = english(client).get(reverse("cadres:roster-template"))
    data = body(response)
    rows = sheet_rows(data)
    assert tuple(rows[0]) == HEADERS
    assert len(rows) == 2
    assert rows[1][:2] == ["张明", "男"]
    assert rows[1][9] == "370124"
    assert sheet_rows(data, 1)[0] == ["Column", "Required", "What to enter"]

    imported = upload(client, data)

    assert job_of(imported).summary["counts"]["created"] == 1
    assert Cadre.objects.filter(name="张明", unit=world.county_a).count() == 1


def test_roster_catalog_translates_every_import_message():
    import polib
    from django.conf import settings
    from django.utils import translation

    from cadres.roster.importer import cell_message
    from core.sheets.cells import CellError

    path = settings.BASE_DIR / "locale/roster/zh_Hans/LC_MESSAGES/django.po"
    catalog = polib.pofile(str(path))
    assert catalog.metadata["Language"] == "zh_Hans"
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    msgids = {entry.msgid for entry in catalog}
    codes = [
        "required",
        "date_format",
        "date_impossible",
        "ethnicity",
        "id_masked",
        "id_number_cell",
    ]
    with translation.override("en"):
        assert {cell_message(CellError(code)) for code in codes} <= msgids
    assert {
        "Unknown value; allowed: %(allowed)s.",
        "Too long: at most %(max)d characters.",
        "The same national ID number is already in row %(row)d.",
    } <= msgids


@pytest.mark.django_db
def test_roster_import_page_lists_each_changed_cadre(client, world, personas):
    login(client, personas.clerk_a)
    data = make_xlsx(
        [row_of(world.cadre_a1, {"职级": "乡科级副职", "任现职级时间": "2021-01-01"})]
    )
    response = upload(client, data)
    page = finished(client, response)
    url = reverse("cadres:detail", args=[world.cadre_a1.pk])
    assert page.context["details"] == [
        [{"text": "张三", "url": url}, "Promotion", "职级、任现职级时间"]
    ]
    text = page.content.decode()
    assert "Existing cadres changed" in text
    assert f'<a href="{url}">张三</a>' in text


@pytest.mark.django_db
def test_roster_import_page_lists_the_user_s_recent_imports_and_no_one_else_s(
    client, world, personas
):
    login(client, personas.clerk_a)
    refused = job_of(upload(client, make_xlsx([good_row({"出生日期": "1980-13-45"})])))
    imported = job_of(upload(client, make_xlsx([good_row()]), name="第二批.xlsx"))
    page = english(client).get(reverse("cadres:roster-import"))
    assert page.context["recent_imports"] == [imported, refused]
    html = page.content.decode()
    assert reverse("imports:job", args=[imported.pk]) in html and "第二批.xlsx" in html
    assert "Nothing imported" in html  # the refused file, at a glance
    login(client, personas.clerk_city)
    assert client.get(reverse("cadres:roster-import")).context["recent_imports"] == []
