"""Incidents: accidents, mass and public-safety events, environmental damage, and
Party-building violations, with the leaders responsible (seed 003)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CriticizedBy, IncidentKind, LeaderRole, Severity


class Incident(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("date"))
    unit = models.ForeignKey(
        "cadres.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    handled_in_time = models.BooleanField(_("handled in time"), null=True, blank=True)
    secondary_disaster = models.BooleanField(
        _("caused a secondary disaster"), null=True, blank=True
    )
    criticized_by = models.CharField(
        _("circulated criticism by"),
        max_length=16,
        choices=CriticizedBy.choices,
        blank=True,
        default=CriticizedBy.NONE,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "occurred_on"]),
            models.Index(fields=["kind", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return self.title


class IncidentLeader(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="leaders")
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("responsibility"), max_length=16, choices=LeaderRole.choices)

    class Meta:
        verbose_name = _("leader responsible")
        verbose_name_plural = _("leaders responsible")
        ordering = ["incident_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "cadre"], name="incident_leader_once")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_role_display()}"
