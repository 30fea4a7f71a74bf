"""Rulings that never arrived: decided cases whose ruling task was handed to the broker but
whose documents did not appear (the message was lost, the task failed for good after its
retries). Celery beat runs rulings_requeue_stalled every 15 minutes; the task is idempotent,
so sending it again is safe.

A case counts as stalled when it has been decided for longer than
TOLERANCE_RULING_STALL_MINUTES, no ruling of it waits for its check or sign-off (people's
business, not a lost task: core.drafts), its ruling task is not waiting in the outbox (the
broker being down is the drain's business, not ours) and was not sent within that time
either.
Every resend has its audit row. After TOLERANCE_RULING_MAX_REQUEUES resends the case is left
alone and logged as an error (at every run) for an administrator to look at: a ruling that
fails every time will not be fixed by sending it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core import audit
from core.models import DocumentDraft, DraftState, OutboxTask
from core.outbox import enqueue

from . import tasks
from .enums import CaseState
from .models import Case

logger = logging.getLogger(__name__)


@dataclass
class RequeueRun:
    requeued: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)


def rulings_requeue_stalled(*, now: dt.datetime | None = None) -> RequeueRun:
    """Send the ruling task again for stalled decided cases (two queries when none is)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.TOLERANCE_RULING_STALL_MINUTES)
    awaiting_signoff = DocumentDraft.objects.filter(
        content_type__app_label=Case._meta.app_label,
        content_type__model=Case._meta.model_name,
        object_id=OuterRef("pk"),
        state__in=(DraftState.DRAFTED, DraftState.CHECKED),
    )
    stalled = {
        case.pk: case
        for case in Case.objects.filter(state=CaseState.DECIDED, decided_at__lt=cutoff).exclude(
            Exists(awaiting_signoff)
        )
    }
    run = RequeueRun()
    if not stalled:
        return run
    sends: dict[int, list[OutboxTask]] = defaultdict(list)
    rows = OutboxTask.objects.filter(
        task=tasks.issue_rulings.name, args__in=[[pk] for pk in stalled]
    ).only("args", "sent_at")
    for row in rows:
        sends[row.args[0]].append(row)
    for pk, case in sorted(stalled.items()):
        rows = sends[pk]
        if any(r.sent_at is None or r.sent_at >= cutoff for r in rows):
            continue  # waiting for the broker, or sent a moment ago: give it time
        if len(rows) > settings.TOLERANCE_RULING_MAX_REQUEUES:
            run.given_up.append(pk)
            continue
        with transaction.atomic():
            enqueue(tasks.issue_rulings, pk)
            audit.record(
                "tolerance.case.ruling_requeued",
                actor=None,
                obj=case,
                after={"sent_before": len(rows)},
                authority_id=case.authority_id,
            )
        run.requeued.append(pk)
    if run.requeued:
        logger.warning("Ruling task sent again for stalled cases %s", run.requeued)
    if run.given_up:
        logger.error(
            "Rulings of cases %s never arrived after %d sends; an administrator should look",
            run.given_up,
            settings.TOLERANCE_RULING_MAX_REQUEUES + 1,
        )
    return run
