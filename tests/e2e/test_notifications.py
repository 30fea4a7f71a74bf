"""The notifications page in a real browser at 1366×768 and 390×844, in Chinese and English.

The intake clerk has new notifications about two cases (one with three) and an earlier one
read: the page shows one group per case, the newest first, with its count; marking a group
read takes it away and lowers the header's count; switching the language to English shows
the same notifications in English (they are stored as codes).

Screenshots: with E2E_SHOTS=1 both widths in both languages are written to
artifacts/e2e/<test>/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Secret-123"  # tests.factories.make_user's
WIDE = {"width": 1366, "height": 768}
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def told(flow, staff, seeded_policy):
    """Two submitted cases (the clerk is told of each); the first extended twice, and an
    older notification already read."""
    from core.models import Notification
    from core.notifications import notify

    first, second = flow.submitted(), flow.submitted()
    read = notify([staff.clerk], "core.draft.to_check", params={"title": "受理通知书（张三）"})
    Notification.objects.filter(pk__in=[n.pk for n in read]).update(read_at=dt.datetime.now(dt.UTC))
    for date in (dt.date(2026, 12, 15), dt.date(2026, 12, 22)):
        notify(
            [staff.clerk],
            "tolerance.case.extended",
            params={"ref": first.reference, "stage": "acceptance", "date": date,
                    "reason": "申请材料需补正"},
            target=first,
            url=f"/tolerance/cases/{first.pk}/",
        )
    return first, second


def open_page(journey, viewport, language: str):
    context = journey.browser.new_context(
        viewport=viewport, locale="zh-CN", base_url=journey.base_url
    )
    context.set_default_timeout(TIMEOUT_MS)
    journey.contexts.append(context)
    page = context.new_page()
    journey.current = page
    page.goto("/accounts/login/")
    page.fill("#id_username", "t_clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if language == "en":
        context.add_cookies([{"name": "django_language", "value": "en",
                              "url": journey.base_url}])
    page.goto("/notifications/")
    return page


def test_grouped_notifications_marked_read_by_group_in_both_languages(told, journey):
    first, second = told
    step = journey.step
    page = open_page(journey, WIDE, "zh-hans")
    groups = page.locator('[data-testid="group"]')
    with step("grouped-zh-1366", page):
        expect(groups).to_have_count(2)
        expect(groups.nth(0).locator('[data-testid="group-heading"]')).to_have_text(
            f"案件{first.reference}"
        )
        expect(groups.nth(0).locator('[data-testid="group-count"]')).to_have_text("3条新消息")
        expect(groups.nth(0).locator('[data-testid="subject"]').first).to_have_text(
            f"案件{first.reference}：受理审查期限延长至2026-12-22"
        )
        expect(groups.nth(1).locator('[data-testid="group-heading"]')).to_have_text(
            f"案件{second.reference}"
        )
        expect(page.locator('[data-testid="earlier"]')).to_have_count(1)
        expect(page.locator('[data-testid="unread-count"]')).to_contain_text("4")
    with step("group-marked-read-1366", page):
        groups.nth(0).locator('[data-testid="mark-group"]').click()
        expect(groups).to_have_count(1)
        expect(page.locator('[data-testid="unread"]')).to_have_text("1条未读")
        expect(page.locator('[data-testid="unread-count"]')).to_contain_text("1")
        expect(page.locator('[data-testid="earlier"]')).to_have_count(4)
    with step("english-1366", page):
        page.select_option("select[name=language]", "en")
        page.wait_for_load_state()
        expect(groups.nth(0).locator('[data-testid="group-heading"]')).to_have_text(
            f"Case {second.reference}"
        )
        expect(groups.nth(0).locator('[data-testid="subject"]')).to_have_text(
            f"Case {second.reference} submitted: accept it or not"
        )
        expect(page.locator("h2").last).to_have_text("Earlier")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDE["width"], width  # the longer English header still fits

    for language in ("zh-hans", "en"):
        page = open_page(journey, NARROW, language)
        with step(f"narrow-{language}-390", page):
            expect(groups.first).to_be_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW["width"], width  # nothing runs off the phone's screen
    with step("marked-one-read-390", page):
        page.locator('[data-testid="mark-one"]').first.click()
        expect(page.locator('[data-testid="group"]')).to_have_count(0)
        expect(page.locator('[data-testid="unread"]')).to_have_text("0 unread")
