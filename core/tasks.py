from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import outbox
from .notifications import notifications_email


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    acks_late=True,
)
def email_notifications(self, ids: list[int]) -> int:
    """Mail these notifications (ids); those already mailed are skipped."""
    return notifications_email(ids)


@shared_task(acks_late=True, ignore_result=True)
def warn_missing_calendar() -> int:
    """In November and December, tell administrators that next year's holiday schedule is
    missing (at most weekly each; core.calendar_watch)."""
    from django.utils import timezone

    from .calendar_watch import warn_missing_calendar as warn

    return warn(timezone.localdate(), now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def purge_kept_uploads() -> int:
    """Delete the files kept for a form's retry that are past their time (core.kept_uploads)."""
    from .kept_uploads import purge_expired

    return purge_expired()


@shared_task(acks_late=True, ignore_result=True)
def drain_outbox() -> int:
    """Send the queued tasks the broker missed (run every minute by beat)."""
    return outbox.drain()


@shared_task(
    bind=True,
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def issue_draft(self, *, draft_id: int) -> int | None:
    """Issue a signed-off draft (its document id); running twice issues it once."""
    from .drafts import draft_issue

    document = draft_issue(draft_id)
    return document.pk if document is not None else None


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
    acks_late=True,
    # A roster of 200,000 rows takes minutes, not seconds.
    soft_time_limit=3300,
    time_limit=3600,
)
def run_import(self, *, job_id: int) -> str | None:
    """Run an import job (core.imports); a job already taken or finished is left alone."""
    from .imports import import_run, seconds_until_stale
    from .models import ImportState

    job = import_run(job_id, retry=self.request.retries < self.max_retries)
    if job is not None and job.state == ImportState.RUNNING:
        # Another run holds the job (a message delivered twice, or a worker that died).
        # Look again once its claim would be stale: a dead run is then taken over.
        raise self.retry(countdown=seconds_until_stale(job))
    return job.state if job is not None else None


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def expire_imports() -> int:
    """Celery beat, daily: delete the files of imports past their retention (idempotent)."""
    from .imports import imports_expire

    return imports_expire()
