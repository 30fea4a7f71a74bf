"""Exceptional-promotion requests (破格提拔, Jinan seed 000).

The state changes only through promotions.exceptional.exceptional_transition (lock, state,
audit and notifications in one transaction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from cadres.enums import Rank
from promotions.enums import ExceptionalState


class ExceptionalRequest(FSMModelMixin, models.Model):
    authority = models.ForeignKey(
        "cadres.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    current_rank = models.PositiveSmallIntegerField(_("current rank"), choices=Rank.choices)
    target_title = models.CharField(_("target post"), max_length=128)
    target_rank = models.PositiveSmallIntegerField(_("target rank"), choices=Rank.choices)
    situation = models.CharField(_("exceptional situation"), max_length=40)
    situation_title = models.CharField(_("exceptional situation"), max_length=200)
    policy = models.ForeignKey(
        "promotions.PromotionPolicy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    thresholds = models.JSONField(_("thresholds"), default=list)
    reasons = models.TextField(_("reasons"))
    state = FSMField(
        _("state"),
        max_length=12,
        choices=ExceptionalState.choices,
        default=ExceptionalState.DRAFT,
        editable=False,
        protected=True,
    )
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("exceptional-promotion request")
        verbose_name_plural = _("exceptional-promotion requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "state"]),
            models.Index(fields=["cadre", "state"]),
            # The list's order, per authority (an access path), per cadre and for everything.
            models.Index(
                fields=["authority", "-created_at", "-id"], name="exceptional_list_by_authority"
            ),
            models.Index(fields=["cadre", "-created_at", "-id"], name="exceptional_list_by_cadre"),
            models.Index(fields=["-created_at", "-id"], name="exceptional_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.target_title}"

    @property
    def waived(self) -> list[str]:
        return [t["code"] for t in self.thresholds if t.get("status") == "waived"]

    # --- declared transitions (taken by promotions.exceptional.exceptional_transition) ----

    @transition(state, source=ExceptionalState.DRAFT, target=ExceptionalState.SUBMITTED)
    def submit(self) -> None:
        """Submit the request to the approving leaders."""

    @transition(state, source=ExceptionalState.SUBMITTED, target=ExceptionalState.APPROVED)
    def approve(self) -> None:
        """Approve the exceptional promotion."""

    @transition(state, source=ExceptionalState.SUBMITTED, target=ExceptionalState.REJECTED)
    def reject(self) -> None:
        """Reject it, with a reason."""
