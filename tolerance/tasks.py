"""Celery tasks of the tolerance workflow: ids in, one service call, safe to run twice.

Each task looks its object up, logs and returns when it is gone (a case deleted in a test
database, a message left in the broker), and calls one function of tolerance.rulings. The
documents are keyed (one per case notice, per cadre's ruling, per appeal), so a task that
is delivered again (acks_late: after a worker crash or a visibility timeout) or runs twice
returns the document already issued and consumes no number.

Transient failures (the database or the file storage briefly unavailable) are retried with
an exponential backoff: 5 s, 10 s, 20 s ... at most 5 minutes apart, 5 times. Anything else
(fonts missing, a template error) fails at once and is logged by Celery.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import rulings
from .models import Appeal, Case

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, OperationalError, InterfaceError)

RETRY = {
    "bind": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


def _gone(model, pk: int, task: str) -> bool:
    if model.objects.filter(pk=pk).exists():
        return False
    logger.warning("%s: %s %s no longer exists; nothing to do", task, model.__name__, pk)
    return True


@shared_task(**RETRY)
def issue_case_notice(self, case_id: int, kind: str) -> int | None:
    """The acceptance or non-acceptance notice of the case (its document id)."""
    if _gone(Case, case_id, self.name):
        return None
    document = rulings.issue_case_notice(case_id, kind)
    return document.pk if document is not None else None


@shared_task(**RETRY)
def issue_rulings(self, case_id: int) -> list[int]:
    """A ruling for every cadre of a decided case; the case moves to 'ruling issued'."""
    if _gone(Case, case_id, self.name):
        return []
    return [document.pk for document in rulings.issue_rulings(case_id)]


@shared_task(**RETRY)
def issue_appeal_decision(self, appeal_id: int) -> int | None:
    """The decision on a reviewed appeal (its document id)."""
    if _gone(Appeal, appeal_id, self.name):
        return None
    document = rulings.issue_appeal_decision(appeal_id)
    return document.pk if document is not None else None
