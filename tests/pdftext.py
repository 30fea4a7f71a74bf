"""The text of a PDF, through poppler's pdftotext (installed by scripts/_common.sh; a test
that needs it fails when it is missing, it is never skipped)."""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import tempfile
from pathlib import Path


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(  # noqa: S603  (a fixed command on bytes the test made)
        command, input=content, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def flat_text(content: bytes) -> str:
    """The text without any whitespace (CJK lines wrap anywhere)."""
    return "".join(pdf_text(content).split())


def words(content: bytes) -> list[tuple[int, str, float, float]]:
    """(page, word, x of its left edge, y of its top) for every word, through pdftotext -bbox."""
    result = subprocess.run(  # noqa: S603  (a fixed command on bytes the test made)
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    )
    found = []
    page = 0
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>')
    for line in result.stdout.decode().splitlines():
        if "<page " in line:
            page += 1
        match = pattern.search(line)
        if match:
            found.append((page, html.unescape(match[3]), float(match[1]), float(match[2])))
    return found


def page_count(content: bytes) -> int:
    result = subprocess.run(  # noqa: S603
        ["pdfinfo", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return int(re.search(r"^Pages:\s+(\d+)", result.stdout.decode(), re.M)[1])


def fonts(content: bytes) -> list[str]:
    """Embedded font names without the subset prefix (ABCDEF+), through pdffonts."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        out = subprocess.run(  # noqa: S603
            ["pdffonts", handle.name],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
            timeout=60,
        ).stdout
    return sorted({line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:]})


MM = 72 / 25.4  # PDF points per millimetre
TYPE_TOP = 37 * MM  # GB/T 9704 type area: 37 mm from the top edge, 225 mm high
TYPE_BOTTOM = (37 + 225) * MM


def lowest_line(content: bytes, page: int) -> str:
    """The text of the lowest line inside the type area of ``page``."""
    inside = [(y, x, text) for p, text, x, y in words(content) if p == page and y < TYPE_BOTTOM]
    lowest = max(y for y, _x, _text in inside)
    return "".join(text for y, _x, text in sorted(inside) if y == lowest)


def page_number_xs(content: bytes) -> dict[int, float]:
    """Page → x of the "—" left of its "— N —" number."""
    found = words(content)
    numbers = {}
    for index, (page, text, x, _y) in enumerate(found[:-2]):
        if text == "—" and found[index + 1][1] == str(page) and found[index + 2][1] == "—":
            numbers[page] = x
    return numbers


def assert_official(content: bytes, *, letter: bool = False) -> None:
    """What every official document shares (templates/pdf/official.html, GB/T 9704): body
    in 仿宋 and title in the 小标宋 stand-in; a 文件格式 document ends its last page with the
    版记 (印发机关 and 印发日期 on the type area's last line); page numbers on the outer
    side (odd pages right of even ones). ``DOCS_SHOTS=DIR`` also writes the PDF to DIR
    under its title, for looking at it."""
    shots = os.environ.get("DOCS_SHOTS")
    if shots:
        name = hashlib.sha256(content).hexdigest()[:8]
        Path(shots, f"official-{name}.pdf").write_bytes(content)
    embedded = fonts(content)
    assert "Cadre-FangSong" in embedded and "Cadre-Title-Song" in embedded, embedded
    pages = page_count(content)
    if not letter:
        assert lowest_line(content, pages).endswith("印发")
    xs = page_number_xs(content)
    for page, x in xs.items():
        if page % 2 == 0:
            assert x < 150, (page, x)  # left, one character in from the type area
        else:
            assert x > 400, (page, x)  # right
