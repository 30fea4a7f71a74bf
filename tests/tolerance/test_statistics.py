"""The leaders' statistics: exact figures, working days on the official calendar, scope,
and a constant number of queries."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.workdays import load_calendar
from tests.register.support import *  # noqa: F403 - the fixtures
from tolerance.enums import Outcome
from tolerance.models import Case
from tolerance.statistics import statistics

pytestmark = pytest.mark.django_db

URL = reverse("stats:index")
Y = timezone.localdate().year
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_figures_of_every_authority(ledger):
    figures = statistics(ledger.people["admin"], year=Y)
    month = timezone.localdate().month
    assert figures.cases == 4  # the draft A4 is nobody's statistic
    assert [m["label"] for m in figures.months] == [f"{Y}-{m:02d}" for m in range(1, 13)]
    assert figures.months[month - 1] == {
        "label": f"{Y}-{month:02d}", "applications": 3, "ex_officio": 1
    }
    assert sum(m["applications"] + m["ex_officio"] for m in figures.months) == 4
    by_situation = {row["code"]: row["counts"] for row in figures.outcomes_by_situation}
    # A1's conclusion as it stands (changed on appeal); A2's two cadres; C1, a city case
    # judged under the Jinan measure.
    assert by_situation == {
        "SX-01": {Outcome.MITIGATED: 1},
        "JN-01": {Outcome.LIGHTER: 1},
        "SX-02": {Outcome.NOT_TOLERATED: 2},
        "SX-03": {Outcome.NOT_TOLERATED: 2},
    }
    assert figures.outcomes_by_situation[0]["text"].startswith("在")
    assert figures.appeals == {"pending": 0, "confirmed": 0, "changed": 1}
    assert figures.appeal_changes == [(Outcome.LIGHTER, Outcome.MITIGATED, 1)]
    rows = {row.name: row for row in figures.by_authority}
    county, city = rows["中共甲县县委组织部"], rows["中共济南市委组织部"]
    assert (county.cases, county.applications, county.not_accepted, county.decided) == (
        3, 3, 1, 2
    )
    assert county.outcomes == {Outcome.MITIGATED: 1, Outcome.NOT_TOLERATED: 2}
    assert (county.appeals, county.changed_on_appeal, county.exempt_share) == (1, 1, 0)
    assert (city.cases, city.applications, city.decided, city.outcomes) == (
        1, 0, 1, {Outcome.LIGHTER: 1}
    )
    assert city.exempt_share == 0 and figures.decided_cadres == 4
    assert statistics(ledger.people["admin"], year=Y - 1).cases == 0


def test_overdue_cases_count_working_days_late(ledger):
    today = timezone.localdate()
    due = today - dt.timedelta(days=20)
    Case.objects.filter(pk=ledger.a2.pk).update(due_on=due)
    Case.objects.filter(pk=ledger.a3.pk).update(due_on=due)  # not accepted: finished
    figures = statistics(ledger.people["auditor_a"], year=Y)
    assert figures.overdue_total == 1
    assert [(stage, n) for stage, _label, n in figures.overdue_by_stage] == [("feedback", 1)]
    (late,) = figures.worst_overdue
    assert (late.pk, late.due_on) == (ledger.a2.pk, due)
    assert late.working_days_late == load_calendar().working_days_between(due, today) > 0
    assert [row.overdue for row in figures.by_authority] == [1]


def _stamp(case, action, when):
    AuditEvent.objects.create(
        action=f"tolerance.case.{action}",
        at=dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI),
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case.pk),
        authority_id=case.authority_id,
    )


def test_stage_durations_are_working_days_on_the_official_calendar(world, staff, flow):  # noqa: F811
    first, second = flow.submitted(), flow.submitted()
    # National Day 2026: 1–7 October off, Saturday 10 October worked.
    _stamp(first, "submit", "2026-09-30 09:00")
    _stamp(first, "accept", "2026-10-12 16:00")  # 8, 9, 10, 12 October: 4
    _stamp(first, "refer", "2026-10-20 10:00")
    _stamp(first, "send_back", "2026-10-21 10:00")
    _stamp(first, "refer", "2026-10-26 10:00")  # from 12 to the last referral: 10
    _stamp(first, "decide", "2026-10-30 10:00")  # 4
    _stamp(first, "feed_back", "2026-11-02 10:00")  # 1
    _stamp(first, "appeal", "2026-11-03 10:00")
    _stamp(first, "conclude_appeal", "2026-11-10 10:00")  # 5
    _stamp(second, "submit", "2026-10-09 09:00")
    _stamp(second, "reject", "2026-10-12 09:00")  # 10 (worked Saturday) and 12: 2
    figures = statistics(staff.clerk, year=None)
    assert [(s.stage, s.cases, s.average_days) for s in figures.stages] == [
        ("acceptance", 2, 3.0),
        ("investigation", 1, 10.0),
        ("decision", 1, 4.0),
        ("feedback", 1, 1.0),
        ("appeal_decision", 1, 5.0),
    ]


def test_each_user_counts_only_their_authorities(ledger):
    auditor = ledger.people["auditor_a"]
    assert [r.name for r in statistics(auditor, year=Y).by_authority] == ["中共甲县县委组织部"]
