"""Running deadlines follow the holiday schedule when an administrator enters or corrects
it: recomputed, audited per case, the fallback warning gone; deadlines no longer running
(or not counting the changed year) are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent, CalendarYear, User
from core.workdays import WorkCalendar, YearSchedule
from tolerance.deadlines import recompute_deadlines
from tolerance.models import Case

D = dt.date
NEW_YEAR_2027 = YearSchedule(2027, frozenset({D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)}),
                             frozenset())


# --- pure -----------------------------------------------------------------------------


def test_a_deadline_counting_the_entered_year_moves_and_loses_its_fallback():
    before = WorkCalendar.from_schedules([])
    old = before.add_working_days(D(2026, 12, 28), 5)
    assert (old.date, old.fallback_years) == (D(2027, 1, 4), (2026, 2027))
    after = WorkCalendar.from_schedules([YearSchedule(2026, frozenset(), frozenset()),
                                         NEW_YEAR_2027])

    [moved] = recompute_deadlines(
        [(7, D(2026, 12, 28), old.date, 5, old.fallback_years)], after, [2027]
    )

    assert (moved.case_id, moved.old, moved.new.date, moved.new.fallback_years) == (
        7, D(2027, 1, 4), D(2027, 1, 5), ()
    )
    assert moved.moved


def test_a_deadline_that_counts_no_day_of_the_changed_year_is_not_touched():
    calendar = WorkCalendar.from_schedules([NEW_YEAR_2027])
    running = [(1, D(2026, 12, 1), D(2026, 12, 8), 5, (2026,))]

    assert recompute_deadlines(running, calendar, [2027]) == []


def test_an_unchanged_date_with_the_fallback_gone_is_still_reported():
    calendar = WorkCalendar.from_schedules(
        [YearSchedule(2026, frozenset(), frozenset()), YearSchedule(2027, frozenset(), frozenset())]
    )
    [found] = recompute_deadlines([(3, D(2026, 12, 28), D(2027, 1, 4), 5, (2027,))], calendar,
                                  [2027])

    assert (found.new.date, found.new.fallback_years, found.moved) == (D(2027, 1, 4), (), False)


# --- entering the schedule in the admin -----------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")


def _running_from(case: Case, start: dt.date, days: int) -> Case:
    """The case's investigation clock as if started on `start` (the real calendar)."""
    from core.workdays import load_calendar

    due = load_calendar().add_working_days(start, days)
    Case.objects.filter(pk=case.pk).update(
        due_started_on=start, due_working_days=days, due_on=due.date,
        due_fallback_years=list(due.fallback_years),
    )
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_entering_2027_moves_a_running_deadline_audited_and_leaves_met_ones_alone(
    client, superuser, flow, in_2026
):
    running = _running_from(flow.investigating(), D(2026, 12, 28), 5)
    assert (running.due_on, running.due_fallback_years) == (D(2027, 1, 4), [2027])
    earlier = _running_from(flow.investigating(), D(2026, 11, 2), 5)
    met = flow.decided()  # its acceptance and investigation deadlines were met
    met_due = (met.due_stage, met.due_on)
    client.force_login(superuser)

    response = client.post(reverse("admin:core_calendaryear_add"), {
        "year": "2027", "document_ref": "国办发明电〔2026〕99号",
        "holidays": "2027-01-01\n2027-01-02\n2027-01-03", "adjusted_workdays": "",
        "published": "on",
    })

    assert response.status_code == 302
    running.refresh_from_db()
    assert (running.due_on, running.due_fallback_years) == (D(2027, 1, 5), [])
    event = AuditEvent.objects.get(action="tolerance.case.deadline_recompute")
    assert event.object_id == str(running.pk)
    assert event.before == {"due_on": "2027-01-04", "due_fallback_years": [2027]}
    assert event.after == {"due_on": "2027-01-05", "due_fallback_years": []}
    assert event.reason == "录入2027年节假日安排（国办发明电〔2026〕99号）"
    assert event.actor == superuser
    earlier.refresh_from_db()
    assert earlier.due_on == D(2026, 11, 9)
    met.refresh_from_db()
    assert (met.due_stage, met.due_on) == met_due
    assert CalendarYear.objects.get().year == 2027


@pytest.mark.django_db
def test_the_case_page_no_longer_shows_the_fallback_warning(client, superuser, flow, staff):
    case = _running_from(flow.investigating(), D(2026, 12, 28), 5)
    client.force_login(staff.investigator)
    assert 'data-testid="fallback"' in client.get(
        reverse("tolerance:case_detail", args=[case.pk])).content.decode()
    client.force_login(superuser)
    client.post(reverse("admin:core_calendaryear_add"), {
        "year": "2027", "document_ref": "国办发明电〔2026〕99号",
        "holidays": "2027-01-01", "adjusted_workdays": "", "published": "on",
    })
    client.force_login(staff.investigator)

    page = client.get(reverse("tolerance:case_detail", args=[case.pk])).content.decode()

    assert 'data-testid="fallback"' not in page


# --- deadlines started before their start was recorded; appeal windows ----------------------


def _enter_2027(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:core_calendaryear_add"), {
        "year": "2027", "document_ref": "国办发明电〔2026〕99号",
        "holidays": "2027-01-01\n2027-01-02\n2027-01-03", "adjusted_workdays": "",
        "published": "on",
    })
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_deadline_without_a_recorded_start_is_derived_from_the_audit_and_recomputed(
    client, superuser, flow, monkeypatch
):
    # the audit rows of these cases are written at 10:00 on 2026-12-28 in Shanghai
    monkeypatch.setattr(AuditEvent._meta.get_field("at"), "_get_default",
                        lambda: dt.datetime(2026, 12, 28, 2, 0, tzinfo=dt.UTC))
    case = flow.investigating()  # investigation: 30 working days from acceptance
    underivable = flow.investigating()
    monkeypatch.undo()
    for c in (case, underivable):  # as created before migration tolerance/0008
        Case.objects.filter(pk=c.pk).update(
            due_started_on=None, due_working_days=None, due_on=D(2027, 2, 8),
            due_fallback_years=[2027],
        )
    # nothing on record says when the second one's decision clock started (no referral row)
    Case.objects.filter(pk=underivable.pk).update(due_stage="decision")

    _enter_2027(client, superuser)

    case.refresh_from_db()
    assert (case.due_started_on, case.due_working_days) == (D(2026, 12, 28), 30)
    assert (case.due_on, case.due_fallback_years) == (D(2027, 2, 9), [])
    event = AuditEvent.objects.get(action="tolerance.case.deadline_recompute")
    assert (event.object_id, event.before, event.after) == (
        str(case.pk),
        {"due_on": "2027-02-08", "due_fallback_years": [2027]},
        {"due_on": "2027-02-09", "due_fallback_years": []},
    )
    underivable.refresh_from_db()
    assert (underivable.due_started_on, underivable.due_on) == (None, D(2027, 2, 8))


@pytest.mark.django_db
def test_an_open_appeal_window_follows_the_schedule_and_a_past_one_is_left_alone(
    client, superuser, flow, staff, monkeypatch
):
    from django.utils import timezone

    from tolerance.enums import Outcome
    from tolerance.feedback import case_feed_back
    from tolerance.models import Delivery

    def delivered(on, due):
        case = case_feed_back(flow.decided(outcome=Outcome.LIGHTER), actor=staff.clerk,
                              method="in_person", delivered_on=timezone.localdate())
        Case.objects.filter(pk=case.pk).update(fed_back_on=on, appeal_due_on=due)
        Delivery.objects.filter(case=case).update(delivered_on=on, appeal_due_on=due)
        return case

    # 15 working days counted Monday to Friday from the delivery date
    open_window = delivered(D(2026, 12, 24), D(2027, 1, 14))
    past_window = delivered(D(2026, 12, 14), D(2027, 1, 4))
    real = timezone.localdate
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda value=None, timezone=None: D(2027, 1, 14) if value is None
                        else real(value, timezone))

    _enter_2027(client, superuser)

    open_window.refresh_from_db()
    assert open_window.appeal_due_on == D(2027, 1, 15)
    assert Delivery.objects.get(case=open_window).appeal_due_on == D(2027, 1, 15)
    event = AuditEvent.objects.get(action="tolerance.case.appeal_window_recompute")
    assert (event.object_id, event.before, event.after, event.reason) == (
        str(open_window.pk),
        {"appeal_due_on": "2027-01-14"},
        {"appeal_due_on": "2027-01-15", "fed_back_on": "2026-12-24"},
        "录入2027年节假日安排（国办发明电〔2026〕99号）",
    )
    past_window.refresh_from_db()
    assert past_window.appeal_due_on == D(2027, 1, 4)
    assert Delivery.objects.get(case=past_window).appeal_due_on == D(2027, 1, 4)
