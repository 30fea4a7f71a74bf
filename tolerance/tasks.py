"""Celery tasks of the tolerance workflow: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import rulings

RETRY = {
    "bind": True,
    "autoretry_for": (OSError, ConnectionError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(**RETRY)
def issue_case_notice(self, case_id: int, kind: str) -> int:
    return rulings.issue_case_notice(case_id, kind).pk


@shared_task(**RETRY)
def issue_rulings(self, case_id: int) -> list[int]:
    return [document.pk for document in rulings.issue_rulings(case_id)]


@shared_task(**RETRY)
def issue_appeal_decision(self, appeal_id: int) -> int:
    return rulings.issue_appeal_decision(appeal_id).pk
