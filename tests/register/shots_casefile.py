"""Screenshot of a case file (卷宗) ZIP's manifest: the files, their sections, descriptions,
sizes and SHA-256 sums, as a person opening manifest.csv in a spreadsheet would see them.

Not part of the suite (the file name does not start with test_): run it explicitly,
    .venv/bin/pytest -p no:cacheprovider tests/register/shots_casefile.py
It needs Chromium (/usr/bin/chromium); images go to artifacts/casefile/.
"""

from __future__ import annotations

import csv
import html
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from register.models import ExportJob
from tests.register.support import fast_pdf, media  # noqa: F401 - fixtures
from tests.register.test_casefile import handled  # noqa: F401 - fixture
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "casefile"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.mark.django_db
def test_manifest_screenshot(client, handled, staff, django_capture_on_commit_callbacks):  # noqa: F811
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    client.force_login(staff.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register:case-file", args=[handled.pk]))
    job = ExportJob.objects.get()
    response = client.get(reverse("register:download", args=[job.pk, "zip"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (ARTIFACTS / "case-file.zip").write_bytes(job.archive.open("rb").read())
    rows = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    def cell(text: str, head: bool) -> str:
        tag = "th" if head else "td"
        return f"<{tag}>{html.escape(text)}</{tag}>"

    cells = "".join(
        "<tr>" + "".join(cell(c, i == 0) for c in row) + "</tr>" for i, row in enumerate(rows)
    )
    listing = "<br>".join(html.escape(n) for n in archive.namelist())
    page_html = (
        "<html><head><meta charset='utf-8'><style>body{font:13px 'Noto Sans CJK SC',sans-serif;"
        "margin:16px}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 6px;"
        "font-size:12px;max-width:420px;word-break:break-all}th{background:#eee}</style></head>"
        f"<body><h3>manifest.csv — {html.escape(handled.reference)}</h3><table>{cells}</table>"
        f"<h3>ZIP</h3><p style='font-family:monospace'>{listing}</p></body></html>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_content(page_html)
        page.screenshot(path=str(ARTIFACTS / "case-file-manifest.png"), full_page=True)
        browser.close()
