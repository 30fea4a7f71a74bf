"""Telling administrators, in November and December, that next year's holiday schedule is
missing (the State Council publishes it each November; deadlines counted into a year
without one fall back to Monday to Friday)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from .enums import Role
from .models import Notification, User
from .notification_kinds import CALENDAR
from .notifications import Target, notify
from .workdays import WorkCalendar, load_calendar

WARN_MONTHS = frozenset({11, 12})
REPEAT_DAYS = 7  # one warning a week per administrator while the year is missing
KIND = "core.calendar.missing"


def missing_next_year(today: dt.date, calendar: WorkCalendar) -> int | None:
    """Next year, when it is November or December and the calendar has no schedule for it."""
    if today.month not in WARN_MONTHS:
        return None
    year = today.year + 1
    return None if year in calendar.scheduled_years else year


def warn_missing_calendar(today: dt.date, *, now: dt.datetime) -> int:
    """Notify each active administrator not warned in the last REPEAT_DAYS; returns how many
    were notified. Safe to run every minute (the embedded beat does)."""
    year = missing_next_year(today, load_calendar())
    if year is None:
        return 0
    with transaction.atomic():
        warned = Notification.objects.filter(
            code=KIND,
            target_type=CALENDAR,
            target_id=year,
            created_at__gte=now - dt.timedelta(days=REPEAT_DAYS),
        ).values("recipient_id")
        admins = list(
            User.objects.filter(is_active=True)
            .filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True))
            .exclude(pk__in=warned)
            .distinct()
        )
        rows = notify(
            admins,
            KIND,
            params={"year": year},
            target=Target(CALENDAR, year, str(year)),
            url=reverse("admin:core_calendaryear_add"),
        )
    return len(rows)
