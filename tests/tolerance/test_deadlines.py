"""Working-day deadlines of a case: pure counting first, then the clock of the workflow, the
appeal window recorded at feedback, and a late appeal.

The 2027 schedule entered below is illustrative test data, not the official 2027 notice.
"""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone, translation

from core.models import CalendarYear
from core.workdays import (
    Deadline,
    WorkCalendar,
    fallback_warning,
    library_schedules,
    load_calendar,
)
from tolerance import deadlines
from tolerance.appeals import appeal_file
from tolerance.catalogs import DEFAULT_PROCEDURE
from tolerance.enums import CaseState, Outcome
from tolerance.errors import AppealLate, TransitionRefused
from tolerance.feedback import case_feed_back
from tolerance.models import Appeal, Case
from tolerance.models.case import DueStage
from tolerance.workflow import case_transition

from .conftest import shift_now

D = dt.date
LIBRARY = WorkCalendar.from_schedules(library_schedules())
MONDAY_TO_FRIDAY = WorkCalendar()


@pytest.fixture
def today(monkeypatch):
    """Set the date the services see as today (timezone.localdate())."""
    real = timezone.localdate
    state = {}

    def fake(value=None, timezone=None):
        if value is None and "day" in state:
            return state["day"]
        return real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", fake)
    shift_now(monkeypatch, lambda: state.get("day"))
    return lambda day: state.__setitem__("day", day)


# --- the 2025 National Day golden week, with its worked Sunday and Saturday ----------------


def test_library_knows_the_2025_golden_week_and_its_worked_weekend_days():
    assert LIBRARY.is_working_day(D(2025, 9, 28))  # Sunday, worked
    assert LIBRARY.is_working_day(D(2025, 10, 11))  # Saturday, worked
    assert not any(LIBRARY.is_working_day(D(2025, 10, day)) for day in range(1, 9))


def test_acceptance_deadline_skips_the_golden_week_and_counts_the_worked_sunday():
    # Fri 26 Sep; Sun 28 (worked) 1, Mon 29 2, Tue 30 3, 1–8 Oct off, Thu 9 4, Fri 10 5.
    due = deadlines.stage_deadline(DueStage.ACCEPTANCE, D(2025, 9, 26), DEFAULT_PROCEDURE, LIBRARY)

    assert due == Deadline(D(2025, 10, 10), ())


def test_deadline_falls_on_the_worked_saturday():
    procedure = dataclasses.replace(DEFAULT_PROCEDURE, acceptance_days=3)

    due = deadlines.stage_deadline(DueStage.ACCEPTANCE, D(2025, 9, 30), procedure, LIBRARY)

    assert due == Deadline(D(2025, 10, 11), ())  # Thu 9, Fri 10, Sat 11 (worked)


def test_same_deadline_counted_monday_to_friday_would_be_a_week_early():
    due = deadlines.stage_deadline(
        DueStage.ACCEPTANCE, D(2025, 9, 26), DEFAULT_PROCEDURE, MONDAY_TO_FRIDAY
    )

    assert due == Deadline(D(2025, 10, 3), (2025,))


def test_every_stage_counts_its_own_number_of_working_days():
    start = D(2025, 9, 26)
    due = {
        stage: deadlines.stage_deadline(stage, start, DEFAULT_PROCEDURE, LIBRARY).date
        for stage in DueStage.values
    }

    assert due == {
        "acceptance": D(2025, 10, 10),  # 5
        "investigation": D(2025, 11, 13),  # 30
        "decision": D(2025, 10, 16),  # 10
        "feedback": D(2025, 10, 10),  # 5
        "appeal_decision": D(2025, 10, 16),  # 10
    }


def test_appeal_window_counts_from_the_day_after_feedback_across_the_golden_week():
    due = deadlines.appeal_deadline(D(2025, 9, 26), DEFAULT_PROCEDURE, LIBRARY)

    # 28, 29, 30 Sep; 9, 10, 11 (Sat, worked), 13–17, 20–23 Oct: 15 working days.
    assert due == Deadline(D(2025, 10, 23), ())


# --- years without a schedule --------------------------------------------------------------


def test_deadline_into_2027_without_a_schedule_falls_back_with_a_warning():
    due = deadlines.stage_deadline(DueStage.ACCEPTANCE, D(2026, 12, 30), DEFAULT_PROCEDURE, LIBRARY)

    # Thu 31 Dec, then Fri 1, Mon 4, Tue 5, Wed 6 Jan counted Monday to Friday.
    assert due == Deadline(D(2027, 1, 6), (2027,))
    with translation.override("zh-hans"):
        assert fallback_warning(due) == (
            "2027年的法定节假日安排尚未录入，截止日期按周一至周五计算。"
        )
    with translation.override("en"):
        assert fallback_warning(due) == (
            "The official holiday schedule for 2027 has not been entered yet; "
            "this due date counts Monday to Friday as working days."
        )


def _enter_2027(published=True) -> CalendarYear:
    """Illustrative: 1–3 Jan 2027 off, Sat 9 Jan worked."""
    return CalendarYear.objects.create(
        year=2027,
        holidays=["2027-01-01", "2027-01-02", "2027-01-03"],
        adjusted_workdays=["2027-01-09"],
        document_ref="国办发明电〔2026〕测试",
        published=published,
    )


@pytest.mark.django_db
def test_deadline_into_2027_uses_the_schedule_an_administrator_entered():
    _enter_2027(published=False)
    draft = deadlines.stage_deadline(
        DueStage.ACCEPTANCE, D(2026, 12, 30), DEFAULT_PROCEDURE, load_calendar()
    )
    CalendarYear.objects.filter(year=2027).update(published=True)
    entered = deadlines.stage_deadline(
        DueStage.ACCEPTANCE, D(2026, 12, 30), DEFAULT_PROCEDURE, load_calendar()
    )

    assert draft == Deadline(D(2027, 1, 6), (2027,))  # an unpublished entry is not used
    assert entered == Deadline(D(2027, 1, 7), ())  # 1 Jan off: 31 Dec, 4, 5, 6, 7 Jan
    assert fallback_warning(entered) is None


@pytest.mark.django_db
def test_case_clock_records_the_fallback_years_on_the_case(flow, today):
    today(D(2026, 12, 30))

    case = flow.submitted()

    assert (case.due_stage, case.due_on, case.due_fallback_years) == (
        DueStage.ACCEPTANCE,
        D(2027, 1, 6),
        [2027],
    )


@pytest.mark.django_db
def test_case_clock_uses_the_entered_2027_schedule(flow, today):
    _enter_2027()
    today(D(2026, 12, 30))

    case = flow.submitted()

    assert (case.due_on, case.due_fallback_years) == (D(2027, 1, 7), [])


# --- pure helpers for reminders and extensions ---------------------------------------------


def test_reminder_horizon_matches_reminder_due_around_the_golden_week():
    days = [D(2025, 9, 20) + dt.timedelta(days=i) for i in range(40)]
    for lead in (1, 2, 5):
        for today_ in days:
            horizon = deadlines.reminder_horizon(today_, LIBRARY, days=lead)
            for due in days:
                expected = deadlines.reminder_due(due, today_, LIBRARY, days=lead)
                assert (today_ <= due < horizon) is expected, (lead, today_, due)


def test_reminder_horizon_two_working_days_before_the_golden_week():
    # On Mon 29 Sep a reminder covers deadlines up to Thu 9 Oct (Tue 30 Sep, Thu 9 Oct).
    assert deadlines.reminder_horizon(D(2025, 9, 29), LIBRARY, days=2) == D(2025, 10, 10)


def test_extension_cap_is_the_investigation_extension_for_every_stage():
    assert {
        stage: deadlines.extension_cap(stage, DEFAULT_PROCEDURE) for stage in DueStage.values
    } == dict.fromkeys(DueStage.values, 15)
    with pytest.raises(ValueError, match="unknown deadline"):
        deadlines.extension_cap("meeting", DEFAULT_PROCEDURE)


def test_extended_deadline_counts_from_the_old_due_date():
    assert deadlines.extended_deadline(D(2025, 9, 30), 2, LIBRARY) == Deadline(D(2025, 10, 10))
    with pytest.raises(ValueError):
        deadlines.extended_deadline(D(2025, 9, 30), 0, LIBRARY)


def test_recorded_appeal_deadline_names_the_fallback_years():
    assert deadlines.recorded_appeal_deadline(D(2026, 12, 24), D(2027, 1, 14), LIBRARY) == Deadline(
        D(2027, 1, 14), (2027,)
    )
    assert deadlines.recorded_appeal_deadline(D(2026, 9, 25), D(2026, 10, 22), LIBRARY) == Deadline(
        D(2026, 10, 22), ()
    )


# --- the appeal window, recorded when the case is fed back ----------------------------------


def _ruling_issued(flow, today, day=None):
    today(day or D(2026, 12, 1))  # Tue
    case = flow.decided(outcome=Outcome.LIGHTER)  # an exemption invites no appeal
    assert case.state == CaseState.RULING_ISSUED
    return case


@pytest.mark.django_db
def test_feed_back_records_the_appeal_window_across_the_2026_national_day(flow, today):
    case = _ruling_issued(flow, today, D(2026, 9, 21))
    today(D(2026, 9, 25))  # Fri, Mid-Autumn Festival

    case = case_feed_back(case, actor=flow.staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())

    # 28–30 Sep, 8, 9, 10 (Sat, worked), 12–16, 19–22 Oct: 15 working days.
    assert (case.state, case.fed_back_on, case.appeal_due_on) == (
        CaseState.FED_BACK,
        D(2026, 9, 25),
        D(2026, 10, 22),
    )
    assert (case.due_stage, case.due_on) == ("", None)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.fed_back_on, stored.appeal_due_on) == (D(2026, 9, 25), D(2026, 10, 22))


@pytest.mark.django_db
def test_feed_back_is_refused_to_someone_who_may_not_feed_back(flow, today):
    case = _ruling_issued(flow, today)
    today(D(2026, 12, 1))

    with pytest.raises(TransitionRefused):
        case_feed_back(case, actor=flow.staff.investigator,
                       method="in_person", delivered_on=timezone.localdate())

    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.fed_back_on, stored.appeal_due_on) == (
        CaseState.RULING_ISSUED,
        None,
        None,
    )


@pytest.fixture
def fed_back(flow, today):
    case = _ruling_issued(flow, today)
    today(D(2026, 12, 1))
    case = case_feed_back(case, actor=flow.staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    assert case.appeal_due_on == D(2026, 12, 22)
    return case


@pytest.mark.django_db
def test_appeal_the_day_after_the_window_is_refused_naming_the_date(fed_back, flow, today):
    today(D(2026, 12, 23))
    entry = fed_back.entries.get()

    with translation.override("en"), pytest.raises(AppealLate) as refused:
        appeal_file(entry, actor=flow.staff.cadre, reason="认定结论依据不足")

    assert str(refused.value.message) == (
        "The appeal is late: appeals were accepted until 2026-12-22."
    )
    assert Appeal.objects.count() == 0
    assert Case.objects.get(pk=fed_back.pk).state == CaseState.FED_BACK


@pytest.mark.django_db
def test_appeal_on_the_last_day_is_accepted(fed_back, flow, today):
    today(D(2026, 12, 22))
    entry = fed_back.entries.get()

    appeal = appeal_file(entry, actor=flow.staff.cadre, reason="认定结论依据不足")

    assert (appeal.entry_id, appeal.filed_by, appeal.state) == (
        entry.pk,
        flow.staff.cadre,
        "pending",
    )
    case = Case.objects.get(pk=fed_back.pk)
    assert (case.state, case.due_stage, case.due_on) == (
        CaseState.APPEALED,
        DueStage.APPEAL_DECISION,
        D(2027, 1, 5),  # 10 working days; 2027 counted Monday to Friday
    )
    assert case.due_fallback_years == [2027]


@pytest.mark.django_db
def test_a_case_fed_back_without_the_window_accepts_no_appeal(flow, today):
    """A direct feed_back transition (not case_feed_back) records no window: appeals are late."""
    case = _ruling_issued(flow, today)
    today(D(2026, 12, 1))
    case = case_transition(case, actor=flow.staff.clerk, action="feed_back")

    with pytest.raises(AppealLate):
        appeal_file(case.entries.get(), actor=flow.staff.cadre, reason="认定结论依据不足")
