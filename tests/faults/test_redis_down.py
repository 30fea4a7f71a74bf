"""Redis down: pages still work, the work waits in the outbox, and is done once Redis is back.

core.outbox writes each task in the transaction of the change that needs it and tries to
send it after the commit; a broker that cannot be reached is logged and the row waits for
core.tasks.drain_outbox. The broker is "down" here by pointing Celery at a closed port.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging

import pytest
import redis
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core import outbox
from core.models import DocumentKind, IssuedDocument, Notification, OutboxTask
from core.notifications import notify
from tolerance import tasks as tolerance_tasks
from tolerance.enums import CaseState, Outcome
from tolerance.models import Case

from .conftest import CLOSED, broker, redis_url, wait_for

DRAFT = "core.draft.to_check"  # any kind will do: these tests are about the outbox

# The decision's ruling task is issued by it at once (no draft to sign off first).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_signoff")]


@pytest.fixture
def recipient(personas):
    personas.clerk_a.email = "clerk@example.org"
    personas.clerk_a.save()
    return personas.clerk_a


# --- the outbox itself -------------------------------------------------------------------


def test_notify_with_broker_down_keeps_the_email_for_later(recipient, caplog):
    caplog.set_level(logging.WARNING, logger="core.outbox")
    with broker(CLOSED):
        with transaction.atomic():
            (note,) = notify([recipient], DRAFT, params={"title": "案件已受理"})
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.sent_at, row.attempts) == (
        "core.tasks.email_notifications", [[note.pk]], None, 1
    )
    assert "6390" in row.last_error
    assert "Task broker unavailable: core.tasks.email_notifications" in caplog.text
    assert Notification.objects.filter(pk=note.pk, emailed_at=None).exists()
    assert mail.outbox == []

    # The broker is back (eager here: the task runs in this process).
    assert outbox.drain() == 1
    assert [m.to for m in mail.outbox] == [["clerk@example.org"]]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert outbox.drain() == 0
    assert len(mail.outbox) == 1


def test_rolled_back_change_sends_nothing(recipient):
    with broker(CLOSED), contextlib.suppress(RuntimeError), transaction.atomic():
        notify([recipient], DRAFT, params={"title": "s"})
        raise RuntimeError("the service failed")
    assert OutboxTask.objects.count() == 0
    assert outbox.drain() == 0


def test_broker_up_sends_at_once(recipient):
    with transaction.atomic():
        notify([recipient], DRAFT, params={"title": "s"})
    row = OutboxTask.objects.get()
    assert row.sent_at is not None and row.attempts == 1
    assert len(mail.outbox) == 1


def test_drain_stops_at_the_first_broker_failure(recipient):
    with broker(CLOSED):
        for subject in ("a", "b", "c"):
            with transaction.atomic():
                notify([recipient], DRAFT, params={"title": subject})
        assert outbox.drain() == 0
    assert list(OutboxTask.objects.order_by("pk").values_list("attempts", flat=True)) == [
        2, 1, 1
    ]
    assert outbox.drain() == 3
    assert sorted(m.subject for m in mail.outbox) == ["待核稿：a", "待核稿：b", "待核稿：c"]


def test_claimed_row_is_left_to_its_sender(recipient):
    with broker(CLOSED), transaction.atomic():
        notify([recipient], DRAFT, params={"title": "s"})
    row = OutboxTask.objects.get()
    assert outbox._claim(row.pk, row.created_at) is True
    assert outbox.deliver(row.pk) is None  # someone else holds it
    assert outbox.drain() == 0
    assert mail.outbox == []


def test_drain_removes_rows_sent_a_week_ago(recipient):
    with transaction.atomic():
        notify([recipient], DRAFT, params={"title": "old"})
        notify([recipient], DRAFT, params={"title": "new"})
    old, new = OutboxTask.objects.order_by("pk")
    OutboxTask.objects.filter(pk=old.pk).update(
        sent_at=old.sent_at - outbox.KEEP_SENT - dt.timedelta(minutes=1)
    )
    assert outbox.drain() == 0
    assert list(OutboxTask.objects.values_list("pk", flat=True)) == [new.pk]


def test_drain_task_is_scheduled_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-drain-outbox"]
    assert entry == {"task": "core.tasks.drain_outbox", "schedule": 60.0}


@pytest.mark.redis
def test_drain_hands_the_task_to_the_real_broker(recipient):
    """Down, then up: the message the drain sends is in Redis, in the default queue."""
    url = redis_url()
    client = redis.Redis.from_url(url)
    client.delete("celery")
    with broker(CLOSED), transaction.atomic():
        (note,) = notify([recipient], DRAFT, params={"title": "s"})
    assert client.llen("celery") == 0
    try:
        with broker(url):
            assert outbox.drain() == 1
        (raw,) = client.lrange("celery", 0, -1)
        message = json.loads(raw)
        assert message["headers"]["task"] == "core.tasks.email_notifications"
        assert json.loads(message["headers"]["argsrepr"].replace("(", "[").replace(",)", "]")) == [
            [note.pk]
        ]
    finally:
        client.delete("celery")
        client.close()


# --- a tolerance decision with the broker down ------------------------------------------

def decide_by_post(client, flow, staff) -> Case:
    """A member present at the meeting records the conclusion on the case page, as a
    browser would."""
    case = flow.deliberating()
    meeting = flow.meeting(case, Outcome.EXEMPT)
    (entry,) = case.entries.all()
    client.force_login(staff.members[0])
    response = client.post(
        reverse("tolerance:case_action", args=[case.pk, "decide"]),
        {
            "target": entry.pk,
            f"decide-{entry.pk}-outcome": Outcome.EXEMPT,
            f"decide-{entry.pk}-meeting": meeting.pk,
            f"decide-{entry.pk}-reason": "符合容错情形",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(pk=case.pk)


def test_decision_with_broker_down_is_queued_then_issued(client, flow, staff):
    with broker(CLOSED):
        case = decide_by_post(client, flow, staff)
        assert case.state == CaseState.DECIDED
        page = client.get(reverse("tolerance:case_detail", args=[case.pk]))
        assert page.status_code == 200
        assert outbox.pending(tolerance_tasks.issue_rulings, case.pk)
        # The user is told the document is queued and will appear when ready.
        assert page.context["page"].ruling_status == "queued"
        assert "认定决定书正在生成：任务已排队" in page.content.decode()
    assert not IssuedDocument.objects.filter(kind=DocumentKind.TOLERANCE_RULING).exists()

    assert outbox.drain() >= 1  # the broker is back (eager: runs here)
    case.refresh_from_db()
    assert case.state == CaseState.RULING_ISSUED
    assert IssuedDocument.objects.filter(
        kind=DocumentKind.TOLERANCE_RULING, object_id=case.pk
    ).count() == 1
    assert not outbox.pending(tolerance_tasks.issue_rulings, case.pk)
    page = client.get(reverse("tolerance:case_detail", args=[case.pk]))
    assert page.context["page"].ruling_status == ""
    assert "认定决定书正在生成" not in page.content.decode()


@pytest.mark.redis
@pytest.mark.postgres
def test_decision_with_redis_down_completes_on_a_real_worker(
    client, flow, staff, processes, tmp_path, settings, queue_name
):
    """Redis down → decided and queued; Redis back → drain → a worker issues the ruling."""
    var = tmp_path / "var"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(var / "media")},
        },
    }
    with broker(CLOSED):
        case = decide_by_post(client, flow, staff)
    assert outbox.pending(tolerance_tasks.issue_rulings, case.pk)
    worker = processes.worker(var, "celery")  # the default queue of this Redis database
    with broker(redis_url()):
        assert outbox.drain() >= 1
    wait_for(
        lambda: Case.objects.get(pk=case.pk).state == CaseState.RULING_ISSUED,
        timeout=120,
        what="the worker to issue the ruling",
        log=worker,
    )
    assert IssuedDocument.objects.filter(
        kind=DocumentKind.TOLERANCE_RULING, object_id=case.pk
    ).count() == 1
