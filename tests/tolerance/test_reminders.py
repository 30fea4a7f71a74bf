"""Daily deadline notices: reminders before due dates, escalation of overdue cases, overdue
remedial measures; each sent once, to exactly the people concerned.

Every case here starts its deadline on Tue 1 Dec 2026 (the date the services see is fixed).
"""

import dataclasses
import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone, translation

from core.models import AuditEvent, Notification
from core.notifications import render
from core.workdays import load_calendar
from tests.policy_support import TEST_MEASURE as SHAANXI_2016
from tolerance import reminders
from tolerance.appeals import appeal_assign_reviewer, appeal_file
from tolerance.beat_tasks import send_deadline_notices
from tolerance.enums import Outcome, StartedBy
from tolerance.feedback import case_feed_back
from tolerance.models import Case, Remedy
from tolerance.models.case import DueStage
from tolerance.models.review import RemedyStatus
from tolerance.policies import policy_version_create
from tolerance.remedies import remedy_add, remedy_set_status
from tolerance.workflow import case_transition

from .conftest import shift_now

D = dt.date
START = D(2026, 12, 1)  # Tue


@pytest.fixture
def today(monkeypatch):
    real = timezone.localdate
    state = {"day": START}

    def fake(value=None, timezone=None):
        return state["day"] if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", fake)
    shift_now(monkeypatch, lambda: state["day"])
    return lambda day: state.__setitem__("day", day)


def sent(since: int = 0) -> set[tuple[int, str]]:
    """(case id, recipient) of every notification about a case with id > since."""
    rows = Notification.objects.filter(pk__gt=since).values_list("url", "recipient__username")
    return {(int(url.rstrip("/").rsplit("/", 1)[1]), user) for url, user in rows}


def shown(note: Notification, language: str = "zh-hans") -> tuple[str, str]:
    """A notification's subject and body as a reader of `language` sees them."""
    with translation.override(language):
        return render(note.code, note.params)


def last_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


LEADERS = {"t_leader", "t_reviewer"}
COMMITTEE = {"t_member1", "t_member2", "t_member3", *LEADERS}


@pytest.fixture
def city_case(flow, world, staff, today):
    """A case of the city organization department, due the same day as county A's."""
    case = flow.filed(
        by=staff.clerk_b, started_by=StartedBy.EX_OFFICIO_INSPECTION, cadres=[world.cadre_city]
    )
    return case_transition(case, actor=staff.clerk_b, action="submit")


def appealed(flow, staff, *, reviewer: bool):
    case = case_feed_back(flow.decided(outcome=Outcome.LIGHTER), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    appeal = appeal_file(case.entries.get(), actor=staff.cadre, reason="认定结论依据不足")
    if reviewer:
        appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.reviewer)
    return Case.objects.get(pk=case.pk)


# --- reminders -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_go_to_intake_clerks_two_working_days_before_acceptance_and_feedback(
    flow, staff, today, city_case
):
    submitted = flow.submitted()
    decided = flow.decided()
    assert (submitted.due_stage, submitted.due_on) == (DueStage.ACCEPTANCE, D(2026, 12, 8))
    assert (decided.due_stage, decided.due_on) == (DueStage.FEEDBACK, D(2026, 12, 8))
    mark = last_notification()

    # Thu 3 Dec: three working days left (4, 7, 8 Dec); Fri 4 Dec: two.
    assert reminders.cases_remind(D(2026, 12, 3), load_calendar()) == 0
    assert reminders.cases_remind(D(2026, 12, 4), load_calendar()) == 3

    assert sent(mark) == {
        (submitted.pk, "t_clerk"),
        (decided.pk, "t_clerk"),
        (city_case.pk, "t_clerk_city"),
    }
    assert set(
        Case.objects.filter(pk__in=[submitted.pk, decided.pk, city_case.pk]).values_list(
            "reminded_on", flat=True
        )
    ) == {D(2026, 12, 4)}


@pytest.mark.django_db
def test_reminder_subject_names_the_stage_and_the_date(flow, today):
    case = flow.submitted()

    with translation.override("zh-hans"):
        reminders.cases_remind(D(2026, 12, 4), load_calendar())

    note = Notification.objects.get(code="tolerance.case.due_soon")
    assert shown(note) == (f"案件{case.reference}：受理审查期限为2026-12-08，即将到期", "")
    assert note.url == f"/tolerance/cases/{case.pk}/"
    assert shown(note, "en") == (
        f"Case {case.reference}: Decision on acceptance due on 2026-12-08", ""
    )


@pytest.mark.django_db
def test_investigation_reminder_goes_to_the_investigator_or_the_clerks_before_assignment(
    flow, staff, today
):
    unassigned = flow.accepted()
    assigned = flow.investigating()
    assert unassigned.due_on == assigned.due_on == D(2027, 1, 12)
    assert assigned.due_fallback_years == [2027]
    mark = last_notification()

    assert reminders.cases_remind(D(2027, 1, 7), load_calendar()) == 0
    with translation.override("zh-hans"):
        assert reminders.cases_remind(D(2027, 1, 8), load_calendar()) == 2

    assert sent(mark) == {(unassigned.pk, "t_clerk"), (assigned.pk, "t_inv")}
    # The due date counted 2027 Monday to Friday: the notice says so.
    assert {shown(note)[1] for note in Notification.objects.filter(pk__gt=mark)} == {
        "2027年的法定节假日安排尚未录入，截止日期按周一至周五计算。"
    }


@pytest.mark.django_db
def test_decision_and_appeal_reminders(flow, staff, today):
    deliberating = flow.deliberating()
    with_reviewer = appealed(flow, staff, reviewer=True)
    without_reviewer = appealed(flow, staff, reviewer=False)
    assert deliberating.due_on == with_reviewer.due_on == without_reviewer.due_on == D(2026, 12, 15)
    assert with_reviewer.due_stage == DueStage.APPEAL_DECISION
    mark = last_notification()

    assert reminders.cases_remind(D(2026, 12, 11), load_calendar()) == 3

    assert sent(mark) == {
        *((deliberating.pk, name) for name in COMMITTEE),
        (with_reviewer.pk, "t_reviewer"),
        *((without_reviewer.pk, name) for name in LEADERS),
    }


@pytest.mark.django_db
def test_reminder_lead_time_is_policy_data(flow, staff, today):
    procedure = dataclasses.replace(SHAANXI_2016.procedure, reminder_days=4)
    policy_version_create(
        dataclasses.replace(SHAANXI_2016, procedure=procedure),
        actor=None,
        title="甲县容错纠错办法",
        effective_from=D(2025, 1, 1),
        jurisdiction_code=flow.world.county_a.code,
        publish=True,
    )
    case = flow.submitted()
    other = flow.submitted(
        by=staff.clerk_b, started_by=StartedBy.EX_OFFICIO_INSPECTION, cadres=[flow.world.cadre_city]
    )
    assert case.policy_version.policy.procedure.reminder_days == 4
    assert other.policy_version.policy.procedure.reminder_days == 2

    # Wed 2 Dec: four working days to Tue 8 Dec for county A's version, not yet two.
    assert reminders.cases_remind(D(2026, 12, 1), load_calendar()) == 0
    assert reminders.cases_remind(D(2026, 12, 2), load_calendar()) == 1
    assert Case.objects.get(pk=case.pk).reminded_on == D(2026, 12, 2)
    assert Case.objects.get(pk=other.pk).reminded_on is None


@pytest.mark.django_db
def test_reminders_are_sent_once(flow, today):
    case = flow.submitted()
    reminders.cases_remind(D(2026, 12, 4), load_calendar())
    count = Notification.objects.count()

    assert reminders.cases_remind(D(2026, 12, 4), load_calendar()) == 0
    assert reminders.cases_remind(D(2026, 12, 7), load_calendar()) == 0
    assert reminders.cases_remind(D(2026, 12, 8), load_calendar()) == 0
    assert Notification.objects.count() == count
    assert Case.objects.get(pk=case.pk).reminded_on == D(2026, 12, 4)


@pytest.mark.django_db
def test_a_new_stage_is_reminded_again(flow, staff, today):
    case = flow.submitted()
    reminders.cases_remind(D(2026, 12, 4), load_calendar())
    today(D(2026, 12, 4))

    case = case_transition(case, actor=staff.clerk, action="accept")

    assert (case.due_stage, case.reminded_on) == (DueStage.INVESTIGATION, None)


@pytest.mark.django_db
def test_finished_and_draft_cases_are_not_reminded(flow, staff, today):
    flow.filed()  # draft: no deadline
    case = flow.submitted()
    case_transition(case, actor=staff.clerk, action="reject", reason="不属于受理范围")

    assert reminders.cases_remind(D(2026, 12, 4), load_calendar()) == 0
    assert reminders.cases_escalate(D(2027, 3, 1)) == 0


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_reminder_queries_do_not_grow_with_the_cases(flow, today, count, django_assert_num_queries):
    for _ in range(count):
        flow.submitted()
    calendar = load_calendar()

    # savepoint, versions, cases, staff, users, notifications, update, release
    with django_assert_num_queries(9):  # 8 + the outbox row of the e-mail task
        assert reminders.cases_remind(D(2026, 12, 4), calendar) == count


# --- escalation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_case_is_escalated_to_the_approving_leaders_once(flow, staff, today, city_case):
    case = flow.submitted()
    mark = last_notification()

    assert reminders.cases_escalate(D(2026, 12, 8)) == 0  # due today: not overdue yet
    assert reminders.cases_escalate(D(2026, 12, 9)) == 2
    assert reminders.cases_escalate(D(2026, 12, 9)) == 0
    assert reminders.cases_escalate(D(2026, 12, 10)) == 0

    # The city department has no approving leader here: escalated, nobody to tell.
    assert sent(mark) == {(case.pk, name) for name in LEADERS}
    assert Case.objects.get(pk=case.pk).escalated_on == D(2026, 12, 9)
    event = AuditEvent.objects.get(action="tolerance.case.escalate", object_id=str(case.pk))
    assert (event.actor, event.actor_repr, event.authority_id) == (
        None,
        "system",
        flow.world.county_a_org.pk,
    )
    assert event.before == {"escalated_on": None}
    assert event.after == {
        "escalated_on": "2026-12-09",
        "due_stage": "acceptance",
        "due_on": "2026-12-08",
    }
    assert AuditEvent.objects.filter(action="tolerance.case.escalate").count() == 2


@pytest.mark.django_db
def test_escalation_subject(flow, today):
    case = flow.submitted()

    with translation.override("zh-hans"):
        reminders.cases_escalate(D(2026, 12, 9))

    subjects = {shown(n)[0] for n in Notification.objects.filter(code="tolerance.case.overdue")}
    assert subjects == {f"案件{case.reference}已超期：受理审查期限为2026-12-08"}


# --- remedial measures ---------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_remedial_measures_are_reported_once_each(flow, staff, today):
    case = flow.submitted()
    other = flow.submitted()
    late = remedy_add(
        case,
        actor=staff.clerk,
        measure="追回拨付偏差资金",
        owner="城关镇财政所",
        due_on=D(2026, 12, 10),
    )
    also_late = remedy_add(
        other,
        actor=staff.clerk,
        measure="完善资金拨付审核流程",
        owner="城关镇党委",
        due_on=D(2026, 12, 9),
    )
    done = remedy_add(
        case, actor=staff.clerk, measure="整改报告", owner="城关镇", due_on=D(2026, 12, 9)
    )
    remedy_set_status(done, actor=staff.clerk, status=RemedyStatus.DONE)
    remedy_add(case, actor=staff.clerk, measure="约谈提醒", owner="城关镇", due_on=D(2026, 12, 31))
    mark = last_notification()

    assert reminders.remedies_report_overdue(D(2026, 12, 10)) == 1  # due 9 Dec, not done
    assert reminders.remedies_report_overdue(D(2026, 12, 11)) == 1  # due 10 Dec
    assert reminders.remedies_report_overdue(D(2026, 12, 11)) == 0
    assert reminders.remedies_report_overdue(D(2026, 12, 14)) == 0

    assert sent(mark) == {
        *((other.pk, name) for name in {"t_clerk", *LEADERS}),
        *((case.pk, name) for name in {"t_clerk", *LEADERS}),
    }
    assert Notification.objects.filter(pk__gt=mark).count() == 6
    notified = dict(Remedy.objects.values_list("pk", "overdue_notified_on"))
    assert (notified[late.pk], notified[also_late.pk], notified[done.pk]) == (
        D(2026, 12, 11),
        D(2026, 12, 10),
        None,
    )


@pytest.mark.django_db
def test_remedy_notice_names_the_owner_and_the_measure(flow, staff, today):
    case = flow.submitted()
    remedy_add(
        case,
        actor=staff.clerk,
        measure="追回拨付偏差资金",
        owner="城关镇财政所",
        due_on=D(2026, 12, 10),
    )

    with translation.override("zh-hans"):
        reminders.remedies_report_overdue(D(2026, 12, 11))

    note = Notification.objects.get(recipient=staff.clerk, code="tolerance.remedy.overdue")
    assert shown(note) == (
        f"案件{case.reference}的纠错措施已超期：应于2026-12-10前完成，责任人：城关镇财政所",
        "措施：追回拨付偏差资金",
    )


# --- the daily task ------------------------------------------------------------------------


@pytest.mark.django_db
def test_daily_task_sends_every_kind_once(flow, staff, today):
    today(D(2026, 11, 25))
    flow.submitted()  # due Wed 2 Dec: overdue on the 4th
    today(START)
    reminded = flow.submitted()  # due Tue 8 Dec: two working days left on the 4th
    remedy_add(
        reminded, actor=staff.clerk, measure="追回资金", owner="财政所", due_on=D(2026, 12, 3)
    )
    today(D(2026, 12, 4))

    first = send_deadline_notices.apply().get()
    count = Notification.objects.count()
    second = send_deadline_notices.apply().get()

    assert first == {"reminded": 1, "escalated": 1, "remedies": 1}
    assert second == {"reminded": 0, "escalated": 0, "remedies": 0}
    assert Notification.objects.count() == count


def test_daily_task_is_scheduled_at_half_past_eight_shanghai_time():
    entry = settings.CELERY_BEAT_SCHEDULE["tolerance-deadline-notices"]

    assert entry["task"] == "tolerance.beat_tasks.send_deadline_notices"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {30})
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_the_periodic_tasks_are_found_by_the_workers_autodiscovery():
    # A fresh process, as a worker starts: nothing has imported tolerance.beat_tasks yet.
    code = (
        "import django; django.setup()\n"
        "from core.outbox import registered_tasks\n"
        "print(sorted(n for n in registered_tasks() if n.startswith('tolerance.beat_tasks')))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.stdout.strip().splitlines()[-1] == str(
        ["tolerance.beat_tasks.requeue_stalled_rulings", send_deadline_notices.name]
    )


# --- two beat runs at once (PostgreSQL) ----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_notice_once(flow, staff, world, today):
    import threading

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    # Another transactional test may have flushed the tables under a cached content type.
    ContentType.objects.clear_cache()
    # Its own version: a transactional test cannot count on the seeded default surviving.
    policy_version_create(
        SHAANXI_2016,
        actor=None,
        title="甲县办法",
        effective_from=D(2020, 1, 1),
        jurisdiction_code=world.county_a.code,
        publish=True,
    )
    today(D(2026, 11, 25))
    overdue = flow.submitted()  # due Wed 2 Dec
    today(START)
    due_soon = flow.submitted()  # due Tue 8 Dec
    remedy_add(
        due_soon, actor=staff.clerk, measure="追回资金", owner="财政所", due_on=D(2026, 12, 3)
    )
    before = Notification.objects.count()
    barrier = threading.Barrier(4)
    runs, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            runs.append(reminders.deadline_notices_send(D(2026, 12, 4)))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert (
        sum(r.reminded for r in runs),
        sum(r.escalated for r in runs),
        sum(r.remedies for r in runs),
    ) == (1, 1, 1)
    # reminder: the clerk; escalation: two leaders; remedy: the clerk and two leaders.
    assert Notification.objects.count() - before == 6
    assert (
        AuditEvent.objects.filter(
            action="tolerance.case.escalate", object_id=str(overdue.pk)
        ).count()
        == 1
    )
