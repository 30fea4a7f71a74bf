"""Versioned tolerance policies: what a jurisdiction's measure says, as of a date."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..catalogs import Policy
from ..policy_data import policy_from_data


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PolicyVersion(models.Model):
    """One version of a jurisdiction's tolerance measure, in force from `effective_from`.

    A version without an authority is the default for every authority that has no version of
    its own in force. Published versions are immutable: administrators change a policy by
    drafting a new version (tolerance.policies.policy_draft_from) and publishing it.
    """

    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("jurisdiction (competent authority)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tolerance_policies",
        help_text=_("Leave empty for the default that applies wherever no other version does."),
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    content = models.JSONField(_("content"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("tolerance policy version")
        verbose_name_plural = _("tolerance policy versions")
        ordering = ["authority_id", "-effective_from", "-id"]
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PolicyStatus.PUBLISHED:
                raise PermissionDenied("A published policy version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PermissionDenied("A published policy version cannot be deleted")
        return super().delete(*args, **kwargs)

    @cached_property
    def policy(self) -> Policy:
        return policy_from_data(self.content)

    @property
    def is_published(self) -> bool:
        return self.status == PolicyStatus.PUBLISHED

    def clean(self):
        try:
            policy_from_data(self.content)
        except ValueError as exc:
            raise ValidationError({"content": str(exc)}) from exc
