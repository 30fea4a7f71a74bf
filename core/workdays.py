"""Working days on the Chinese statutory holiday calendar (法定节假日与调休上班).

Where a year's schedule comes from, highest precedence first:

1. a published ``CalendarYear`` row that an administrator entered from the State Council
   notice (国办发明电〔…〕, issued each November for the next year);
2. the ``chinese_calendar`` library, for the years it ships data for;
3. otherwise Monday to Friday. Nothing fails: the result names the years that fell back so the
   page can show ``fallback_warning`` next to the due date.

Counting convention (as in 期间开始的日不计算在期间内):

- ``add_working_days(start, n)`` counts from the day *after* ``start``: the due date is the
  n-th working day after ``start``. ``start`` itself never counts, working day or not, so a
  matter received on a holiday gets the same due date as one received on the next working day.
  ``n == 0`` returns ``start`` unchanged. The due date is always a working day when n >= 1.
- ``working_days_between(a, b)`` counts the working days d with a < d <= b, the same window, so
  ``working_days_between(a, add_working_days(a, n).date) == n``; it is negative when b < a.

Everything above ``load_calendar`` is pure (no database). ``load_calendar`` is the one function
that reads the database: one query on a table of one row per year.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import chinese_calendar
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

logger = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: days off, and weekend days that are worked (调休上班)."""

    year: int
    holidays: frozenset[dt.date]
    adjusted_workdays: frozenset[dt.date]

    def __post_init__(self):
        stray = sorted(d for d in self.holidays | self.adjusted_workdays if d.year != self.year)
        if stray:
            raise ValueError(f"dates outside {self.year}: {stray}")
        both = sorted(self.holidays & self.adjusted_workdays)
        if both:
            raise ValueError(f"dates both holiday and working day: {both}")


@dataclass(frozen=True)
class Deadline:
    """A due date, and the years whose days were counted Monday to Friday for lack of data."""

    date: dt.date
    fallback_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and adjusted working days of every year that has a schedule.

    A day of a year outside ``scheduled_years`` is a working day exactly when it is Monday to
    Friday; functions that count days report such years back to the caller.
    """

    holidays: frozenset[dt.date] = frozenset()
    adjusted_workdays: frozenset[dt.date] = frozenset()
    scheduled_years: frozenset[int] = frozenset()

    @classmethod
    def from_schedules(cls, *layers: Iterable[YearSchedule]) -> WorkCalendar:
        """Combine layers of schedules; a later layer replaces an earlier one year by year."""
        by_year: dict[int, YearSchedule] = {}
        for layer in layers:
            for schedule in layer:
                by_year[schedule.year] = schedule
        return cls(
            holidays=frozenset().union(*(s.holidays for s in by_year.values())),
            adjusted_workdays=frozenset().union(*(s.adjusted_workdays for s in by_year.values())),
            scheduled_years=frozenset(by_year),
        )

    def is_working_day(self, day: dt.date) -> bool:
        _require_date(day)
        if day in self.adjusted_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after ``start`` (``start`` itself does not count)."""
        _require_date(start)
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day, found, fallback = start, 0, set()
        while found < n:
            day += ONE_DAY
            if day.year not in self.scheduled_years:
                fallback.add(day.year)
            if self.is_working_day(day):
                found += 1
        return Deadline(day, tuple(sorted(fallback)))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days d with a < d <= b; negative when b < a."""
        _require_date(a)
        _require_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + i * ONE_DAY) for i in range(1, (b - a).days + 1))

    def fallback_years_between(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """Years without a schedule among the days that ``working_days_between`` counts."""
        first, last = (a, b) if a <= b else (b, a)
        if first == last:
            return ()
        years = range((first + ONE_DAY).year, last.year + 1)
        return tuple(y for y in years if y not in self.scheduled_years)


def _require_date(value) -> None:
    # A datetime is a date subclass but never equals one: it would silently miss every holiday.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"expected a date (use timezone.localdate()), got {value!r}")


@cache
def library_schedules() -> tuple[YearSchedule, ...]:
    """The chinese_calendar data, one schedule per year it covers (computed once per process)."""
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return tuple(
        YearSchedule(
            year,
            frozenset(d for d in chinese_calendar.holidays if d.year == year),
            frozenset(d for d in chinese_calendar.workdays if d.year == year),
        )
        for year in range(first, last + 1)
    )


def fallback_warning(deadline: Deadline) -> str | None:
    """The message to show next to a due date that relied on the Monday-to-Friday fallback."""
    if not deadline.fallback_years:
        return None
    years = pgettext("list separator", ", ").join(str(y) for y in deadline.fallback_years)
    return ngettext(
        "The official holiday schedule for %(years)s has not been entered yet; "
        "this due date counts Monday to Friday as working days.",
        "The official holiday schedules for %(years)s have not been entered yet; "
        "this due date counts Monday to Friday as working days.",
        len(deadline.fallback_years),
    ) % {"years": years}


# --- Entering a year's schedule: parsing and validation (pure, used by the model and admin) ---


def parse_dates(values: Iterable[object]) -> tuple[list[dt.date], list[str]]:
    """ISO dates (YYYY-MM-DD) → (sorted unique dates, translated error messages)."""
    dates: set[dt.date] = set()
    errors: list[str] = []
    for value in values:
        try:
            if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
                raise ValueError
            dates.add(dt.date.fromisoformat(value))
        except ValueError:
            errors.append(
                _("“%(value)s” is not a date in the form YYYY-MM-DD, e.g. 2027-01-01.")
                % {"value": value}
            )
    return sorted(dates), errors


def parse_stored_dates(value: object) -> tuple[list[dt.date], list[str]]:
    """A stored JSON value (a list of ISO strings; None or "" mean none) → dates and errors."""
    if value in (None, ""):
        return [], []
    return parse_dates(value if isinstance(value, list) else [value])


def parse_date_lines(text: str) -> tuple[list[dt.date], list[str]]:
    """One date per line; commas, 、 and spaces also separate dates; blank lines are ignored."""
    return parse_dates(token for token in _SEPARATORS.split(text) if token)


def check_schedule(
    year: int,
    holidays: Iterable[dt.date],
    adjusted_workdays: Iterable[dt.date],
    *,
    published: bool = False,
) -> dict[str, list[str]]:
    """Problems with a year's schedule, by field name; empty when it can be saved."""
    holidays, adjusted_workdays = sorted(set(holidays)), sorted(set(adjusted_workdays))
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        add(
            "year",
            _("The year must be between %(first)d and %(last)d.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
    for field, dates in (("holidays", holidays), ("adjusted_workdays", adjusted_workdays)):
        for day in dates:
            if day.year != year:
                add(field, _("%(date)s is not in %(year)d.") % {"date": day, "year": year})
    for day in sorted(set(holidays) & set(adjusted_workdays)):
        add(
            "adjusted_workdays",
            _("%(date)s is listed both as a holiday and as an adjusted working day.")
            % {"date": day},
        )
    for day in adjusted_workdays:
        if day.weekday() < 5:
            add(
                "adjusted_workdays",
                _("%(date)s is a %(weekday)s; adjusted working days are Saturdays or Sundays.")
                % {"date": day, "weekday": WEEKDAYS[day.weekday()]},
            )
    if published and not holidays:
        add("holidays", _("A published schedule must list its holidays."))
    return errors


# --- The one function that reads the database ---


def load_calendar() -> WorkCalendar:
    """The calendar in force: library data overlaid with the published entered years.

    One query per call, on purpose: a page or task calls this once and passes the calendar to
    every computation. The library part is immutable and built once per process; the entered
    part is read fresh on each call, so a schedule an administrator publishes takes effect at
    once in every web and Celery process, with no cache to invalidate.

    All published rows are read (one row per year, a few dozen at most) rather than only the
    years a caller names, because a count that starts in one year can end in the next.
    """
    from .models import CalendarYear  # the only database access in this module

    rows = CalendarYear.objects.filter(published=True).values_list(
        "year", "holidays", "adjusted_workdays"
    )
    entered = [s for s in (_entered_schedule(*row) for row in rows) if s is not None]
    return WorkCalendar.from_schedules(library_schedules(), entered)


def _entered_schedule(year: int, holidays: object, workdays: object) -> YearSchedule | None:
    """A stored row as a schedule; a row that fails validation is skipped (that year falls back
    to Monday to Friday, visibly) rather than breaking every page that shows a due date."""
    holiday_dates, errors = parse_stored_dates(holidays)
    workday_dates, more = parse_stored_dates(workdays)
    if errors or more or check_schedule(year, holiday_dates, workday_dates):
        logger.error("Holiday schedule for %s is invalid and was ignored", year)
        return None
    return YearSchedule(year, frozenset(holiday_dates), frozenset(workday_dates))
