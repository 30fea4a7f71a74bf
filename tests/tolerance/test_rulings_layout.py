"""The official documents as GB/T 9704-2012 lays them out, checked on the rendered PDFs
with poppler (pdffonts, pdftotext -bbox, pdfinfo): faces, length, 版记, page numbers.

``DOCS_SHOTS=DIR`` also writes each PDF to DIR (for looking at it with pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from core.documents import read_document
from core.models import IssuedDocument
from tests.pdftext import flat_text, fonts, page_count, words
from tests.seal_png import png
from tolerance import rulings
from tolerance.enums import StartedBy

MM = 72 / 25.4  # PDF points per millimetre
PAGE_WIDTH = 210 * MM
TYPE_TOP = 37 * MM  # the type area: 37 mm from the top, 225 mm high
TYPE_BOTTOM = (37 + 225) * MM


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def content_of(kind: str, name: str = "") -> bytes:
    document = IssuedDocument.objects.filter(kind=kind).order_by("pk").first()
    content = read_document(document)
    if os.environ.get("DOCS_SHOTS"):
        Path(os.environ["DOCS_SHOTS"], f"{name or kind}.pdf").write_bytes(content)
    return content


def page_numbers(content: bytes) -> dict[int, float]:
    """Page → x of the "—" left of its number, for the "— N —" lines."""
    found = words(content)
    numbers = {}
    for index, (page, text, x, _y) in enumerate(found[:-2]):
        if text == "—" and found[index + 1][1] == str(page) and found[index + 2][1] == "—":
            numbers[page] = x
    return numbers


@pytest.fixture
def decided(flow, staff, world):
    return flow.decided(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1])


@pytest.mark.django_db
def test_ruling_faces_are_fangsong_body_song_title_hei_and_kai_headings(decided):
    embedded = fonts(content_of("tolerance_ruling", "ruling"))
    assert "Cadre-FangSong" in embedded  # body: 3号仿宋
    assert "Cadre-Title-Song" in embedded  # masthead and title: the 小标宋 stand-in
    assert "Cadre-Kai" in embedded  # second-level headings: 楷体
    assert "Cadre-Sans" in embedded  # first-level headings: 黑体


@pytest.mark.django_db
def test_ruling_banji_on_the_last_page(decided, world):
    content = content_of("tolerance_ruling", "ruling")
    pages = page_count(content)
    last_page_words = [text for page, text, _x, _y in words(content) if page == pages]
    last = "".join(last_page_words)
    assert f"抄送：{world.township_a1.name}。" in last
    assert "印发" in last
    # The 版记 ends the type area: its 印发 line is the lowest text above the page number,
    # its bottom rule on the type area's bottom edge (the line's top 18 pt above it).
    inside = [
        (y, x, text) for page, text, x, y in words(content) if page == pages and y < TYPE_BOTTOM
    ]
    lowest = max(y for y, _x, _text in inside)
    assert "".join(text for y, _x, text in sorted(inside) if y == lowest).endswith("印发")
    assert TYPE_BOTTOM - 24 < lowest < TYPE_BOTTOM - 14


def body_lines(content: bytes) -> dict[int, list[float]]:
    """Page → the y of each line of text inside the type area."""
    lines: dict[int, set[float]] = {}
    for page, _text, _x, y in words(content):
        if TYPE_TOP - 2 < y < TYPE_BOTTOM:
            lines.setdefault(page, set()).add(round(y))
    return {page: sorted(ys) for page, ys in lines.items()}


@pytest.mark.django_db
def test_typical_one_cadre_ruling_fits_two_full_pages(decided):
    """Every clause of an exemption cited (the longest usual ruling), with the seal's room:
    two pages, the first filled (a heading keeps only its first two lines with it, so at
    most three lines stay free, never half a page)."""
    content = content_of("tolerance_ruling", "ruling")
    assert page_count(content) == 2
    # 发文机关标志: its top edge 35 mm below the top of the type area (GB/T 9704 7.2.1)
    masthead_top = next(y for _p, text, _x, y in words(content) if text == "中共甲县县委组织部")
    assert TYPE_TOP + 35 * MM - 1 < masthead_top < TYPE_TOP + 35 * MM + 5
    first_page = body_lines(content)[1]
    assert first_page[-1] > TYPE_BOTTOM - 3 * 28.9
    # "— 1 —": 4号, its box's top 8 pt under the type area, which puts the dashes' ink 7 mm
    # below it (measured on the 144 dpi image)
    dashes = [(y, x) for page, text, x, y in words(content) if page == 1 and text == "—"]
    assert [round(y - TYPE_BOTTOM) for y, _x in dashes] == [8, 8]


@pytest.mark.django_db
def test_acceptance_notice_fits_one_page_in_the_letter_format(decided, world):
    content = content_of("acceptance_notice")
    assert page_count(content) == 1
    assert "核验。）" in flat_text(content)  # the verification line, in the bottom margin
    first_page = "".join(text for page, text, _x, _y in words(content) if page == 1)
    assert "特此通知。中共甲县县委组织部" in first_page
    [addressee] = [x for page, text, x, _y in words(content) if text == "甲县城关镇："]
    assert abs(addressee - 28 * MM) < 1  # 主送机关 flush left in the type area
    assert first_page.startswith("中共甲县县委组织部甲组容受〔")


@pytest.mark.django_db
def test_page_numbers_on_the_outer_side(flow, staff, world):
    """Odd pages right, even pages left, one character in from the type area's edge."""
    case = flow.decided(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1])
    entry = case.entries.get()
    entry.outcome_reason = "经调查核实，" + "该同志在推进工作中担当作为、敢于负责。" * 120
    entry.save(update_fields=["outcome_reason"])
    _name, _type, content = rulings.render_document(
        "tolerance_ruling", rulings.ruling_context(case, entry), "（预览）", dt.date(2026, 12, 1)
    )
    numbers = page_numbers(content)
    assert sorted(numbers) == list(range(1, page_count(content) + 1))
    assert len(numbers) >= 2
    right_edge = PAGE_WIDTH - 26 * MM
    left_edge = 28 * MM
    for page, x in numbers.items():
        if page % 2:
            assert right_edge - 75 < x < right_edge - 40  # "— 1 —" ends one 14 pt em in
        else:
            assert left_edge + 13 < x < left_edge + 15  # starts one 14 pt em in


def image_rows(content: bytes) -> list[list[str]]:
    """pdfimages -list rows: page, num, type, width, height, ..., x-ppi, y-ppi, ..."""
    out = subprocess.run(  # noqa: S603
        ["pdfimages", "-list", "-"], input=content, capture_output=True, check=True  # noqa: S607
    ).stdout.decode()
    return [line.split() for line in out.splitlines()[2:]]


@pytest.mark.django_db
def test_electronic_seal_printed_42mm_over_the_signature_of_the_last_page(flow, staff, world):
    world.county_a_org.seal.save("seal.png", ContentFile(png(240, 240)), save=True)
    flow.decided(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1])
    content = content_of("tolerance_ruling", "ruling-sealed")
    pages = page_count(content)
    assert pages == 2  # the seal's room is kept with or without the image
    rows = image_rows(content)
    assert [(row[0], row[2], row[3]) for row in rows] == [
        (str(pages), "image", "240"),
        (str(pages), "smask", "240"),  # the transparency is kept
    ]
    assert rows[0][12] == "145"  # 240 px over 42 mm
    last = "".join(text for page, text, _x, _y in words(content) if page == pages)
    assert "中共甲县县委组织部" in last
    notice = content_of("acceptance_notice", "acceptance-sealed")  # 信函格式: one page still
    assert (page_count(notice), [row[0] for row in image_rows(notice)]) == (1, ["1", "1"])


@pytest.mark.django_db
def test_no_seal_on_a_draft_and_none_without_an_upload(world):
    from django.template.loader import render_to_string

    authority = world.county_a_org
    context = {
        "authority": authority, "letterhead_size": 30, "number": "（草稿）", "title": "决定书",
        "issued_on": dt.date(2026, 12, 1),
    }  # fmt: skip
    assert 'class="seal"' not in render_to_string("pdf/official.html", context)
    authority.seal.save("seal.png", ContentFile(png(240, 240)), save=True)
    assert 'class="seal"' in render_to_string("pdf/official.html", context)
    draft = render_to_string("pdf/official.html", {**context, "pdf_draft": True})
    assert 'class="seal"' not in draft
