"""Working days on the Chinese holiday calendar: pure counting first, then model, loader, admin.

The 2027 schedules below are illustrative test data, not the official 2027 notice.
"""

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import AuditEvent, CalendarYear, User
from core.workdays import (
    Deadline,
    WorkCalendar,
    YearSchedule,
    check_schedule,
    fallback_warning,
    library_schedules,
    load_calendar,
    parse_date_lines,
)

D = dt.date
LIBRARY = WorkCalendar.from_schedules(library_schedules())


def schedule_2027() -> YearSchedule:
    """Illustrative: New Year's Day Fri 1 Jan to Sun 3 Jan off, Sat 9 Jan worked."""
    return YearSchedule(
        2027, frozenset({D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)}), frozenset({D(2027, 1, 9)})
    )


# --- library data ---


def test_library_schedules_cover_2004_to_2026():
    years = [s.year for s in library_schedules()]
    assert years == list(range(2004, 2027))


def test_library_schedules_2026_adjusted_workdays():
    (s2026,) = [s for s in library_schedules() if s.year == 2026]
    assert sorted(s2026.adjusted_workdays) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert sorted(d for d in s2026.holidays if d.month == 2) == [
        D(2026, 2, d) for d in range(15, 24)
    ]


# --- is_working_day ---


def test_is_working_day_national_day_2025():
    assert LIBRARY.is_working_day(D(2025, 9, 28)) is True  # Sunday, worked
    assert LIBRARY.is_working_day(D(2025, 10, 1)) is False
    assert LIBRARY.is_working_day(D(2025, 10, 8)) is False  # Wednesday, holiday
    assert LIBRARY.is_working_day(D(2025, 10, 9)) is True
    assert LIBRARY.is_working_day(D(2025, 10, 11)) is True  # Saturday, worked
    assert LIBRARY.is_working_day(D(2025, 10, 12)) is False  # ordinary Sunday


def test_is_working_day_unknown_year_is_monday_to_friday():
    assert LIBRARY.is_working_day(D(2027, 1, 1)) is True  # a Friday, nobody entered 2027
    assert LIBRARY.is_working_day(D(2027, 1, 2)) is False


def test_is_working_day_rejects_datetime():
    with pytest.raises(TypeError):
        LIBRARY.is_working_day(dt.datetime(2025, 10, 1, 9, 0))


# --- add_working_days ---


def test_add_working_days_across_national_day_2025():
    start = D(2025, 9, 26)  # Friday
    # 28 Sep (Sun, worked) 29, 30 | 1-8 Oct off | 9, 10
    assert LIBRARY.add_working_days(start, 5) == Deadline(D(2025, 10, 10), ())
    # 11 Oct (Sat, worked), 12 Oct (Sun) off, 13 Oct
    assert LIBRARY.add_working_days(start, 7) == Deadline(D(2025, 10, 13), ())


def test_add_working_days_across_spring_festival_2026():
    start = D(2026, 2, 12)  # Thursday
    # 13 Feb, 14 Feb (Sat, worked) | 15-23 Feb off | 24 Feb
    assert LIBRARY.add_working_days(start, 3) == Deadline(D(2026, 2, 24), ())
    # 25, 26, 27, 28 (Sat, worked) | 1 Mar (Sun) off | 2, 3, 4 Mar
    assert LIBRARY.add_working_days(start, 10) == Deadline(D(2026, 3, 4), ())


def test_add_working_days_counts_a_working_saturday():
    assert LIBRARY.add_working_days(D(2025, 10, 10), 1) == Deadline(D(2025, 10, 11), ())
    assert LIBRARY.add_working_days(D(2026, 2, 27), 1) == Deadline(D(2026, 2, 28), ())


def test_add_working_days_zero_returns_start():
    assert LIBRARY.add_working_days(D(2025, 10, 3), 0) == Deadline(D(2025, 10, 3), ())
    assert LIBRARY.add_working_days(D(2030, 6, 1), 0) == Deadline(D(2030, 6, 1), ())


def test_add_working_days_start_on_holiday():
    # 3 Oct 2025 is a holiday; the count starts the next day, as from any other start.
    assert LIBRARY.add_working_days(D(2025, 10, 3), 1) == Deadline(D(2025, 10, 9), ())
    assert LIBRARY.add_working_days(D(2025, 10, 3), 3) == Deadline(D(2025, 10, 11), ())
    assert LIBRARY.add_working_days(D(2025, 10, 3), 3) == LIBRARY.add_working_days(
        D(2025, 10, 8), 3
    )


def test_add_working_days_entered_year_used_instead_of_fallback():
    calendar = WorkCalendar.from_schedules(library_schedules(), [schedule_2027()])
    start = D(2026, 12, 30)  # Wednesday
    # 31 Dec | 1-3 Jan off | 4, 5
    assert calendar.add_working_days(start, 3) == Deadline(D(2027, 1, 5), ())
    # 6, 7, 8, 9 (Sat, worked)
    assert calendar.add_working_days(start, 7) == Deadline(D(2027, 1, 9), ())


def test_add_working_days_unentered_year_falls_back_to_monday_to_friday():
    start = D(2026, 12, 30)
    # 31 Dec, 1 Jan (Fri: a working day in the fallback), 4 Jan
    assert LIBRARY.add_working_days(start, 3) == Deadline(D(2027, 1, 4), (2027,))
    # Entirely inside the library's years: no fallback even though 2027 is unknown.
    assert LIBRARY.add_working_days(start, 1) == Deadline(D(2026, 12, 31), ())


def test_add_working_days_fallback_over_two_years():
    deadline = LIBRARY.add_working_days(D(2027, 12, 30), 2)  # Thursday
    assert deadline == Deadline(D(2028, 1, 3), (2027, 2028))


def test_add_working_days_entered_year_overrides_library():
    no_holidays_2026 = YearSchedule(2026, frozenset(), frozenset())
    calendar = WorkCalendar.from_schedules(library_schedules(), [no_holidays_2026])
    assert calendar.is_working_day(D(2026, 10, 1)) is True  # Thursday
    assert calendar.is_working_day(D(2026, 10, 10)) is False  # Saturday, no longer worked
    assert calendar.add_working_days(D(2026, 9, 30), 1) == Deadline(D(2026, 10, 1), ())


def test_add_working_days_negative_is_refused():
    with pytest.raises(ValueError):
        LIBRARY.add_working_days(D(2025, 10, 1), -1)


# --- working_days_between ---


def test_working_days_between_exact_counts():
    assert LIBRARY.working_days_between(D(2025, 9, 30), D(2025, 10, 10)) == 2
    assert LIBRARY.working_days_between(D(2025, 10, 10), D(2025, 9, 30)) == -2
    assert LIBRARY.working_days_between(D(2026, 2, 12), D(2026, 3, 4)) == 10
    assert LIBRARY.working_days_between(D(2025, 10, 3), D(2025, 10, 3)) == 0


def test_working_days_between_inverts_add_working_days():
    for start in (D(2025, 9, 26), D(2025, 10, 3), D(2026, 2, 12), D(2026, 12, 28)):
        for n in range(0, 45):
            due = LIBRARY.add_working_days(start, n).date
            assert LIBRARY.working_days_between(start, due) == n, (start, n)


def test_fallback_years_between():
    assert LIBRARY.fallback_years_between(D(2026, 12, 30), D(2027, 1, 5)) == (2027,)
    assert LIBRARY.fallback_years_between(D(2027, 1, 5), D(2026, 12, 30)) == (2027,)
    assert LIBRARY.fallback_years_between(D(2026, 12, 30), D(2026, 12, 31)) == ()
    assert LIBRARY.fallback_years_between(D(2026, 12, 31), D(2026, 12, 31)) == ()


# --- fallback_warning ---


def test_fallback_warning_none_without_fallback():
    assert fallback_warning(Deadline(D(2026, 3, 4), ())) is None


def test_fallback_warning_chinese():
    with translation.override("zh-hans"):
        assert (
            fallback_warning(Deadline(D(2027, 1, 4), (2027,)))
            == "2027年的法定节假日安排尚未录入，截止日期按周一至周五计算。"
        )
        assert (
            fallback_warning(Deadline(D(2028, 1, 3), (2027, 2028)))
            == "2027、2028年的法定节假日安排尚未录入，截止日期按周一至周五计算。"
        )


def test_fallback_warning_english():
    with translation.override("en"):
        assert fallback_warning(Deadline(D(2028, 1, 3), (2027, 2028))) == (
            "The official holiday schedules for 2027, 2028 have not been entered yet; "
            "this due date counts Monday to Friday as working days."
        )


# --- parsing and checking an entered schedule ---


def test_parse_date_lines_accepts_lines_and_separators():
    with translation.override("zh-hans"):
        dates, errors = parse_date_lines(
            "2027-01-02\n\n  2027-01-01 , 2027-01-02、2027-1-3\r\nfoo\n"
        )
    assert dates == [D(2027, 1, 1), D(2027, 1, 2)]
    assert errors == [
        "“2027-1-3”不是 YYYY-MM-DD 格式的日期，例如 2027-01-01。",
        "“foo”不是 YYYY-MM-DD 格式的日期，例如 2027-01-01。",
    ]


def test_parse_date_lines_rejects_impossible_date():
    dates, errors = parse_date_lines("2027-02-30")
    assert dates == []
    assert len(errors) == 1


def test_check_schedule_valid_with_weekend_holiday():
    # 2 and 3 Jan 2027 are Saturday and Sunday: holidays on weekends are allowed.
    s = schedule_2027()
    assert check_schedule(2027, s.holidays, s.adjusted_workdays, published=True) == {}


def test_check_schedule_reports_each_problem():
    with translation.override("zh-hans"):
        errors = check_schedule(
            2027,
            [D(2026, 12, 31), D(2027, 1, 1)],
            [D(2027, 1, 1), D(2027, 1, 6), D(2028, 1, 1)],
        )
    assert errors == {
        "holidays": ["2026-12-31 不在 2027 年内。"],
        "adjusted_workdays": [
            "2028-01-01 不在 2027 年内。",
            "2027-01-01 同时被列为放假日期和调休上班日期。",
            "2027-01-01 是星期五，调休上班日期只能是周六或周日。",
            "2027-01-06 是星期三，调休上班日期只能是周六或周日。",
        ],
    }


def test_check_schedule_published_needs_holidays_and_sane_year():
    with translation.override("zh-hans"):
        assert check_schedule(2027, [], [], published=True) == {
            "holidays": ["已发布的节假日安排必须填写放假日期。"]
        }
        assert check_schedule(2027, [], [], published=False) == {}
        assert check_schedule(1999, [], []) == {"year": ["年度必须在 2000 至 2100 之间。"]}


def test_year_schedule_refuses_inconsistent_data():
    with pytest.raises(ValueError):
        YearSchedule(2027, frozenset({D(2026, 12, 31)}), frozenset())
    with pytest.raises(ValueError):
        YearSchedule(2027, frozenset({D(2027, 1, 2)}), frozenset({D(2027, 1, 2)}))


# --- model validation (database) ---


def calendar_year(**values) -> CalendarYear:
    fields = {
        "year": 2027,
        "holidays": ["2027-01-03", "2027-01-01", "2027-01-02", "2027-01-01"],
        "adjusted_workdays": ["2027-01-09"],
        "document_ref": "国办发明电〔2026〕99号",
        "published": True,
    }
    return CalendarYear(**(fields | values))


@pytest.mark.django_db
def test_calendar_year_clean_normalises_dates():
    row = calendar_year()
    row.full_clean()
    assert row.holidays == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert row.adjusted_workdays == ["2027-01-09"]


@pytest.mark.django_db
def test_calendar_year_clean_rejects_bad_dates():
    row = calendar_year(
        holidays=["2027-01-01", "2026-12-31", "1 Jan"],
        adjusted_workdays=["2027-01-01", "2027-01-06"],
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert caught.value.message_dict == {
        "holidays": [
            "“1 Jan”不是 YYYY-MM-DD 格式的日期，例如 2027-01-01。",
            "2026-12-31 不在 2027 年内。",
        ],
        "adjusted_workdays": [
            "2027-01-01 同时被列为放假日期和调休上班日期。",
            "2027-01-01 是星期五，调休上班日期只能是周六或周日。",
            "2027-01-06 是星期三，调休上班日期只能是周六或周日。",
        ],
    }


@pytest.mark.django_db
def test_calendar_year_clean_rejects_non_list_and_empty_published():
    row = calendar_year(holidays=[], adjusted_workdays={"a": 1})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert caught.value.message_dict == {
        "holidays": ["已发布的节假日安排必须填写放假日期。"],
        "adjusted_workdays": ["“{'a': 1}”不是 YYYY-MM-DD 格式的日期，例如 2027-01-01。"],
    }


@pytest.mark.django_db
def test_calendar_year_unique_year():
    calendar_year().save()
    with pytest.raises(ValidationError) as caught:
        calendar_year().full_clean()
    assert list(caught.value.message_dict) == ["year"]


# --- loader (database) ---


@pytest.mark.django_db
def test_load_calendar_uses_published_rows_in_one_query(django_assert_num_queries):
    calendar_year().save()
    calendar_year(year=2028, holidays=["2028-01-03"], adjusted_workdays=[], published=False).save()
    with django_assert_num_queries(1):
        calendar = load_calendar()
    assert calendar.scheduled_years == frozenset(range(2004, 2028))
    assert calendar.add_working_days(D(2026, 12, 30), 3) == Deadline(D(2027, 1, 5), ())
    # 2028 is only a draft: 3 Jan 2028 (Monday) counts, with the fallback reported.
    assert calendar.add_working_days(D(2027, 12, 31), 1) == Deadline(D(2028, 1, 3), (2028,))


@pytest.mark.django_db
def test_load_calendar_entered_row_overrides_library():
    calendar_year(year=2026, holidays=["2026-01-01"], adjusted_workdays=[]).save()
    calendar = load_calendar()
    assert calendar.is_working_day(D(2026, 10, 1)) is True
    assert calendar.is_working_day(D(2026, 1, 1)) is False
    assert calendar.is_working_day(D(2025, 10, 1)) is False  # other years keep library data


@pytest.mark.django_db
def test_load_calendar_skips_invalid_row(caplog):
    # Saved without full_clean: a Wednesday listed as a worked weekend day.
    calendar_year(adjusted_workdays=["2027-01-06"]).save()
    with caplog.at_level(logging.ERROR, logger="core.workdays"):
        calendar = load_calendar()
    assert 2027 not in calendar.scheduled_years
    assert calendar.add_working_days(D(2026, 12, 31), 1) == Deadline(D(2027, 1, 1), (2027,))
    assert caplog.messages == ["Holiday schedule for 2027 is invalid and was ignored"]


@pytest.mark.django_db
def test_load_calendar_sees_a_new_row_at_once():
    assert 2027 not in load_calendar().scheduled_years
    calendar_year().save()
    assert 2027 in load_calendar().scheduled_years


# --- admin (database) ---


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")


def admin_form(**values):
    data = {
        "year": "2027",
        "document_ref": "国办发明电〔2026〕99号",
        "holidays": "2027-01-03\n2027-01-01\r\n2027-01-02\n",
        "adjusted_workdays": "2027-01-09",
        "published": "on",
    }
    return data | values


@pytest.mark.django_db
def test_admin_add_calendar_year_saves_and_audits(client, superuser):
    client.force_login(superuser)
    response = client.post("/admin/core/calendaryear/add/", admin_form())
    assert response.status_code == 302
    row = CalendarYear.objects.get()
    assert row.holidays == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert row.adjusted_workdays == ["2027-01-09"]
    assert row.published is True
    assert row.entered_by == superuser
    event = AuditEvent.objects.get(action="calendar_year.create")
    assert event.actor == superuser
    assert event.after == {
        "year": 2027,
        "document_ref": "国办发明电〔2026〕99号",
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "adjusted_workdays": ["2027-01-09"],
        "published": True,
    }


@pytest.mark.django_db
def test_admin_change_calendar_year_audits_the_difference(client, superuser):
    row = calendar_year(published=False)
    row.full_clean()
    row.save()
    client.force_login(superuser)
    response = client.post(f"/admin/core/calendaryear/{row.pk}/change/", admin_form())
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="calendar_year.update")
    assert (event.before, event.after) == ({"published": False}, {"published": True})


@pytest.mark.django_db
def test_admin_rejects_weekday_workday_in_chinese(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/core/calendaryear/add/",
        admin_form(adjusted_workdays="2027-01-06\n2027-13-01"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {
        "adjusted_workdays": ["“2027-13-01”不是 YYYY-MM-DD 格式的日期，例如 2027-01-01。"]
    }
    response = client.post(
        "/admin/core/calendaryear/add/",
        admin_form(adjusted_workdays="2027-01-06"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.context["adminform"].form.errors == {
        "adjusted_workdays": ["2027-01-06 是星期三，调休上班日期只能是周六或周日。"]
    }
    assert CalendarYear.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_admin_change_page_shows_format_help_and_preview(client, superuser):
    row = calendar_year()
    row.full_clean()
    row.save()
    client.force_login(superuser)
    response = client.get(
        f"/admin/core/calendaryear/{row.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = response.content.decode()
    assert "每行一个日期，格式为 YYYY-MM-DD，例如 2027-01-01。" in page
    assert "2027-01-01\n2027-01-02\n2027-01-03</textarea>" in page
    assert "<tr><td>2027-01-09</td><td>星期六</td><td>上班</td></tr>" in page
    assert "程序内置 2004 年至 2026 年的数据，之后的年度请在此录入。" in page


@pytest.mark.django_db
def test_admin_change_page_survives_invalid_stored_dates(client, superuser):
    row = calendar_year(holidays=["2027-01-01", "not a date"])
    row.save()  # bypassing full_clean, as a script might
    client.force_login(superuser)
    response = client.get(
        f"/admin/core/calendaryear/{row.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert "<tr><td>not a date</td><td>?</td><td>放假</td></tr>" in response.content.decode()


@pytest.mark.django_db
def test_admin_delete_calendar_year_audits(client, superuser):
    row = calendar_year()
    row.full_clean()
    row.save()
    client.force_login(superuser)
    response = client.post(f"/admin/core/calendaryear/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert CalendarYear.objects.count() == 0
    event = AuditEvent.objects.get(action="calendar_year.delete")
    assert event.before["holidays"] == ["2027-01-01", "2027-01-02", "2027-01-03"]
