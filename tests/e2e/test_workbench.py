"""The workbench in a real browser at an office laptop's 1366×768 and a phone's 390×844.

Each person logs in through the login form. Home lists each role's work with the counts of
the lists behind it; the navigation is a bar of domain groups without a menu button at
1366 px and behind one at 390 px; every navigation link answers 200; the header's search
finds a cadre by pinyin initials and a case by its number; the case list is searched,
sorted and exported, and the workbook's rows are the page's.

Screenshots: with E2E_SHOTS=1 every width's home and the searched list are written to
artifacts/e2e/<test>/ (and on failure, as for every browser test).
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import off_the_browser
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Secret-123"  # tests.factories.make_user's
WIDE = {"width": 1366, "height": 768}
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def cases(flow, staff, seeded_policy):
    """Two applications awaiting acceptance and one case under investigation, all about
    张三 (county A); filed before the browser starts."""
    submitted = [flow.submitted(), flow.submitted()]
    investigating = flow.investigating()
    return submitted, investigating


@pytest.fixture
def auditor(world):
    from core.enums import Role

    return make_user("w_auditor", Role.AUDITOR, authorities=[world.county_a_org])


def login(journey, username: str, viewport: dict):
    return journey.login(username, PASSWORD, viewport)


def counts(page) -> dict[str, int]:
    items = page.locator("[data-work]")
    return {
        items.nth(i).get_attribute("data-work"): int(
            items.nth(i).locator('[data-testid="work-count"]').inner_text()
        )
        for i in range(items.count())
    }


def test_homes_and_navigation_at_both_widths(cases, staff, auditor, journey):
    step = journey.step
    people = {
        "clerk": staff.clerk, "investigator": staff.investigator,
        "committee": staff.members[0], "leader": staff.leader, "cadre": staff.cadre,
        "hr": staff.hr, "auditor": auditor, "outsider": staff.outsider,
    }
    for width, viewport in (("1366", WIDE), ("390", NARROW)):
        for role, user in people.items():
            page = login(journey, user.username, viewport)
            with step(f"home-{role}-{width}", page):
                expect(page.locator("h1")).to_contain_text("您好")
                toggler = page.locator("button.navbar-toggler")
                groups = page.locator('[data-testid="nav-groups"]')
                if viewport is WIDE:
                    expect(toggler).to_be_hidden()
                    expect(groups).to_be_visible()
                else:
                    expect(groups).to_be_hidden()
                    toggler.click()
                    expect(groups).to_be_visible()
                    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
                    journey.shoot(f"menu-open-{role}-{width}")
                found = counts(page)
                if role == "clerk":
                    assert (found["accept"], found["start"]) == (2, 0)
                if role == "investigator":
                    assert found["investigate"] == 1
                if role == "leader":
                    assert (found["accept"], found["deliberate"]) == (2, 0)
                if role == "cadre":
                    expect(page.locator('[data-testid="own-cases"] li')).to_have_count(3)
                    expect(page.locator('[data-testid="next-step"]').first).to_contain_text(
                        "下一步"
                    )
                if role == "clerk" and viewport is WIDE:
                    # the count is the list's: follow the link and count the rows
                    page.locator('[data-work="accept"]').click()
                    expect(page.locator('[data-testid="case-row"]')).to_have_count(2)
            if viewport is WIDE:
                with step(f"nav-links-answer-200-{role}", page):
                    page.goto("/")
                    hrefs = page.eval_on_selector_all(
                        '[data-testid="nav-groups"] a.nav-link',
                        "links => links.map(a => a.getAttribute('href'))",
                    )
                    assert hrefs, role
                    for href in sorted(set(hrefs)):
                        assert page.request.get(href).status == 200, (role, href)


def test_search_sort_and_export_at_both_widths(cases, staff, tmp_path, journey):
    submitted, investigating = cases
    for width, viewport in (("1366", WIDE), ("390", NARROW)):
        page = login(journey, staff.clerk.username, viewport)
        with journey.step(f"global-search-pinyin-{width}", page):
            if viewport is NARROW:
                page.locator("button.navbar-toggler").click()
            page.fill('[data-testid="global-search"]', "zs")
            page.press('[data-testid="global-search"]', "Enter")
            expect(page.locator('[data-testid="found-cadres"] tbody tr')).to_have_count(1)
            expect(page.locator('[data-testid="found-cadres"]')).to_contain_text("张三")
            assert "zs" not in page.url
        with journey.step(f"global-search-case-number-{width}", page):
            page.fill("#id_q", investigating.reference)
            page.press("#id_q", "Enter")
            expect(page.locator('[data-testid="found-cases"] a')).to_have_text(
                investigating.reference
            )
        with journey.step(f"case-list-searched-sorted-{width}", page):
            page.goto("/tolerance/")
            page.fill("#id_q", "zs")
            page.locator("main form[role=search] button[type=submit]").click()
            expect(page.locator('[data-testid="case-row"]')).to_have_count(3)
            page.locator("th a.sort-link", has_text="案件编号").click()
            page.locator("th a.sort-link", has_text="案件编号").click()
            assert "sort=-number" in page.url and "q=zs" in page.url
            shown = page.locator('[data-testid="case-row"] td:first-child a').all_inner_texts()
            expected = sorted(
                [c.reference for c in (*submitted, investigating)], reverse=True
            )
            assert shown == expected
        with journey.step(f"case-list-exported-{width}", page):
            with page.expect_download() as download:
                page.locator('[data-testid="export-xlsx"]').click()
            path = tmp_path / f"cases-{width}.xlsx"
            download.value.save_as(path)
            book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
            exported = [row[0].value for row in book.active.iter_rows(min_row=2)]
            assert exported == shown

    def audited():
        from core.models import AuditEvent

        return AuditEvent.objects.filter(action="tolerance.queue.export").count()

    assert off_the_browser(audited) == 2


def test_filing_form_type_ahead_and_an_error_at_its_field(cases, staff, tmp_path, journey):
    """The clerk opens a case ex officio: the cadre is chosen by typing pinyin initials
    into the picker (a chip appears); a date in the future is reported at its field, the
    chosen cadre stays chosen and the attachment is shown kept at its field; the date
    corrected and sent without choosing the file again, the case is filed with it."""
    evidence = tmp_path / "情况说明.pdf"
    evidence.write_bytes(
        b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    for width, viewport in (("1366", WIDE), ("390", NARROW)):
        page = login(journey, staff.clerk.username, viewport)
        with journey.step(f"filing-type-ahead-{width}", page):
            page.goto("/tolerance/file/")
            expect(page.locator("select#id_cadres option")).to_have_count(0)
            page.locator("#id_cadres-ts-control").fill("zs")
            option = page.locator(".ts-dropdown .option", has_text="张三")
            expect(option).to_be_visible()
            option.click()
            expect(page.locator(".ts-control .item", has_text="张三")).to_be_visible()
        with journey.step(f"filing-error-at-the-field-{width}", page):
            page.locator("#id_started_by_0").check()
            page.fill("#id_title", f"项目资金拨付偏差 {width}")
            page.fill("#id_description", "改革探索中出现偏差。")
            page.fill("#id_occurred_on", "2099-01-01")
            page.set_input_files("#id_files", str(evidence))
            page.locator("button[name=submit_now]").click()
            date_error = page.locator("#id_occurred_on ~ .invalid-feedback")
            expect(date_error).to_have_text("行为发生日期不能晚于今天。")
            # The first field in error is brought into view with the cursor in it.
            expect(page.locator("#id_occurred_on")).to_be_focused()
            expect(page.locator("#id_occurred_on")).to_be_in_viewport()
            expect(page.locator('[data-testid="kept-upload"]')).to_have_text(
                "已保留附件：情况说明.pdf（如需更换请重新选择）"
            )
            expect(page.locator('[data-testid="choose-again"]')).to_have_count(0)
            expect(page.locator(".ts-control .item", has_text="张三")).to_be_visible()
            expect(page.locator("#id_title")).to_have_value(f"项目资金拨付偏差 {width}")
        with journey.step(f"filing-corrected-with-the-kept-file-{width}", page):
            page.fill("#id_occurred_on", "2025-03-10")
            page.locator("button[name=submit_now]").click()
            page.wait_for_url(re.compile(r"/tolerance/cases/\d+/$"))
            expect(page.get_by_text("情况说明.pdf").first).to_be_visible()

        def filed(title=f"项目资金拨付偏差 {width}"):
            from tolerance.models import Case

            rows = []
            for attachment in Case.objects.get(matter__title=title).attachments.all():
                with attachment.file.open("rb") as handle:
                    rows.append((attachment.filename, handle.read()))
            return rows

        assert off_the_browser(filed) == [("情况说明.pdf", evidence.read_bytes())]
