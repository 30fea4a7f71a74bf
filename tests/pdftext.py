"""The text of a PDF, through poppler's pdftotext (installed by scripts/_common.sh; a test
that needs it fails when it is missing, it is never skipped)."""

from __future__ import annotations

import subprocess


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(  # noqa: S603  (a fixed command on bytes the test made)
        command, input=content, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def flat_text(content: bytes) -> str:
    """The text without any whitespace (CJK lines wrap anywhere)."""
    return "".join(pdf_text(content).split())
