from functools import cached_property

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
    core.notifications)."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


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
