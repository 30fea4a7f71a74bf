"""Celery tasks: the yearly scan (beat) and the on-demand scan per year and authority; the
proposal and decision documents (queued through core.outbox by proposal_transition).

Idempotent by the proposals' unique key (cadre, area, year) and the documents' keys: a
redelivered task creates nothing twice.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from cadres.models import Authority
from promotions.triggers.scan import scan

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, max_retries=3, retry_backoff=10)
def scan_year(*, year: int, authority_id: int | None = None) -> dict:
    authority = None
    if authority_id is not None:
        authority = Authority.objects.filter(pk=authority_id).first()
        if authority is None:
            logger.warning("scan_year: authority %s no longer exists", authority_id)
            return {}
    result = scan(year, authority=authority)
    logger.info(
        "Scan %s (%s): %s new, %s existing", year, authority_id, result.created, result.existing
    )
    return {"created": result.created, "existing": result.existing, "fired": result.fired}


@shared_task
def scan_last_year() -> dict:
    """For Celery beat, early each year: last year's results are in."""
    return scan_year(year=timezone.localdate().year - 1)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def issue_proposal_document(self, *, proposal_id: int, kind: str) -> int | None:
    """The proposal's or decision's document (its id); keyed, so running twice issues once."""
    from promotions.proposals.documents import issue_for

    document = issue_for(proposal_id, kind)
    return document.pk if document is not None else None


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def issue_exceptional_document(self, *, request_id: int) -> int | None:
    """The approval of an exceptional promotion: drafted for its sign-off (or issued);
    keyed, so running twice drafts or issues once."""
    from .exceptional.documents import issue_exceptional

    document = issue_exceptional(request_id)
    return document.pk if document is not None else None
