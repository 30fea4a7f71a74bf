"""Screenshots: a staff-proposed adjustment (page and page 1 of its PDF), an exceptional-
promotion request (draft and submitted as the cadre sees it), the forms with errors, and
the cadre timeline.

Not part of the suite (the file name does not start with test_): run it explicitly,
    .venv/bin/pytest -p no:cacheprovider tests/promotions/shots_jinan.py
It needs Chromium (/usr/bin/chromium) and poppler's pdftoppm; images go to $SHOTS_DIR
(default artifacts/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cadres.enums import Rank
from promotions.exceptional.services import exceptional_create, exceptional_transition
from promotions.grounds.services import proposal_propose
from promotions.proposals.documents import render
from promotions.proposals.workflow import proposal_transition

from .conftest import request_for

SHOTS = Path(os.environ.get("SHOTS_DIR", Path(settings.BASE_DIR) / "artifacts"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.mark.django_db(transaction=True)
def test_screenshots(live_server, world, county, exc, personas, tmp_path, settings):
    from playwright.sync_api import sync_playwright

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    year = timezone.localdate().year
    proposal = proposal_propose(
        county.deputy, actor=county.clerk, ground="unfit", year=year,
        facts="分管的城区棚户区改造项目连续两年未完成年度任务，群众反映强烈；"
              "约谈后仍未拿出有效措施。",
        evidence="2025年度重点工作督查通报（甲督〔2025〕12号）\n县委组织部约谈记录\n"
                 "分管领域群众满意度测评结果",
    )
    proposal_transition(proposal, actor=county.clerk, action="inspect")
    draft = request_for(exc, county.clerk)
    submitted = exceptional_create(
        exc.cadre, actor=county.clerk, target_title="街道党工委副书记（正科级）",
        target_rank=Rank.COUNTY_CHIEF, situation="chucai", reasons="拆迁攻坚中表现突出。",
    )
    exceptional_transition(submitted, actor=county.clerk, action="submit")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "up-proposal-staff": (county.clerk, f"/promotions/proposals/{proposal.pk}/", None),
        "up-propose-errors": (county.clerk, f"/promotions/cadres/{county.deputy.pk}/propose/",
                              "submit"),
        "up-exceptional-draft": (county.clerk, f"/promotions/exceptional/{draft.pk}/", None),
        "up-exceptional-leader": (exc.leader, f"/promotions/exceptional/{submitted.pk}/", None),
        "up-exceptional-form-errors": (
            county.clerk, f"/promotions/cadres/{exc.cadre.pk}/exceptional/", "submit"),
        "up-exceptional-list": (county.clerk, "/promotions/exceptional/", None),
        "up-proposal-list": (county.clerk, "/promotions/proposals/", None),
        "up-eligibility": (county.clerk, f"/promotions/eligibility/{exc.cadre.pk}/", None),
        "up-timeline-cadre": (exc.cadre_user, f"/clarifications/cadres/{exc.cadre.pk}/timeline/",
                              None),
        "up-timeline-clerk": (county.clerk, f"/clarifications/cadres/{exc.cadre.pk}/timeline/",
                              None),
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, (user, path, action) in pages.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(live_server.url + "/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", "pw-Secret-123")
            page.click("button[type=submit], input[type=submit]")
            page.goto(live_server.url + path)
            if action == "submit":
                page.click("form.card button[type=submit]")
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            context.close()
        browser.close()
    _name, _type, pdf = render("proposal", proposal, "甲组调建〔2026〕1号", timezone.localdate())
    (SHOTS / "up-proposal.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
         str(SHOTS / "up-proposal.pdf"), str(SHOTS / "up-proposal-pdf-page-1")],
        check=True,
    )
