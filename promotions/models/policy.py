"""Versioned up/down and incentive policies (core.policies.PolicyVersionBase)."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.policies import PolicyStatus, PolicyVersionBase
from promotions.policy_data import PolicyDataError, Terms, terms_from_data
from promotions.policy_jinan import JinanTerms, jinan_terms


class PromotionPolicy(PolicyVersionBase):
    """One version of a jurisdiction's up/down and incentive measures (triggers, grounds,
    exceptional promotion, incentives), in force from a date."""

    class Meta(PolicyVersionBase.Meta):
        verbose_name = _("up/down policy version")
        verbose_name_plural = _("up/down policy versions")

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


__all__ = ["PolicyStatus", "PromotionPolicy"]
