"""The text of a PDF, through poppler's pdftotext (installed by scripts/_common.sh; a test
that needs it fails when it is missing, it is never skipped)."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile


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
