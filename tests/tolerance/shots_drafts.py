"""Screenshots of the document path: a draft and its preview (草稿), the sign-off step, the
approval form (呈批件), a signed ruling, and a superseded document on the verification page.

Not part of the suite (the file name does not start with test_): run it explicitly,
    .venv/bin/pytest -p no:cacheprovider tests/tolerance/shots_drafts.py
It needs Chromium (/usr/bin/chromium) and poppler's pdftoppm; images go to artifacts/drafts/.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from core.drafts import approval_form, document_correct, draft_preview, draft_transition, drafts_of
from core.models import IssuedDocument
from tolerance.enums import Outcome

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "drafts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def page_one(pdf: bytes, name: str) -> None:
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
         str(path), str(ARTIFACTS / f"{name}-page-1")],
        check=True,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.mark.django_db(transaction=True)
def test_screenshots(live_server, flow, staff, media, seeded_policy):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    case = flow.decided(outcome=Outcome.LIGHTER, sign=False)
    draft = drafts_of(case).get(kind="tolerance_ruling")
    page_one(draft_preview(draft)[2], "draft-preview")
    draft = draft_transition(draft, actor=staff.clerk, action="check")
    page_one(approval_form(draft)[2], "approval-form")

    def shoot(user, path, name, before=None):
        """One page at both sizes (a browser per call: its event loop must not be running
        while the test uses the database)."""
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, locale="zh-CN")
                page = context.new_page()
                page.goto(live_server.url + "/accounts/login/")
                page.fill("#id_username", user.username)
                page.fill("#id_password", "pw-Secret-123")
                page.click("form:has(#id_username) button[type=submit]")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                page.goto(live_server.url + path)
                if before is not None:
                    before(page)
                page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
                context.close()
            browser.close()

    shoot(staff.leader, f"/documents/drafts/{draft.pk}/", "sign-off-step")
    draft_transition(draft, actor=staff.leader, action="sign")  # the task runs eagerly
    draft.refresh_from_db()
    old = draft.document
    with old.file.open("rb") as handle:
        page_one(handle.read(), "signed-ruling")
    shoot(staff.leader, f"/tolerance/cases/{case.pk}/", "case-after-sign-off")
    correction = document_correct(old, actor=staff.clerk, reason="当事人职务表述有误，予以更正")
    correction = draft_transition(correction, actor=staff.investigator, action="check")
    draft_transition(correction, actor=staff.leader, action="sign")
    assert IssuedDocument.objects.filter(supersedes=old).exists()
    number, sha256 = old.number, old.sha256
    shoot(staff.clerk, f"/documents/drafts/{draft.pk}/", "superseded-draft-page")

    def verify(page):
        page.fill("#id_number", number)
        page.fill("#id_sha256", sha256)
        page.click("form[enctype] button[type=submit]")
        page.wait_for_selector('[data-testid="superseded"]')

    shoot(staff.cadre, "/documents/verify/", "verify-superseded", before=verify)
