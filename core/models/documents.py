"""Issued documents (文书) and their drafts: numbered, hashed, archived once (core.documents);
drafted → checked → signed → issued (core.drafts)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

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
    subject_authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("authority of the subject"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The authority the subject (a case, a proposal) belongs to, when issued."),
    )
    issued_on = models.DateField(_("date of issue"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
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
            # A reading rule's "the subject's authority is one of mine" path, in the order;
            # with the path's other columns, so that its count reads the index alone.
            models.Index(
                fields=["content_type", "subject_authority", "-issued_on", "-id"],
                include=["kind", "object_id"],
                name="document_subject_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Issued documents are archived and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Issued documents are archived and cannot be deleted")


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
        "cadres.Authority",
        verbose_name=_("issuing authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.CharField(_("series"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = FSMField(
        _("state"),
        max_length=12,
        choices=DraftState.choices,
        default=DraftState.DRAFTED,
        protected=True,
    )
    opened_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.OneToOneField(
        IssuedDocument,
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="draft",
    )
    supersedes = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    # Who may sign it off, fixed when it is checked (core.drafts.signing_roles: the owning
    # app's policy for this draft, else the site's setting), as ",role,role," so that the
    # drafts waiting for a person's sign-off are one indexed query (core.draft_views).
    signers = models.CharField(_("signing roles"), max_length=200, blank=True, editable=False)

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
