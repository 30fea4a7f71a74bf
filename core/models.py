import datetime as dt
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from .enums import Role


class User(AbstractUser):
    """A person who logs in. Roles are groups; scope comes from the links below."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The interface language last chosen; notifications are mailed in it."),
    )
    authorities = models.ManyToManyField(
        "cadres.Authority",
        verbose_name=_("authorities"),
        blank=True,
        related_name="members",
        help_text=_("Competent authorities this user works for (staff) or audits (auditors)."),
    )
    unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hr_officers",
        help_text=_("For unit HR officers: the unit they file for."),
    )
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        help_text=_("For cadres: the cadre record this login belongs to."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        names = frozenset(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            names |= {Role.ADMIN}
        return names

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMIN)

    @cached_property
    def authority_ids(self) -> frozenset[int]:
        return frozenset(self.authorities.values_list("pk", flat=True))


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only")

    def delete(self):
        raise PermissionDenied("The audit log is append-only")


class AuditEvent(models.Model):
    """One append-only audit row: who did what to which object, when, and why.

    Rows are never updated or deleted: the model refuses it, the admin refuses it, and a
    database trigger (see migration 0002) refuses it even for raw SQL.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_repr = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only")


class CalendarYear(models.Model):
    """One year's official holiday schedule, entered from the State Council notice.

    Published rows override the chinese_calendar library for their year; see core.workdays.
    Dates are stored as sorted ISO strings (YYYY-MM-DD).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    holidays = models.JSONField(
        _("holidays"),
        default=list,
        blank=True,
        help_text=_("Every day off, including holiday days that fall on a weekend."),
    )
    adjusted_workdays = models.JSONField(
        _("adjusted working days"),
        default=list,
        blank=True,
        help_text=_("Saturdays and Sundays that are worked (调休上班)."),
    )
    document_ref = models.CharField(
        _("source document"),
        max_length=100,
        help_text=_("The State Council notice, e.g. 国办发明电〔2026〕7号."),
    )
    entered_by = models.ForeignKey(
        User,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Only published years are used to compute due dates. Publish after checking "
            "every date against the notice."
        ),
    )

    class Meta:
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self):
        from django.core.exceptions import ValidationError

        from .workdays import check_schedule, parse_stored_dates

        holidays, holiday_errors = parse_stored_dates(self.holidays)
        workdays, workday_errors = parse_stored_dates(self.adjusted_workdays)
        errors = {"holidays": holiday_errors, "adjusted_workdays": workday_errors}
        if self.year is not None:
            for field, messages in check_schedule(
                self.year, holidays, workdays, published=self.published
            ).items():
                errors.setdefault(field, []).extend(messages)
        errors = {field: messages for field, messages in errors.items() if messages}
        if errors:
            raise ValidationError(errors)
        self.holidays = [d.isoformat() for d in holidays]
        self.adjusted_workdays = [d.isoformat() for d in workdays]


# --- Issued documents (文书): numbered, hashed, archived once; see core.documents ------------


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("Acceptance notice")
    NON_ACCEPTANCE_NOTICE = "non_acceptance_notice", _("Non-acceptance notice")
    TOLERANCE_RULING = "tolerance_ruling", _("Tolerance ruling")
    APPEAL_DECISION = "appeal_decision", _("Appeal decision")
    ADJUSTMENT_PROPOSAL = "adjustment_proposal", _("Adjustment proposal")
    ADJUSTMENT_DECISION = "adjustment_decision", _("Adjustment decision")
    EXCEPTIONAL_PROMOTION = "exceptional_promotion", _("Exceptional promotion approval")
    CLARIFICATION_NOTICE = "clarification_notice", _("Clarification notice")


class DocumentSequence(models.Model):
    """The last number used per authority, year and series (甲组容〔2026〕7号 → 7).

    core.documents.document_issue locks this row while it numbers, renders and stores a
    document, so numbers have no gaps and no duplicates.
    """

    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("issuing authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(_("series"), max_length=8)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        ordering = ["authority_id", "-year", "series"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "series"], name="core_docseq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}/{self.series}/{self.year}: {self.last_number}"


class IssuedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Issued documents are archived and cannot be changed")

    def delete(self):
        raise PermissionDenied("Issued documents are archived and cannot be deleted")


class IssuedDocument(models.Model):
    """A formal document as issued: its number, its file and the file's SHA-256, forever.

    Rows are written once by core.documents.document_issue and never updated or deleted:
    the model and queryset refuse it, the admin is read-only, and on PostgreSQL a trigger
    (migration 0004) refuses it even for raw SQL.
    """

    number = models.CharField(_("document number"), max_length=64, unique=True)
    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("issuing authority"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(_("series"), max_length=8)
    seq = models.PositiveIntegerField(_("serial number"))
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("What the document is about, e.g. tolerance.ruling:case=5:cadre=7."),
    )
    title = models.CharField(_("title"), max_length=200)
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    issued_on = models.DateField(_("date of issue"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), max_length=200, upload_to="documents/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type_header = models.CharField(
        _("media type"), max_length=100, default="application/pdf"
    )
    filename = models.CharField(_("file name"), max_length=200)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("The issued document this correction replaces (it stays, marked superseded)."),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "series", "seq"], name="core_issueddoc_seq_unique"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The register's order (each access path reads documents in it) and its years.
            models.Index(fields=["-issued_on", "-id"], name="document_register_order"),
            # Each reading rule's paths are about one kind of subject: read in order per kind.
            models.Index(
                fields=["content_type", "-issued_on", "-id"], name="document_register_by_type"
            ),
            models.Index(fields=["year"], name="document_year"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Issued documents are archived and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Issued documents are archived and cannot be deleted")


# --- In-app notifications ------------------------------------------------------------------


class Notification(models.Model):
    """A message to one user about something that concerns them (also mailed, see
    core.notifications). Stored as a kind's code and its parameters, rendered when read in
    the reader's language; `target_*` name the object it is about (the page groups by it)."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    code = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    target_label = models.CharField(_("object label"), max_length=200, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-id"], name="notification_recipient_newest"),
        ]

    def __str__(self) -> str:
        return self.code


# --- Transactional outbox of Celery tasks ---------------------------------------------------


class OutboxTask(models.Model):
    """A Celery task to send, written in the same transaction as the change that needs it.

    core.outbox.enqueue writes the row and tries to send it right after the commit; when the
    broker is down the row waits, and the periodic core.tasks.drain_outbox sends it later.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(sent_at__isnull=True),
                name="core_outbox_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class DraftState(models.TextChoices):
    """A document on its way to issue: drafted → checked (核稿) → signed (签发) → issued."""

    DRAFTED = "drafted", _("Draft")
    CHECKED = "checked", _("Checked")
    SIGNED = "signed", _("Signed, being issued")
    ISSUED = "issued", _("Issued")

    @classmethod
    def open_states(cls) -> frozenset[str]:
        return frozenset({cls.DRAFTED, cls.CHECKED, cls.SIGNED})


class DocumentDraft(FSMModelMixin, models.Model):
    """A document before its number: previewed as a draft (草稿, no number), checked by a
    second staff member, signed off by someone with signing authority; only then does a
    Celery task issue it (core.documents.document_issue: number, file, SHA-256).

    The state changes only through core.drafts.draft_transition. `key` is the key the
    document is issued under, so a draft issues exactly one document.
    """

    key = models.CharField(_("document key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    authority = models.ForeignKey(
        "cadres.Authority", verbose_name=_("issuing authority"), on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.CharField(_("series"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    state = FSMField(
        _("state"), max_length=12, choices=DraftState.choices, default=DraftState.DRAFTED,
        protected=True,
    )
    opened_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    opened_by = models.ForeignKey(
        User, verbose_name=_("drafted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        User, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        User, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.OneToOneField(
        IssuedDocument, verbose_name=_("issued document"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="draft",
    )
    supersedes = models.ForeignKey(
        IssuedDocument, verbose_name=_("corrects"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="corrections",
    )
    reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        verbose_name = _("document draft")
        verbose_name_plural = _("document drafts")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["authority", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    # --- declared transitions (taken by core.drafts.draft_transition) ---------------------

    @transition(state, source=DraftState.DRAFTED, target=DraftState.CHECKED)
    def mark_checked(self) -> None:
        """核稿: a second staff member checked the draft."""

    @transition(state, source=DraftState.CHECKED, target=DraftState.SIGNED)
    def sign_off(self) -> None:
        """签发: someone with signing authority signed it off; the task issues it."""

    @transition(state, source=DraftState.SIGNED, target=DraftState.ISSUED)
    def mark_issued(self) -> None:
        """The task issued it: number, file and SHA-256."""


class ApiToken(models.Model):
    """A REST API token, stored as its SHA-256 only (core.api_tokens): the key itself is
    shown once, when issued. It expires, and can be revoked."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    prefix = models.CharField(
        _("first characters of the key"), max_length=8,
        help_text=_("Enough to tell a person's tokens apart; useless to log in."),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


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
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
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
