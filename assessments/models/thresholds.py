"""Detection and warning thresholds: versioned policy data read by the detection report
and by the quarterly check-up."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import CheckupPolicy, RotationPolicy, UniformityPolicy
from .annual import YEAR_VALIDATORS

SHARE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class DetectionPolicy(models.Model):
    """When the report flags "rotating excellent" (轮流坐庄) and "everyone competent"
    (千篇一律为称职), the two problems seeds 000 and 002 name; and when a dimension of the
    quarterly check-up raises a warning (seed 001).

    Versioned by `from_year`: the row in force for a report ending in a year is the one
    with the latest `from_year` not after it. The initial migration seeds the defaults;
    administrators add rows for later years in the admin (audited).
    """

    jurisdiction_code = models.CharField(
        _("jurisdiction (unit code)"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_(
            "Code of the unit whose jurisdiction set these thresholds. Units at or below it "
            "use this row unless a nearer jurisdiction has one. Blank: wherever no "
            "jurisdiction up the tree has a row."
        ),
    )
    jurisdiction_name = models.CharField(_("jurisdiction"), max_length=64, blank=True)
    from_year = models.PositiveSmallIntegerField(
        _("in force from year"), validators=YEAR_VALIDATORS
    )
    rotation_window_years = models.PositiveSmallIntegerField(
        _("rotating excellent: years looked at"),
        validators=[MinValueValidator(2), MaxValueValidator(10)],
    )
    rotation_max_awards = models.PositiveSmallIntegerField(
        _("rotating excellent: most excellent grades of one rotating holder"),
        validators=[MinValueValidator(1)],
    )
    rotation_min_awards = models.PositiveSmallIntegerField(
        _("rotating excellent: fewest rotating awards"), validators=[MinValueValidator(1)]
    )
    rotation_min_coverage = models.DecimalField(
        _("rotating excellent: least share of members who held it"),
        max_digits=4,
        decimal_places=3,
        validators=SHARE_VALIDATORS,
    )
    uniform_min_years = models.PositiveSmallIntegerField(
        _("everyone competent: consecutive years"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    uniform_min_participants = models.PositiveSmallIntegerField(
        _("everyone competent: fewest graded cadres in a year"),
        validators=[MinValueValidator(1)],
    )
    uniform_max_below = models.PositiveSmallIntegerField(
        _("everyone competent: most grades below competent in a year")
    )
    uniform_min_competent_share = models.DecimalField(
        _("everyone competent: least share graded competent"),
        max_digits=4,
        decimal_places=3,
        validators=SHARE_VALIDATORS,
    )
    checkup_problems_for_warning = models.PositiveSmallIntegerField(
        _("check-up warning: sources reporting a problem"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    checkup_concerns_for_warning = models.PositiveSmallIntegerField(
        _("check-up warning: sources reporting a concern or a problem"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    basis = models.CharField(_("basis (document)"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("detection and warning thresholds")
        verbose_name_plural = _("detection and warning thresholds")
        ordering = ["jurisdiction_code", "-from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "from_year"], name="detection_jurisdiction_year"
            ),
            models.CheckConstraint(
                condition=models.Q(rotation_min_coverage__gte=0, rotation_min_coverage__lte=1)
                & models.Q(uniform_min_competent_share__gte=0, uniform_min_competent_share__lte=1),
                name="detection_shares_0_1",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_year}–"

    def rotation(self) -> RotationPolicy:
        return RotationPolicy(
            window_years=self.rotation_window_years,
            max_awards_per_person=self.rotation_max_awards,
            min_rotating_awards=self.rotation_min_awards,
            min_coverage=Decimal(self.rotation_min_coverage),
        )

    def uniformity(self) -> UniformityPolicy:
        return UniformityPolicy(
            min_years=self.uniform_min_years,
            min_participants=self.uniform_min_participants,
            max_below_competent=self.uniform_max_below,
            min_competent_share=Decimal(self.uniform_min_competent_share),
        )

    def checkup(self) -> CheckupPolicy:
        return CheckupPolicy(
            problems_for_warning=self.checkup_problems_for_warning,
            concerns_for_warning=self.checkup_concerns_for_warning,
        )
