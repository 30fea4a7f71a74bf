"""PDF rendering in a bounded child process (core.pdf_sandbox)."""

from __future__ import annotations

import resource
import time

import pytest

from core.pdf import html_to_pdf
from core.pdf_sandbox import PdfRenderFailed, render_isolated
from tests.pdftext import flat_text


def page(body: str) -> str:
    return f'<!doctype html><html lang="zh-Hans"><body>{body}</body></html>'


def huge_table(rows: int) -> str:
    row = "<tr><td>1998.09--2002.07</td><td>甲县城关镇党委副书记、镇长</td></tr>"
    return page("<table>" + row * rows + "</table>")


def test_isolated_render_gives_the_same_text_as_in_process(settings):
    html = page("<p>干部任免审批表 刘䶮</p>")
    settings.PDF_RENDER_ISOLATED = True
    isolated = html_to_pdf(html)
    settings.PDF_RENDER_ISOLATED = False
    assert isolated.startswith(b"%PDF")
    assert flat_text(isolated) == flat_text(html_to_pdf(html)) == "干部任免审批表刘䶮"


def test_memory_bound_stops_the_child_not_the_parent(settings):
    settings.PDF_RENDER_MEMORY_MB = 200
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(PdfRenderFailed, match="memory bound 200 MB"):
        render_isolated(huge_table(40_000))
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100 * 1024  # the HTML sent, not WeasyPrint's layout


def test_time_bound_kills_the_child(settings):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 2
    started = time.monotonic()
    with pytest.raises(PdfRenderFailed, match="longer than 2 s"):
        render_isolated(huge_table(40_000))
    assert time.monotonic() - started < 10


def test_child_refuses_remote_resources(settings):
    """The child keeps the local-only fetcher: a remote image is not fetched."""
    pdf = render_isolated(page('<p>正文</p><img src="http://169.254.169.254/x.png">'))
    assert flat_text(pdf) == "正文"
