"""The real date an application was received (收文日期): the acceptance deadline counts from
it, so a back-dated receipt can make it overdue at once; never in the future."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.models import AuditEvent
from tolerance.enums import StartedBy
from tolerance.errors import CaseError
from tolerance.models import Case
from tolerance.receipt import case_record_receipt, check_received_on

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_check_received_on_is_pure():
    assert check_received_on(D(2026, 12, 1), D(2025, 3, 10), D(2026, 12, 7)) == ""
    assert check_received_on(D(2026, 12, 8), D(2025, 3, 10), D(2026, 12, 7)) == (
        "The date of receipt cannot be in the future.")
    assert check_received_on(D(2025, 3, 9), D(2025, 3, 10), D(2026, 12, 7)) == (
        "The application cannot have been received before the conduct it is about "
        "(2025-03-10).")


def test_a_back_dated_receipt_makes_the_acceptance_deadline_overdue_at_once(flow, staff):
    case = flow.submitted()
    today = timezone.localdate()
    assert case.due_on >= today  # counted from the day it was entered
    received = today - dt.timedelta(days=30)
    case = case_record_receipt(case, actor=staff.clerk, received_on=received)
    stored = Case.objects.get(pk=case.pk)
    assert stored.received_on == received
    assert (stored.due_stage, stored.due_on < today) == ("acceptance", True)  # overdue now
    event = AuditEvent.objects.get(action="tolerance.case.receive")
    assert (event.actor, event.after["received_on"], event.after["due_on"]) == (
        staff.clerk, received.isoformat(), stored.due_on.isoformat())
    assert event.before["received_on"] is None


@pytest.mark.parametrize("days", [1, 400])
def test_a_receipt_in_the_future_or_before_the_conduct_is_refused(flow, staff, days):
    case = flow.submitted()
    received = (timezone.localdate() + dt.timedelta(days=1) if days == 1
                else case.matter.occurred_on - dt.timedelta(days=1))
    before = (case.due_on, AuditEvent.objects.count())
    with pytest.raises(CaseError) as error:
        case_record_receipt(case, actor=staff.clerk, received_on=received)
    assert error.value.field == "received_on"
    stored = Case.objects.get(pk=case.pk)
    assert (stored.received_on, (stored.due_on, AuditEvent.objects.count())) == (None, before)


def test_only_intake_staff_record_it_before_acceptance_and_only_for_applications(flow, staff):
    case = flow.submitted()
    for actor in (staff.investigator, staff.cadre, staff.clerk_b, staff.outsider):
        with pytest.raises(CaseError):
            case_record_receipt(case, actor=actor, received_on=timezone.localdate())
    accepted = flow.accepted()
    with pytest.raises(CaseError):
        case_record_receipt(accepted, actor=staff.clerk, received_on=timezone.localdate())
    ex_officio = flow.submitted(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    with pytest.raises(CaseError) as error:
        case_record_receipt(ex_officio, actor=staff.clerk, received_on=timezone.localdate())
    assert str(error.value) == ("The date of receipt is recorded by the intake staff before the "
                                "application is accepted.")
    assert not AuditEvent.objects.filter(action="tolerance.case.receive").exists()
