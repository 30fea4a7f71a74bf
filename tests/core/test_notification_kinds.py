"""core.notification_kinds: document drafts and the holiday schedule, as read."""

from __future__ import annotations

from django.utils import translation

from core.notification_kinds import CALENDAR, KINDS
from core.notifications import heading, render


def test_draft_steps_read_in_each_language():
    codes = [kind.code for kind in KINDS]
    assert codes == [
        "core.draft.to_check", "core.draft.to_sign", "core.draft.issued", "core.calendar.missing"
    ]
    params = {"number": "甲组容〔2026〕1号", "title": "容错免责认定书"}
    with translation.override("zh-hans"):
        subject = render("core.draft.issued", params).subject
        assert subject == "已印发：甲组容〔2026〕1号 容错免责认定书"
    with translation.override("en"):
        assert render("core.draft.to_sign", {"title": "X"}).subject == "Draft to sign off: X"


def test_the_calendar_warning_groups_by_year():
    with translation.override("zh-hans"):
        subject, body = render("core.calendar.missing", {"year": 2027})
        assert subject == "尚未录入2027年节假日安排"
        assert body.startswith("在管理员录入2027年法定节假日安排")
        assert heading(CALENDAR, "2027") == "2027年节假日安排"
