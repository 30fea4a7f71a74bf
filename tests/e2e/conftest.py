"""Browser end-to-end tests: headless Chromium (Debian's, never `playwright install`)
driving a live server (pytest-django's `live_server`, a transactional database).

Each test walks through `Journey.step(...)` blocks; a screenshot is taken at the end of
every step. The screenshots are written to artifacts/e2e/<test>/ when the test fails (the
failing step's own screenshot last), or always with E2E_SHOTS=1, to look at every page.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.tolerance.conftest import flow, seeded_policy, staff  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
PASSWORD = "pw-Secret-123"  # tests.factories.make_user's
TIMEOUT_MS = 30_000  # one action or navigation; generous for a loaded 2-core CI machine

FAILED = pytest.StashKey[bool]()


def always_shoot() -> bool:
    return os.environ.get("E2E_SHOTS", "") not in ("", "0")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


def off_the_browser(work, *, timeout: float = 120):
    """Run `work()` (database work: the test acting as the system, not as a user) in a
    thread of its own and return its result. In this thread Playwright's event loop makes
    Django refuse the ORM (SynchronousOnlyOperation); the other thread has its own
    connection, closed when done."""
    from django.db import connections

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=timeout)


@dataclass
class Journey:
    """The browser for one test: one context (own cookies) per person, one screenshot per
    step."""

    browser: object
    base_url: str
    shots: list[tuple[str, bytes]] = field(default_factory=list)
    contexts: list = field(default_factory=list)
    current: object = None  # the page of the step running now

    def login(self, username: str, password: str = PASSWORD, viewport: dict | None = None):
        """A fresh browser for `username` (at `viewport`, the office laptop's by default),
        logged in through the login form."""
        context = self.browser.new_context(
            viewport=viewport or VIEWPORT, locale="zh-CN", accept_downloads=True,
            base_url=self.base_url,
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        self.current = page
        try:
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("form:has(#id_username) button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        except BaseException:
            self.shoot(f"login-{username}", failed=True)
            raise
        return page

    @contextlib.contextmanager
    def step(self, name: str, page=None) -> Iterator[None]:
        """One step of the journey; its screenshot is taken whether it passes or fails."""
        if page is not None:
            self.current = page
        try:
            yield
        except BaseException:
            self.shoot(name, failed=True)
            raise
        self.shoot(name)

    def shoot(self, name: str, *, failed: bool = False) -> None:
        """Full-page PNG with E2E_SHOTS=1 and for the step that failed; otherwise a quick
        JPEG of the window, kept in memory in case a later step fails."""
        page = self.current
        if page is None or page.is_closed():
            return
        label = f"{len(self.shots) + 1:02d}-{name}" + ("-FAILED" if failed else "")
        full = failed or always_shoot()
        options = {"full_page": True} if full else {"type": "jpeg", "quality": 70}
        try:
            self.shots.append((label, page.screenshot(timeout=10_000, **options)))
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
            self.shots.append((label + "-no-screenshot", repr(exc).encode()))

    def save_pdf_page(self, name: str, pdf: Path) -> None:
        """Page 1 of a PDF the journey downloaded, as a PNG among the screenshots (poppler's
        pdftoppm at 60 dpi), when screenshots are kept."""
        if not always_shoot():
            return
        prefix = pdf.with_suffix("")
        command = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run(  # noqa: S603  (a fixed command on a file the test wrote)
            [*command, str(pdf), str(prefix)], check=True, timeout=60
        )
        label = f"{len(self.shots) + 1:02d}-{name}-page1"
        self.shots.append((label, prefix.with_suffix(".png").read_bytes()))

    def save(self, directory: Path) -> None:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for label, content in self.shots:
            suffix = {b"\x89PN": ".png", b"\xff\xd8\xff": ".jpg"}.get(content[:3], ".txt")
            (directory / f"{label}{suffix}").write_bytes(content)


@pytest.fixture
def journey(request, live_server) -> Iterator[Journey]:
    """Chromium for this test only, stopped before the database is flushed.

    Playwright's synchronous API runs an event loop in this thread, which Django's guard
    against calling the ORM from async code takes for an async context: the test does all
    its database work in fixtures set up before this one, and checks what it sees in the
    browser and in the files it downloads (or in another thread: `off_the_browser`).
    """
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: scripts/test.sh installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        journey = Journey(browser, live_server.url)
        try:
            yield journey
        finally:
            failed = request.node.stash.get(FAILED, False)
            if failed or always_shoot():
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                journey.save(ARTIFACTS / name)
            for context in journey.contexts:
                context.close()
            browser.close()
