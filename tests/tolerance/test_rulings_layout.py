"""The official documents as GB/T 9704-2012 lays them out, checked on the rendered PDFs
with poppler (pdffonts, pdftotext -bbox, pdfinfo): faces, length, 版记, page numbers.

``DOCS_SHOTS=DIR`` also writes each PDF to DIR (for looking at it with pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from core.documents import read_document
from core.models import IssuedDocument
from tests.pdftext import flat_text, fonts, page_count, words
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
    """Every clause of an exemption cited (the longest usual ruling): two pages, the first
    filled to its last line (a heading keeps only its first lines, not its section)."""
    content = content_of("tolerance_ruling", "ruling")
    assert page_count(content) == 2
    first_page = body_lines(content)[1]
    assert first_page[-1] > TYPE_BOTTOM - 2 * 26  # the last line of the type area is used


@pytest.mark.django_db
def test_acceptance_notice_fits_one_page_in_the_letter_format(decided, world):
    content = content_of("acceptance_notice")
    assert page_count(content) == 1
    assert "核验。）" in flat_text(content)  # the verification line, in the bottom margin
    first_page = "".join(text for page, text, _x, _y in words(content) if page == 1)
    assert "特此通知。中共甲县县委组织部" in first_page
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
