"""Background imports (core.imports): one job per uploaded file, its declared states."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")

    @classmethod
    def active(cls) -> tuple[str, str]:
        return (cls.QUEUED, cls.RUNNING)


class ImportJob(FSMModelMixin, models.Model):
    """A file to import, run in the background (core.imports): the stored upload, its
    progress, and what came of it (the summary, the row errors' workbook).

    `kind` is what an app registered with core.imports.register_import_kind; the state
    changes only through core.imports.import_transition. The upload is deleted once the job
    has finished; the error workbook when the job expires.
    """

    STALE_AFTER = dt.timedelta(minutes=15)  # a running job this quiet may be taken over ...
    MAX_ATTEMPTS = 3  # ... this many runs in all

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    kind = models.CharField(_("kind of import"), max_length=40)
    options = models.JSONField(_("options"), default=dict, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    language = models.CharField(_("language of the report"), max_length=12, blank=True)
    upload = models.FileField(_("uploaded file"), max_length=200, blank=True)
    upload_size = models.PositiveBigIntegerField(_("file size in bytes"), default=0)
    state = FSMField(
        _("state"), max_length=12, choices=ImportState.choices, default=ImportState.QUEUED,
        protected=True,
    )
    total = models.PositiveIntegerField(_("rows to check"), default=0)
    done = models.PositiveIntegerField(_("rows checked"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.JSONField(_("result"), default=dict, blank=True)
    report = models.FileField(_("error workbook"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    expired_at = models.DateTimeField(_("files deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "state"])]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    def claimable(self) -> bool:
        """Queued, or running without progress for STALE_AFTER; attempts left."""
        if self.attempts >= self.MAX_ATTEMPTS:
            return False
        if self.state == ImportState.QUEUED:
            return True
        return self.heartbeat_at is None or self.heartbeat_at < timezone.now() - self.STALE_AFTER

    # --- declared transitions (taken by core.imports.import_transition) --------------------

    @transition(
        state, source=[ImportState.QUEUED, ImportState.RUNNING], target=ImportState.RUNNING,
        conditions=[claimable],
    )
    def start(self) -> None:
        """A run claims the job (a stale run's job is taken over)."""

    @transition(state, source=ImportState.RUNNING, target=ImportState.QUEUED)
    def requeue(self) -> None:
        """A passing failure (the disk, the database): another run will try again."""

    @transition(state, source=ImportState.RUNNING, target=ImportState.DONE)
    def finish(self) -> None:
        """The importer ran: all rows written, or none and the errors reported."""

    @transition(state, source=[ImportState.QUEUED, ImportState.RUNNING], target=ImportState.FAILED)
    def fail(self) -> None:
        """The run broke (or ran out of attempts); nothing was imported."""

    @transition(state, source=[ImportState.DONE, ImportState.FAILED], target=ImportState.EXPIRED)
    def expire(self) -> None:
        """Past the retention: the error workbook is deleted."""
