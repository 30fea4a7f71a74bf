"""Evidence about units: team grades, target responsibility, county ranks, poverty."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import RankGroup, TargetGrade, TeamGrade
from ..rules import RankChange, poverty_target_met, rank_change
from .annual import YEAR_VALIDATORS


class UnitYear(models.Model):
    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-year", "unit_id"]


class TeamAssessment(UnitYear):
    """领导班子年度考核: the leadership team's grade."""

    grade = models.CharField(_("grade"), max_length=16, choices=TeamGrade.choices)
    comments = models.TextField(_("comments"), blank=True)

    class Meta(UnitYear.Meta):
        verbose_name = _("leadership-team assessment")
        verbose_name_plural = _("leadership-team assessments")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="team_unit_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"


class TargetAssessment(UnitYear):
    """年度目标责任考核 of a city, county/district or provincial department."""

    grade = models.CharField(_("grade"), max_length=16, choices=TargetGrade.choices)
    comments = models.TextField(_("comments"), blank=True)

    class Meta(UnitYear.Meta):
        verbose_name = _("target-responsibility assessment")
        verbose_name_plural = _("target-responsibility assessments")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="target_unit_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"


class MonitoringRank(UnitYear):
    """县域经济社会发展监测考评: the year's rank within counties or urban districts.

    The change against last year (进位/退位) is computed (rules.rank_change), never stored.
    """

    group = models.CharField(_("ranked among"), max_length=16, choices=RankGroup.choices)
    rank = models.PositiveSmallIntegerField(_("place in the ranking"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta(UnitYear.Meta):
        verbose_name = _("county monitoring rank")
        verbose_name_plural = _("county monitoring ranks")
        ordering = ["-year", "group", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="rank_unit_year"),
            models.UniqueConstraint(fields=["group", "year", "rank"], name="rank_group_year"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="rank_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_group_display()} #{self.rank}"

    def change(self, previous: int | None) -> RankChange:
        return rank_change(previous, self.rank)


class PovertyTarget(UnitYear):
    """扶贫绩效: the year's poverty-reduction target (persons) and result; met is computed."""

    target = models.PositiveIntegerField(_("reduction target (persons)"))
    achieved = models.PositiveIntegerField(_("reduction achieved (persons)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(UnitYear.Meta):
        verbose_name = _("poverty-alleviation target")
        verbose_name_plural = _("poverty-alleviation targets")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="poverty_unit_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.target}"

    @property
    def met(self) -> bool | None:
        return poverty_target_met(self.target, self.achieved)
