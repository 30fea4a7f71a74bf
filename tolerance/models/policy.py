"""Versioned tolerance policies: what a jurisdiction's measure says, as of a date."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.policies import PolicyStatus, PolicyVersionBase

from ..catalogs import Policy
from ..policy_data import policy_from_data


class PolicyVersion(PolicyVersionBase):
    """One version of a jurisdiction's tolerance measure (catalog, distinctions, conditions,
    exclusions, procedure). Administrators change a policy by drafting a new version
    (tolerance.policies.policy_draft_from) and publishing it."""

    class Meta(PolicyVersionBase.Meta):
        verbose_name = _("tolerance policy version")
        verbose_name_plural = _("tolerance policy versions")
        indexes = [models.Index(fields=["status", "effective_from"])]

    @cached_property
    def policy(self) -> Policy:
        return policy_from_data(self.content)

    def clean(self):
        try:
            policy_from_data(self.content)
        except ValueError as exc:
            raise ValidationError({"content": str(exc)}) from exc


__all__ = ["PolicyStatus", "PolicyVersion"]
