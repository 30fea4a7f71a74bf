"""Periodic tolerance tasks run by Celery beat (see CELERY_BEAT_SCHEDULE in config/settings).

Found by the worker's autodiscovery (config/celery_app.py looks for ``beat_tasks`` modules
too). Safe to run twice: each notice is sent once (tolerance.reminders).
"""

import logging

from celery import shared_task

from . import recovery, reminders

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    retry_backoff=True,
    autoretry_for=(OSError, ConnectionError),
)
def send_deadline_notices(self) -> dict[str, int]:
    """Reminders before due dates, escalation of overdue cases, overdue remedial measures."""
    run = reminders.deadline_notices_send()
    logger.info(
        "Tolerance deadline notices: %d reminded, %d escalated, %d overdue measures",
        run.reminded,
        run.escalated,
        run.remedies,
    )
    return {"reminded": run.reminded, "escalated": run.escalated, "remedies": run.remedies}


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    retry_backoff=True,
    autoretry_for=(OSError, ConnectionError),
)
def requeue_stalled_rulings(self) -> dict[str, list[int]]:
    """Decided cases whose rulings never arrived: send the (idempotent) ruling task again."""
    run = recovery.rulings_requeue_stalled()
    return {"requeued": run.requeued, "given_up": run.given_up}
