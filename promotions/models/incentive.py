"""Incentives (seed 003, 000/004): a unit's yearly bonus paid out to persons, and
commendations of cadres and teams. Written only through promotions.incentives.allocation and
promotions.incentives.commendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.enums import ManagementLevel
from promotions.incentives.enums import CommendationKind


class BonusAllocation(models.Model):
    """One person's share of a top county's or district's bonus for a year (奖金发放到人)."""

    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    policy = models.ForeignKey(
        "promotions.PromotionPolicy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bonus allocation")
        verbose_name_plural = _("bonus allocations")
        ordering = ["unit_id", "year", "-amount", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "cadre"], name="allocation_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive"),
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.cadre_id} {self.amount}"


class Commendation(models.Model):
    """A commendation (命名表扬, 嘉奖, 记功, 称号) of one cadre or of a team of a unit."""

    kind = models.CharField(_("kind"), max_length=16, choices=CommendationKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    granted_on = models.DateField(_("granted on"))
    granted_by = models.CharField(_("granting authority"), max_length=128)
    document_ref = models.CharField(_("document reference"), max_length=64, blank=True)
    citation = models.TextField(_("citation"))
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team_name = models.CharField(_("team"), max_length=128, blank=True)
    unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team's unit, or the cadre's unit when commended."),
    )
    # The cadre's placement as it stands now (not when commended: a commendation belongs
    # to the cadre's record and is seen by whoever sees the cadre), copied from the cadre
    # by promotions.incentives.placement whenever it changes (cadres.placement), so that
    # the list reads each jurisdiction from one index instead of joining every cadre.
    cadre_unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("cadre's current unit"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # commendation_by_placement leads with it
    )
    cadre_level = models.CharField(
        _("cadre's management level"),
        max_length=16,
        blank=True,
        editable=False,
        choices=ManagementLevel.choices,
    )
    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadre__isnull=False, team_name="")
                | models.Q(cadre__isnull=True) & ~models.Q(team_name=""),
                name="commendation_cadre_or_team",
            )
        ]
        indexes = [
            models.Index(fields=["year", "kind"]),
            models.Index(fields=["unit", "year"]),
            # The list's order: every access path reads commendations in it and probes
            # the cadre (or the team's unit) row by row.
            models.Index(fields=["-year", "-granted_on", "-id"], name="commendation_list_order"),
            # A jurisdiction's path (cadre_unit = ANY(units) AND cadre_level = level), the
            # unit HR officer's (cadre_unit = ANY(units)): index-only, in the list's order
            # within each unit.
            models.Index(
                fields=["cadre_unit", "cadre_level", "-year", "-granted_on", "-id"],
                name="commendation_by_placement",
            ),
        ]

    def __str__(self) -> str:
        subject = self.team_name or (self.cadre.name if self.cadre_id else "")
        return f"{self.year} {self.get_kind_display()} · {subject}"

    @property
    def is_team(self) -> bool:
        return self.cadre_id is None
