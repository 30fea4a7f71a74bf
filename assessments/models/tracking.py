"""Guanyun tracking (seed 001) and face-to-face feedback (seed 002)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CheckupSource, Dimension, FeedbackTier, Rating
from ..rules import competition_winner
from .annual import YEAR_VALIDATORS


class MonthlyReport(models.Model):
    """月度实绩公示: items done this month (quantified), plan for next month."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    items_done = models.TextField(_("items done (one per line, with figures)"))
    plan_next = models.TextField(_("plan for next month"), blank=True)
    discussed_on = models.DateField(_("discussed by the team on"), null=True, blank=True)
    signed_by = models.CharField(_("signed off by the principal"), max_length=64, blank=True)
    published_on = models.DateField(_("published in the unit on"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monthly performance report")
        verbose_name_plural = _("monthly performance reports")
        ordering = ["-month", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "month"], name="monthly_cadre_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class QuarterlyCheckup(models.Model):
    """季度多维体检: five dimensions, five sources; findings form the reverse list."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    held_on = models.DateField(_("check-up held on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("quarterly check-up")
        verbose_name_plural = _("quarterly check-ups")
        ordering = ["-year", "-quarter", "cadre_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year", "quarter"], name="checkup_cadre_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class CheckupInput(models.Model):
    checkup = models.ForeignKey(QuarterlyCheckup, on_delete=models.CASCADE, related_name="inputs")
    source = models.CharField(_("source"), max_length=16, choices=CheckupSource.choices)
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("check-up input")
        verbose_name_plural = _("check-up inputs")
        constraints = [
            models.UniqueConstraint(
                fields=["checkup", "source", "dimension"], name="checkup_input_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} · {self.get_source_display()}"


class CheckupWarning(models.Model):
    """An early warning from a check-up; while open it blocks promotion eligibility."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    checkup = models.ForeignKey(
        QuarterlyCheckup, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    raised_on = models.DateField(_("raised on"))
    reason = models.TextField(_("reason"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("check-up warning")
        verbose_name_plural = _("check-up warnings")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["cadre", "resolved_on"])]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.raised_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class PairedCompetition(models.Model):
    """结对竞赛: two units of one comparison category compete on a topic, with scores."""

    category = models.ForeignKey(
        "cadres.ComparisonCategory",
        verbose_name=_("comparison category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    topic = models.CharField(_("topic"), max_length=128)
    unit_a = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit A"), on_delete=models.PROTECT, related_name="+"
    )
    unit_b = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit B"), on_delete=models.PROTECT, related_name="+"
    )
    score_a = models.DecimalField(
        _("score A"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    score_b = models.DecimalField(
        _("score B"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("paired competition")
        verbose_name_plural = _("paired competitions")
        ordering = ["-year", "category_id", "topic"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit_a=models.F("unit_b")), name="competition_two_units"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.topic}"

    @property
    def winner(self) -> str | None:
        return competition_winner(self.score_a, self.score_b)


class FeedbackRecord(models.Model):
    """分层分级当面反馈: who gave the result to whom, when, at which tier."""

    year = models.PositiveSmallIntegerField(_("assessment year"), validators=YEAR_VALIDATORS)
    tier = models.CharField(_("tier"), max_length=24, choices=FeedbackTier.choices)
    given_by = models.CharField(_("given by"), max_length=128)
    to_unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("to the team of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("to cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_on = models.DateField(_("given on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("face-to-face feedback")
        verbose_name_plural = _("face-to-face feedback records")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_unit__isnull=False) | models.Q(to_cadre__isnull=False),
                name="feedback_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.given_by} {self.given_on}"
