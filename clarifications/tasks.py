"""Celery tasks of clarifications: ids in, one function call, safe to run twice (keyed)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.models import User

from .documents import issue_notice

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def issue_clarification_notice(self, *, clarification_id: int, actor_id: int | None) -> int | None:
    """The clarification notice (its document id), issued once."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    document = issue_notice(clarification_id, actor=actor)
    if document is None:
        logger.warning("%s: clarification %s is gone", self.name, clarification_id)
        return None
    return document.pk
