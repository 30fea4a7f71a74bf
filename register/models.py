"""Bulk exports of the register of issued documents: one row per export asked for."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import User


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportKind(models.TextChoices):
    REGISTER = "register", _("Register of documents")
    CASE_FILE = "case_file", _("Case file")


class ExportJob(FSMModelMixin, models.Model):
    """One export of the register: the filter asked for, its progress, and the files made.

    Requested by register.jobs.export_request (audited), run once by
    register.jobs.export_run (inline when small, else in Celery); the documents exported
    are those the requester may read that match `filters`, up to `upto_id` (documents are
    append-only, so the set is fixed when the job is requested). The state changes only
    through register.jobs.export_transition, along the transitions declared below.
    """

    STALE_AFTER = dt.timedelta(minutes=15)  # a running export this quiet may be taken over ...
    MAX_ATTEMPTS = 4  # ... this many runs in all

    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    kind = models.CharField(
        _("kind of export"), max_length=12, choices=ExportKind.choices,
        default=ExportKind.REGISTER,
    )
    case = models.ForeignKey(
        "tolerance.Case", verbose_name=_("case"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("The case whose file (卷宗) this export is."),
    )
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    upto_id = models.PositiveBigIntegerField(_("last document included"), default=0)
    state = FSMField(
        _("state"), max_length=12, choices=ExportState.choices, default=ExportState.QUEUED,
        protected=True,
    )
    total = models.PositiveIntegerField(_("documents to export"), default=0)
    done = models.PositiveIntegerField(_("documents exported"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    archive = models.FileField(_("ZIP archive"), max_length=200, blank=True)
    archive_size = models.PositiveBigIntegerField(_("archive size in bytes"), null=True, blank=True)
    archive_sha256 = models.CharField(_("archive SHA-256"), max_length=64, blank=True)
    workbook = models.FileField(_("Excel register"), max_length=200, blank=True)
    counts = models.JSONField(
        _("documents per authority"), default=dict, blank=True,
        help_text=_("Authority id → number of its documents in the export."),
    )
    problems = models.JSONField(_("documents with problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    expired_at = models.DateTimeField(
        _("files deleted at"),
        null=True,
        blank=True,
        help_text=_("Finished exports are kept for REGISTER_EXPORT_RETENTION_DAYS, then deleted."),
    )

    class Meta:
        # The table keeps the name it had when the model lived in core (moved state-only).
        db_table = "core_exportjob"
        verbose_name = _("register export")
        verbose_name_plural = _("register exports")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["requested_by", "requested_at"], name="core_export_request_3ed494_idx"
            )
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    def claimable(self) -> bool:
        """Queued, or running without progress for STALE_AFTER; attempts left."""
        if self.attempts >= self.MAX_ATTEMPTS:
            return False
        if self.state == ExportState.QUEUED:
            return True
        return self.heartbeat_at is None or self.heartbeat_at < timezone.now() - self.STALE_AFTER

    # --- declared transitions (taken by register.jobs.export_transition) -------------------

    @transition(
        state, source=[ExportState.QUEUED, ExportState.RUNNING], target=ExportState.RUNNING,
        conditions=[claimable],
    )
    def start(self) -> None:
        """A run claims the export (a stale run's export is taken over)."""

    @transition(state, source=ExportState.RUNNING, target=ExportState.QUEUED)
    def requeue(self) -> None:
        """A passing failure (OSError): Celery tries again later."""

    @transition(state, source=ExportState.RUNNING, target=ExportState.DONE)
    def finish(self) -> None:
        """The files are written and stored."""

    @transition(state, source=ExportState.RUNNING, target=ExportState.FAILED)
    def fail(self) -> None:
        """The run broke, or ran out of attempts."""

    @transition(state, source=ExportState.DONE, target=ExportState.EXPIRED)
    def expire(self) -> None:
        """Past the retention: the files are deleted."""
