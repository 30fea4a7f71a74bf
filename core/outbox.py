"""A transactional outbox for Celery tasks: work is never lost when the broker is down.

`enqueue(task, *args)` inside a service's transaction writes an `OutboxTask` row with the
change that needs it. Right after the commit it tries to send the task; if the broker
(Redis) cannot be reached, it logs one line and leaves the row: the page still answers,
and the periodic `core.tasks.drain_outbox` (Celery beat, every minute) sends the row once
the broker is back. If the transaction rolls back, the row goes with it and nothing is sent.

Sending is at-least-once (a crash between sending and marking the row sends it again), so
the tasks must be idempotent, as the house rules require anyway. Each send is claimed with a
compare-and-swap update, so the after-commit attempt and the drain never send the same row
at the same time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from .models import OutboxTask

logger = logging.getLogger(__name__)

# What a broker that cannot be reached raises from apply_async.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, OSError)
try:  # the redis client's own errors, when a connection breaks half-way
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BROKER_ERRORS += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis is a dependency
    pass

# How long a claimed row is left alone before another sender may try it again.
CLAIM_SECONDS = 300
# Sent rows are kept this long (to answer "was it sent?"), then the drain removes them.
KEEP_SENT = dt.timedelta(days=7)
# One quick retry when publishing: a user waits on the after-commit attempt.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Seconds between in-process attempts of a failing task (times the attempt number).
EAGER_PAUSE = 0.5


def enqueue(task, *args, **kwargs) -> OutboxTask:
    """Send `task(*args, **kwargs)` after the current transaction commits, durably.

    `task` is a Celery task or its registered name ("core.tasks.email_notifications"): a
    service that its own task module calls back names the task, so that the two modules do
    not import each other. An unknown name is refused here, not when the row is sent.
    Arguments must be JSON values (ids, strings), as for any Celery task.
    """
    if isinstance(task, str):
        if task not in registered_tasks():
            raise LookupError(f"No Celery task is registered as {task!r}")
        name = task
    else:
        name = task.name
    row = OutboxTask.objects.create(task=name, args=list(args), kwargs=dict(kwargs))
    transaction.on_commit(lambda: deliver(row.pk))
    return row


def _claim(pk: int, now: dt.datetime) -> bool:
    """Take the row for sending; True only for the one caller whose update changed it."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claimed = OutboxTask.objects.filter(Q(pk=pk, sent_at__isnull=True) & free).update(
        claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS)
    )
    return claimed == 1


def registered_tasks():
    """Celery's task registry with every app's task modules imported (a web process imports
    them on first use, as a worker does when it starts)."""
    from celery import current_app

    global _modules_imported
    if not _modules_imported:
        current_app.loader.import_default_modules()
        _modules_imported = True
    return current_app.tasks


_modules_imported = False


def deliver(pk: int) -> bool | None:
    """Send one waiting row now.

    True: sent. False: the broker is unavailable, the row waits for the next drain.
    None: nothing to do (already sent, or another sender holds the claim).
    """
    from celery import current_app

    if not _claim(pk, timezone.now()):
        return None
    row = OutboxTask.objects.get(pk=pk)
    task = registered_tasks()[row.task]
    if current_app.conf.task_always_eager:
        return _run_in_process(row, task)
    try:
        task.apply_async(
            args=row.args, kwargs=row.kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except BROKER_ERRORS as exc:
        OutboxTask.objects.filter(pk=pk).update(
            claimed_until=None, attempts=F("attempts") + 1, last_error=str(exc)[:300]
        )
        logger.warning(
            "Task broker unavailable: %s (queued task %s) will be sent later (%s)",
            row.task,
            pk,
            exc.__class__.__name__,
        )
        return False
    OutboxTask.objects.filter(pk=pk).update(
        sent_at=timezone.now(), claimed_until=None, attempts=F("attempts") + 1, last_error=""
    )
    return True


def _run_in_process(row: OutboxTask, task) -> bool:
    """The embedded mode (no broker): run the task here, trying again a few times with a
    short pause (a task can fail on a busy database, or ask Celery for a retry, which an
    in-process run raises instead of scheduling). A task that still fails is left in the
    outbox, unsent, for the in-process recovery (core.embedded_beat): the change that
    needed it is committed and the request answers normally.

    OUTBOX_EAGER_RAISE (the test settings) raises the last failure instead, so that a test
    sees its task's errors.
    """
    attempts = max(1, settings.OUTBOX_EAGER_ATTEMPTS)
    for attempt in range(1, attempts + 1):
        try:
            task.apply_async(args=row.args, kwargs=row.kwargs)
        except Exception as exc:
            if attempt < attempts:
                time.sleep(EAGER_PAUSE * attempt)
                continue
            OutboxTask.objects.filter(pk=row.pk).update(
                claimed_until=None, attempts=F("attempts") + attempt, last_error=repr(exc)[:300]
            )
            if settings.OUTBOX_EAGER_RAISE:
                raise
            logger.exception(
                "Task %s (queued task %s) failed %d times in-process; left for recovery",
                row.task, row.pk, attempt,
            )
            return False
        OutboxTask.objects.filter(pk=row.pk).update(
            sent_at=timezone.now(), claimed_until=None, attempts=F("attempts") + attempt,
            last_error="",
        )
        return True
    return False  # pragma: no cover - the loop always returns


def drain(*, limit: int = 500) -> int:
    """Send the rows still waiting, oldest first; stops at the first broker failure.

    Returns how many were sent. Run every minute by Celery beat (core.tasks.drain_outbox).
    Rows sent more than KEEP_SENT ago are removed.
    """
    from celery import current_app

    OutboxTask.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    sent = 0
    waiting = (
        OutboxTask.objects.filter(sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now()))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(waiting):
        try:
            result = deliver(pk)
        except Exception:
            logger.exception("Queued task %s failed when run in-process", pk)
            continue
        if result is False:
            if current_app.conf.task_always_eager:
                continue  # in-process: that task failed, the others may not
            break  # the broker is still down: the next run tries again
        sent += int(bool(result))
    return sent


def pending(task, *args) -> bool:
    """Is `task(*args)` written but not yet handed to the broker? (for "queued" notices)"""
    return OutboxTask.objects.filter(
        task=task.name, args=list(args), sent_at__isnull=True
    ).exists()
