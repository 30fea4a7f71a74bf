"""core's models: users and roles, the audit log, the holiday calendar, notifications, the
outbox and API tokens here; issued documents and drafts in .documents, import jobs in .jobs."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import Role


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

        from ..workdays import check_schedule, parse_stored_dates

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


# Models kept in their own modules, importable from core.models as before.
from .documents import (  # noqa: E402, F401 - re-exported
    DocumentDraft,
    DocumentKind,
    DocumentSequence,
    DraftState,
    IssuedDocument,
    IssuedDocumentQuerySet,
)
from .jobs import ImportJob, ImportState  # noqa: E402, F401 - re-exported
