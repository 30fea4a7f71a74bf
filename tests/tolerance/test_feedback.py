"""Delivery (送达): method, the real date, the signed receipt; the appeal window counts from
the recorded delivery date in working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from core.models import AuditEvent
from core.workdays import load_calendar
from tolerance import deadlines
from tolerance.enums import CaseState, Outcome
from tolerance.errors import CaseError
from tolerance.feedback import case_feed_back, check_delivered_on
from tolerance.models import Case, Delivery, DeliveryMethod

from .conftest import shift_now

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def today(monkeypatch):
    """Fake today (and now) so that working-day counts are exact."""
    real = timezone.localdate
    state = {}

    def fake(value=None, timezone=None):
        return state["day"] if value is None and "day" in state else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", fake)
    shift_now(monkeypatch, lambda: state.get("day"))
    return lambda day: state.__setitem__("day", day)


def test_check_delivered_on_is_pure():
    assert check_delivered_on(D(2026, 12, 1), D(2026, 11, 30), D(2026, 12, 2)) == ""
    assert check_delivered_on(D(2026, 12, 3), None, D(2026, 12, 2)) == (
        "The date of delivery cannot be in the future.")
    assert check_delivered_on(D(2026, 11, 29), D(2026, 11, 30), D(2026, 12, 2)) == (
        "The conclusion cannot be delivered before its ruling was issued (2026-11-30).")


def test_a_back_dated_delivery_opens_the_window_from_its_own_date(flow, staff, today):
    today(D(2026, 11, 23))  # Mon: the ruling is issued
    case = flow.decided(outcome=Outcome.LIGHTER)
    today(D(2026, 12, 7))  # Mon: the clerk enters a delivery made a week earlier
    entered = dt.datetime.now(dt.UTC)  # the real clock, which stamps audit rows
    case = case_feed_back(case, actor=staff.clerk, method=DeliveryMethod.POST,
                          delivered_on=D(2026, 11, 30))
    # 15 working days from Mon 30 Nov (the day itself not counted): Mon 21 Dec.
    expected = deadlines.appeal_deadline(
        D(2026, 11, 30), case.policy_version.policy.procedure, load_calendar()).date
    assert expected == D(2026, 12, 21)
    assert (case.state, case.fed_back_on, case.appeal_due_on) == (
        CaseState.FED_BACK, D(2026, 11, 30), D(2026, 12, 21))
    delivery = Delivery.objects.get()
    assert (delivery.method, delivery.delivered_on, delivery.appeal_due_on,
            delivery.recorded_by, delivery.receipt_sha256) == (
        "post", D(2026, 11, 30), D(2026, 12, 21), staff.clerk, "")
    event = AuditEvent.objects.get(action="tolerance.delivery.record")
    assert (event.actor, event.authority_id) == (staff.clerk, case.authority_id)
    assert event.after == {
        "delivery": delivery.pk, "method": "post", "delivered_on": "2026-11-30",
        "appeal_due_on": "2026-12-21", "receipt_sha256": "", "filename": "",
    }
    # Stamped when it was entered (AuditEvent.at reads the real clock, not the faked
    # day), next to what happened: the delivered_on above.
    assert entered <= event.at <= dt.datetime.now(dt.UTC)


def test_a_delivery_long_ago_closes_the_window_at_once(flow, staff, today):
    today(D(2026, 10, 9))
    case = flow.decided(outcome=Outcome.LIGHTER)
    today(D(2026, 12, 7))
    case = case_feed_back(case, actor=staff.clerk, method=DeliveryMethod.IN_PERSON,
                          delivered_on=D(2026, 10, 12))
    assert case.appeal_due_on < D(2026, 12, 7)
    from tolerance import predicates as P

    assert P.appeal_window_open(case) is False


def test_the_signed_receipt_is_stored_with_its_hash(flow, staff):
    case = flow.decided()
    receipt = SimpleUploadedFile("回证.pdf", PDF, content_type="application/pdf")
    case_feed_back(case, actor=staff.clerk, method=DeliveryMethod.IN_PERSON,
                   delivered_on=timezone.localdate(), receipt=receipt)
    delivery = Delivery.objects.get()
    assert (delivery.receipt_filename, delivery.receipt_content_type, delivery.receipt_size) == (
        "回证.pdf", "application/pdf", len(PDF))
    import hashlib

    assert delivery.receipt_sha256 == hashlib.sha256(PDF).hexdigest()
    assert delivery.receipt.read() == PDF


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"delivered_on": "tomorrow"}, "The date of delivery cannot be in the future.",
         "delivered_on"),
        ({"delivered_on": "before"}, "The conclusion cannot be delivered before its ruling was "
         "issued", "delivered_on"),
        ({"method": "pigeon"}, "Choose how the conclusion was delivered.", None),
        ({"receipt": b"MZ\x90\x00 an executable"}, "", "receipt"),
        ({"receipt": b""}, "The file is empty.", "receipt"),
    ],
)
def test_a_refused_delivery_changes_nothing(flow, staff, change, message, field):
    case = flow.decided()
    today = timezone.localdate()
    values = {"method": DeliveryMethod.IN_PERSON, "delivered_on": today, "receipt": None}
    if change.get("delivered_on") == "tomorrow":
        values["delivered_on"] = today + dt.timedelta(days=1)
    elif change.get("delivered_on") == "before":
        values["delivered_on"] = today - dt.timedelta(days=1)
    if "method" in change:
        values["method"] = change["method"]
    if "receipt" in change:
        values["receipt"] = SimpleUploadedFile("回证.pdf", change["receipt"])
    events = AuditEvent.objects.count()
    with pytest.raises(CaseError) as error:
        case_feed_back(case, actor=staff.clerk, **values)
    assert message in str(error.value)
    assert error.value.field == field
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.fed_back_on, stored.appeal_due_on) == (
        CaseState.RULING_ISSUED, None, None)
    assert (Delivery.objects.count(), AuditEvent.objects.count()) == (0, events)
