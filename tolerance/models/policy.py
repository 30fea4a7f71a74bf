"""Versioned tolerance policies: what a jurisdiction's measure says, as of a date."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..catalogs import Policy
from ..policy_data import policy_from_data
from ..rules import DeliberationRules


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Decider(models.TextChoices):
    """Who may record the committee's conclusion on the meeting's behalf."""

    PRESENT_MEMBER = "present_member", _("A member present at the meeting")
    CHAIR = "chair", _("The chair of the meeting")


class MajorityBase(models.TextChoices):
    MEMBERS = "members", _("All members of the committee")
    PRESENT = "present", _("The members present")


DEFAULT_DELIBERATION_BASIS = (
    "默认值（系统设定，未见于种子材料所引办法原文）：到会成员超过委员会成员半数方可开会；"
    "认定结论须经委员会成员过半数同意；结论由出席会议的成员记录。"
    "各地应按本地容错纠错办法的规定修改，并在此注明条款出处。"
)


class PolicyVersion(models.Model):
    """One version of a jurisdiction's tolerance measure, in force from `effective_from`.

    A version without an authority is the default for every authority that has no version of
    its own in force. Published versions are immutable: administrators change a policy by
    drafting a new version (tolerance.policies.policy_draft_from) and publishing it.
    """

    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("jurisdiction (competent authority)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tolerance_policies",
        help_text=_("Leave empty for the default that applies wherever no other version does."),
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    content = models.JSONField(_("content"))
    note = models.TextField(_("note"), blank=True)
    # Collective deliberation (集体研究): quorum, majority and who records the decision.
    quorum = models.CharField(
        _("quorum (share of the members)"), max_length=12, default="1/2",
        help_text=_("A fraction such as 1/2 or 2/3 of the committee's members."),
    )
    quorum_exceeds = models.BooleanField(
        _("quorum means more than that share"), default=True,
        help_text=_("Ticked: more than the share must be present; unticked: at least the share."),
    )
    majority = models.CharField(
        _("majority (share of the base)"), max_length=12, default="1/2",
        help_text=_("A conclusion needs more than this share of the base voting for it."),
    )
    majority_base = models.CharField(
        _("majority counted among"), max_length=12, choices=MajorityBase.choices,
        default=MajorityBase.MEMBERS,
    )
    decider = models.CharField(
        _("who records the conclusion"), max_length=16, choices=Decider.choices,
        default=Decider.PRESENT_MEMBER,
    )
    deliberation_basis = models.TextField(
        _("where the deliberation rules come from"), default=DEFAULT_DELIBERATION_BASIS,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("tolerance policy version")
        verbose_name_plural = _("tolerance policy versions")
        ordering = ["authority_id", "-effective_from", "-id"]
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PolicyStatus.PUBLISHED:
                raise PermissionDenied("A published policy version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PermissionDenied("A published policy version cannot be deleted")
        return super().delete(*args, **kwargs)

    @cached_property
    def policy(self) -> Policy:
        return policy_from_data(self.content)

    @cached_property
    def deliberation(self) -> DeliberationRules:
        return DeliberationRules.parse(
            quorum=self.quorum,
            quorum_exceeds=self.quorum_exceeds,
            majority=self.majority,
            majority_base=self.majority_base,
            decider=self.decider,
        )

    @property
    def is_published(self) -> bool:
        return self.status == PolicyStatus.PUBLISHED

    def clean(self):
        try:
            policy_from_data(self.content)
        except ValueError as exc:
            raise ValidationError({"content": str(exc)}) from exc
        for name in ("quorum", "majority"):
            try:
                DeliberationRules.share(getattr(self, name), upper_ok=name == "quorum")
            except ValueError:
                raise ValidationError(
                    {name: _("Write a fraction between 0 and 1, such as 1/2 or 2/3.")}
                ) from None
