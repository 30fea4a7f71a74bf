"""Individual annual assessment (年度考核) and the excellent quota policy."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.enums import UnitKind

from ..enums import Grade, Rounding
from ..pooling import PoolRule
from ..rules import QuotaTerms

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class QuotaStatus(models.TextChoices):
    """A quota row is drafted (ignored by every quota lookup), then published."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuotaPolicy(models.Model):
    """Share of excellent grades allowed, per unit kind, in force from a year on.

    Versioned by `from_year`: the row in force for (kind, year) is the one of that kind with
    the latest `from_year` not after the year; without one, the default row (kind blank).
    Rows are policy data, entered in the admin or seeded by the initial migration (15%
    general default, 20% for townships/streets from 2018 per seed 002).
    """

    jurisdiction_code = models.CharField(
        _("jurisdiction (unit code)"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_(
            "Code of the unit whose jurisdiction issued the rule (e.g. 33 for 浙江省). Units "
            "at or below it use this row unless a nearer jurisdiction has one. Blank: "
            "wherever no jurisdiction up the tree has a row."
        ),
    )
    jurisdiction_name = models.CharField(_("jurisdiction"), max_length=64, blank=True)
    unit_kind = models.CharField(
        _("unit kind"),
        max_length=16,
        choices=UnitKind.choices,
        blank=True,
        help_text=_("Blank: the default for every kind without a policy of its own."),
    )
    from_year = models.PositiveSmallIntegerField(
        _("in force from year"), validators=YEAR_VALIDATORS
    )
    share = models.DecimalField(
        _("excellent share"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("For example 0.200 for 20%."),
    )
    rounding = models.CharField(
        _("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.FLOOR
    )
    basis = models.CharField(_("basis (document)"), max_length=200, blank=True)
    pool_below = models.PositiveSmallIntegerField(
        _("pool units with fewer graded cadres than"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_(
            "合并计算: units of this kind with fewer graded cadres than this share one quota "
            "with the other small units under the same superior unit. Blank: no pooling."
        ),
    )
    pool_level = models.CharField(
        _("pool under the superior unit of kind"),
        max_length=16,
        choices=UnitKind.choices,
        blank=True,
        help_text=_("Small units under the same unit of this kind form one pool."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=QuotaStatus.choices, default=QuotaStatus.PUBLISHED,
        editable=False,
        help_text=_("Drafts are ignored by the quota until published (their impact first)."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("excellent quota policy")
        verbose_name_plural = _("excellent quota policies")
        ordering = ["unit_kind", "-from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "unit_kind", "from_year", "status"],
                name="quota_jurisdiction_kind_year_status",
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=1), name="quota_share_0_1"
            ),
        ]

    def __str__(self) -> str:
        kind = self.get_unit_kind_display() if self.unit_kind else _("default")
        where = f"{self.jurisdiction_name} " if self.jurisdiction_name else ""
        return f"{where}{kind} {self.from_year}– {self.share:.1%}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if (self.pool_below is None) != (not self.pool_level):
            raise ValidationError(
                {"pool_level": _("Pooling needs both the size limit and the superior unit kind.")}
            )

    def terms(self) -> QuotaTerms:
        return QuotaTerms(share=self.share, rounding=self.rounding, source=self.basis)

    def pool_rule(self) -> PoolRule | None:
        if self.pool_below is None or not self.pool_level:
            return None
        return PoolRule(below=self.pool_below, level=self.pool_level)


class AnnualAssessment(models.Model):
    """One cadre's grade for one year, in the unit where the cadre was assessed."""

    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="annual_assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    comments = models.TextField(_("comments"), blank=True)
    exemption_reason = models.TextField(
        _("reason despite exemption"),
        blank=True,
        help_text=_(
            "Why a grade below competent stands although an accountability matter of this "
            "year was exempted."
        ),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        ordering = ["-year", "unit_id", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="assessment_cadre_year")
        ]
        indexes = [models.Index(fields=["unit", "year", "grade"])]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"
