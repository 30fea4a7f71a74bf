"""Screenshots of a clarification case page, the cadre timeline and page 1 of a notice.

Not part of the suite (the file name does not start with test_): run it explicitly,
    .venv/bin/pytest -p no:cacheprovider tests/clarifications/shots_clarifications.py
It needs Chromium (/usr/bin/chromium) and poppler's pdftoppm; images go to artifacts/.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from clarifications import services
from clarifications.documents import clarification_issue_notice
from tolerance.enums import Outcome

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.mark.django_db(transaction=True)
def test_screenshots(live_server, petitions, people, flow, world, media):
    from playwright.sync_api import sync_playwright

    case = flow.decided(outcome=Outcome.LIGHTER)
    clarification = petitions.clarified(matter=case.matter, held_on=dt.date(2026, 4, 1))
    clarification_issue_notice(clarification, actor=people.handler)
    clarification.refresh_from_db()
    document = clarification.document
    services.petition_create(
        actor=people.handler, authority=world.county_a_org, received_on=dt.date(2026, 5, 8),
        channel="online", cadre=world.cadre_a1, allegations="反映其违规发放补贴。",
        anonymous=True,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    case_url = f"/clarifications/{clarification.petition_id}/"
    pages = {
        "clarification-case-handler": (people.handler, case_url),
        "clarification-case-auditor": (people.auditor, case_url),
        "cadre-timeline": (people.cadre, f"/clarifications/cadres/{world.cadre_a1.pk}/timeline/"),
        "clarification-stats": (people.clerk, "/clarifications/stats/"),
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"))
        for name, (user, path) in pages.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(live_server.url + "/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", "pw-Secret-123")
            page.click("button[type=submit], input[type=submit]")
            page.goto(live_server.url + path)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            context.close()
        browser.close()
    pdf = ARTIFACTS / "clarification-notice.pdf"
    with document.file.open("rb") as handle:
        pdf.write_bytes(handle.read())
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
         str(pdf), str(ARTIFACTS / "clarification-notice-page-1")],
        check=True,
    )
