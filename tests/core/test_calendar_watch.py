"""Administrators are told in November and December when next year's schedule is missing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone, translation

from core.calendar_watch import missing_next_year, warn_missing_calendar
from core.enums import Role
from core.models import CalendarYear, Notification
from core.notifications import render
from core.workdays import WorkCalendar
from tests.factories import make_user

D = dt.date


def test_only_november_and_december_and_only_when_missing():
    empty = WorkCalendar()
    has_2027 = WorkCalendar(scheduled_years=frozenset({2027}))

    assert missing_next_year(D(2026, 11, 1), empty) == 2027
    assert missing_next_year(D(2026, 12, 31), empty) == 2027
    assert missing_next_year(D(2026, 10, 31), empty) is None
    assert missing_next_year(D(2026, 12, 7), has_2027) is None


def test_the_task_is_in_beat_and_in_the_embedded_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["core-warn-missing-calendar"]
    assert entry["task"] == "core.tasks.warn_missing_calendar"
    assert entry["schedule"].month_of_year == {11, 12}
    assert "core.tasks.warn_missing_calendar" in settings.EMBEDDED_BEAT_TASKS


@pytest.mark.django_db
def test_administrators_are_warned_once_a_week_until_the_year_is_entered(world):
    admin = make_user("cal_admin", Role.ADMIN)
    make_user("cal_clerk", Role.INTAKE_CLERK, authorities=[world.county_a_org])
    now = timezone.now()

    assert warn_missing_calendar(D(2026, 12, 7), now=now) == 1
    note = Notification.objects.get()
    assert note.recipient == admin
    assert (note.code, note.params, note.target_type, note.target_id) == (
        "core.calendar.missing", {"year": 2027}, "core.calendar", 2027
    )
    with translation.override("zh-hans"):
        assert render(note.code, note.params).subject == "尚未录入2027年节假日安排"
    with translation.override("en"):
        assert render(note.code, note.params).subject == (
            "The holiday schedule of 2027 has not been entered"
        )
    assert note.url == "/admin/core/calendaryear/add/"
    assert warn_missing_calendar(D(2026, 12, 8), now=now + dt.timedelta(days=1)) == 0
    assert warn_missing_calendar(D(2026, 12, 14), now=now + dt.timedelta(days=8)) == 1
    CalendarYear.objects.create(year=2027, holidays=["2027-01-01"], published=True)
    assert warn_missing_calendar(D(2026, 12, 21), now=now + dt.timedelta(days=15)) == 0
    assert warn_missing_calendar(D(2026, 10, 1), now=now) == 0
