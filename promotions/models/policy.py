"""Versioned up/down policies (copying tolerance.models.policy): published is immutable."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..policy_data import PolicyDataError, Terms, terms_from_data
from ..policy_jinan import JinanTerms, jinan_terms


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PromotionPolicy(models.Model):
    """One version of a jurisdiction's up/down and incentive measures, in force from a date.

    Without an authority it is the default wherever no version of its own is in force.
    """

    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("jurisdiction (competent authority)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotion_policies",
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("up/down policy version")
        verbose_name_plural = _("up/down policy versions")
        ordering = ["authority_id", "-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PolicyStatus.PUBLISHED:
                raise PermissionDenied("A published policy version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == PolicyStatus.PUBLISHED:
            raise PermissionDenied("A published policy version cannot be deleted")
        return super().delete(*args, **kwargs)

    @cached_property
    def terms(self) -> Terms:
        return terms_from_data(self.content)

    @cached_property
    def jinan(self) -> JinanTerms:
        """Jinan's sections (grounds, grade rule, exceptional promotion): policy_jinan."""
        return jinan_terms(self.content)

    def clean(self):
        try:
            terms_from_data(self.content)
            jinan_terms(self.content)
        except PolicyDataError as exc:
            raise ValidationError({"content": str(exc)}) from exc
