"""A roster import in a real browser: the upload, then the job's page, which shows the
import done with its counts (Celery runs in-process, as in development), at an office
laptop's 1366×768 and a phone's 390×844.

Screenshots of the job page at both widths are written to artifacts/e2e/<test>/ with
E2E_SHOTS=1 (and on failure, as for every browser test).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cadres.models import Cadre
from tests.cadres.roster.test_importer import good_row, make_xlsx
from tests.e2e.conftest import off_the_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Secret-123"  # tests.factories.make_user's
WIDTHS = {"wide": {"width": 1366, "height": 768}, "narrow": {"width": 390, "height": 844}}


def login(journey, username: str, viewport: dict):
    return journey.login(username, PASSWORD, viewport)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_roster_upload_leads_to_its_job_page_done_with_counts(
    world, personas, journey, tmp_path, width
):
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(make_xlsx([good_row({"姓名": "周七"}), good_row({"姓名": "吴八"})]))
    page = login(journey, personas.clerk_a.username, WIDTHS[width])

    with journey.step(f"upload-{width}"):
        page.goto("/cadres/roster/import/")
        page.set_input_files("#id_file", str(roster))
        page.get_by_role("button", name="校验并导入").click()
        page.wait_for_url(re.compile(r"/imports/\d+/$"))

    with journey.step(f"job-done-{width}"):
        job = page.locator("#import-job")
        expect(job).to_have_attribute("data-state", "done")
        expect(job.locator("[data-role=state]")).to_have_text("已完成")
        expect(job.locator("[data-count=created] strong")).to_have_text("2")
        expect(job.locator("[data-count=updated] strong")).to_have_text("0")
        expect(page.locator("[data-live-wait]")).to_have_count(0)
        expect(page.locator(".progress-bar")).to_have_text("100%")
        back = job.locator("[data-role=back]")
        expect(back).to_have_attribute("href", "/cadres/roster/import/")
        # Nothing spills sideways at either width.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0

    bad = tmp_path / "有误.xlsx"
    bad.write_bytes(make_xlsx([good_row({"姓名": "郑九"}), good_row({"出生日期": "1980-13-45"})]))
    with journey.step(f"job-refused-{width}"):
        page.goto("/cadres/roster/import/")
        page.set_input_files("#id_file", str(bad))
        page.get_by_role("button", name="校验并导入").click()
        page.wait_for_url(re.compile(r"/imports/\d+/$"))
        expect(page.locator("#import-job [data-role=state]")).to_have_text("未导入")
        refused = page.locator("[data-role=refused]")
        expect(refused).to_contain_text("未导入任何内容：发现 1 个问题。")
        expect(page.locator("#import-errors tbody tr")).to_have_count(1)
        expect(page.locator("#import-errors tbody td").nth(1)).to_have_text("出生日期")
        with page.expect_download() as download:
            page.locator("[data-role=report]").click()
        assert download.value.suggested_filename == "名册导入错误报告.xlsx"

    with journey.step(f"back-{width}"):  # the way back, and to both jobs again
        page.locator("[data-role=back]").click()
        page.wait_for_url("**/cadres/roster/import/")
        recent = page.locator("#recent-imports li")
        expect(recent).to_have_count(2)
        expect(recent.nth(0)).to_contain_text("有误.xlsx")
        expect(recent.nth(0)).to_contain_text("未导入")
        expect(recent.nth(1)).to_contain_text("已完成")

    names = off_the_browser(
        lambda: sorted(
            Cadre.objects.filter(name__in=["周七", "吴八", "郑九"]).values_list("name", flat=True)
        )
    )
    assert names == ["吴八", "周七"]  # and nothing of the refused file (郑九)


@pytest.fixture
def waiting_job(world, personas):
    """A roster import recorded, its task not yet run (as when the workers are busy)."""
    from django.core.files.base import ContentFile

    from core.models import ImportJob

    data = make_xlsx([good_row({"姓名": "冯十"})])
    job = ImportJob(requested_by=personas.clerk_a, kind="cadres.roster", filename="名册.xlsx")
    job.upload.save("roster.xlsx", ContentFile(data), save=False)
    job.upload_size = len(data)
    job.save()
    return job


def test_the_job_page_follows_the_run_without_being_reloaded(
    world, personas, waiting_job, journey
):
    from core.imports import import_run, import_transition
    from core.models import ImportJob

    page = login(journey, personas.clerk_a.username, WIDTHS["wide"])
    with journey.step("queued"):
        page.goto(f"/imports/{waiting_job.pk}/")
        expect(page.locator("[data-role=count]")).to_contain_text("排队等待处理…")
        page.evaluate("window.notReloaded = true")

    def halfway():
        import_transition(waiting_job.pk, "start")
        ImportJob.objects.filter(pk=waiting_job.pk).update(done=3, total=8)

    off_the_browser(halfway)
    with journey.step("running"):  # the bar moves in place: the page is not reloaded
        expect(page.locator(".progress-bar")).to_have_text("37%")
        expect(page.locator("[data-role=count]")).to_contain_text("已检查 3 / 8")
        assert page.evaluate("window.notReloaded") is True

    def finish():  # the first run died; a worker takes the job over and finishes it
        stale = waiting_job.requested_at - ImportJob.STALE_AFTER
        ImportJob.objects.filter(pk=waiting_job.pk).update(heartbeat_at=stale)
        return import_run(waiting_job.pk).state

    assert off_the_browser(finish) == "done"
    with journey.step("done"):  # once finished, the page is shown anew with the result
        expect(page.locator("#import-job")).to_have_attribute("data-state", "done")
        expect(page.locator("[data-count=created] strong")).to_have_text("1")
