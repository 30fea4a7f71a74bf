"""Celery task of the register export: an id in, one service call, safe to run twice."""

from celery import shared_task

from register.models import ExportState

from . import jobs


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
    acks_late=True,
    # An export of many thousand documents takes minutes, not seconds.
    soft_time_limit=3300,
    time_limit=3600,
)
def export_register(self, *, job_id: int) -> int | None:
    job = jobs.export_run(job_id, retry=self.request.retries < self.max_retries)
    if job is not None and job.state == ExportState.RUNNING:
        # Another run holds the job (a message delivered twice, or a run whose worker died).
        # Look again once its claim would be stale: a dead run is then taken over.
        raise self.retry(countdown=jobs.seconds_until_stale(job))
    return job.done if job is not None else None


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def expire_exports() -> int:
    """Celery beat, daily: delete the files of exports past their retention (idempotent)."""
    from .retention import exports_expire

    return exports_expire()
