"""Adjustment proposals (调整建议): created by the scan or by staff; people decide.

The state changes only through promotions.proposals.workflow.proposal_transition (declared here with
django-fsm; the lock, audit and notifications happen there).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from promotions.enums import AdjustMethod, Decision, TriggerArea
from promotions.enums import ProposalState as S


class IncidentMatter(models.Model):
    """The accountability matter an incident gave rise to: a tolerance ruling on it for a
    leader (exempt) takes the incident out of that leader's triggers."""

    incident = models.OneToOneField(
        "assessments.Incident", on_delete=models.CASCADE, related_name="promotion_matter"
    )
    matter = models.ForeignKey(
        "tolerance.AccountabilityMatter",
        verbose_name=_("accountability matter"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("incident's accountability matter")
        verbose_name_plural = _("incidents' accountability matters")

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.matter_id}"


class Proposal(FSMModelMixin, models.Model):
    authority = models.ForeignKey(
        "cadres.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField(_("trigger area"), max_length=20, choices=TriggerArea.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    role = models.CharField(_("responsibility"), max_length=16, blank=True)
    clause = models.CharField(_("rule"), max_length=64)
    policy = models.ForeignKey(
        "promotions.PromotionPolicy",
        verbose_name=_("policy version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.JSONField(_("evidence"), default=list)
    grounds = models.TextField(_("grounds"), blank=True)
    state = FSMField(_("state"), default=S.PROPOSED, choices=S.choices, protected=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    method = models.CharField(
        _("adjustment method"), max_length=16, choices=AdjustMethod.choices, blank=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    position = models.ForeignKey(
        "cadres.PositionRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("adjustment proposal")
        verbose_name_plural = _("adjustment proposals")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "area", "year"], name="proposal_once")
        ]
        indexes = [
            models.Index(fields=["authority", "state"]),
            models.Index(fields=["year", "area"]),
            models.Index(fields=["authority", "-year", "-id"], name="proposal_list_by_authority"),
            models.Index(fields=["-year", "-id"], name="proposal_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_area_display()} · {self.cadre}"

    @transition(state, source=S.PROPOSED, target=S.INSPECTING)
    def inspect(self):
        """Inspection and talk (考察谈话) begin."""

    @transition(state, source=[S.PROPOSED, S.INSPECTING], target=S.DECIDED)
    def decide(self):
        """Adjust with a method, or do not adjust with a reason."""

    @transition(
        state,
        source=S.DECIDED,
        target=S.EXECUTED,
        conditions=[lambda p: p.decision == Decision.ADJUST],
    )
    def execute(self):
        """The adjustment is carried out and written into the position history."""
