"""Versioned tolerance policies: what a jurisdiction's measure says, as of a date."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.policies import PolicyStatus, PolicyVersionBase

from ..policy_data import policy_from_data
from ..policy_types import Policy
from ..rules import DeliberationRules


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


def signing_roles_valid(value) -> bool:
    from core.enums import Role
    from core.models import DocumentKind

    return isinstance(value, dict) and all(
        kind in DocumentKind.values
        and isinstance(roles, list)
        and roles
        and all(role in Role.values for role in roles)
        for kind, roles in value.items()
    )


class PolicyVersion(PolicyVersionBase):
    """One version of a jurisdiction's tolerance measure (catalog, distinctions, conditions,
    exclusions, procedure). Administrators change a policy by drafting a new version
    (tolerance.policies.policy_draft_from) and publishing it."""

    # Collective deliberation (集体研究): quorum, majority and who records the decision.
    quorum = models.CharField(
        _("quorum (share of the members)"),
        max_length=12,
        default="1/2",
        help_text=_("A fraction such as 1/2 or 2/3 of the committee's members."),
    )
    quorum_exceeds = models.BooleanField(
        _("quorum means more than that share"),
        default=True,
        help_text=_("Ticked: more than the share must be present; unticked: at least the share."),
    )
    majority = models.CharField(
        _("majority (share of the base)"),
        max_length=12,
        default="1/2",
        help_text=_("A conclusion needs more than this share of the base voting for it."),
    )
    majority_base = models.CharField(
        _("majority counted among"),
        max_length=12,
        choices=MajorityBase.choices,
        default=MajorityBase.MEMBERS,
    )
    decider = models.CharField(
        _("who records the conclusion"),
        max_length=16,
        choices=Decider.choices,
        default=Decider.PRESENT_MEMBER,
    )
    deliberation_basis = models.TextField(
        _("where the deliberation rules come from"),
        default=DEFAULT_DELIBERATION_BASIS,
    )
    # Who signs off (签发) each document kind of this jurisdiction's cases: {kind: [roles]};
    # a kind left out falls back to settings DOCUMENT_SIGNING_ROLES (core.drafts).
    signing_roles = models.JSONField(
        _("who signs off each document kind"),
        default=dict,
        blank=True,
        help_text=_(
            'For example {"tolerance_ruling": ["approving_leader"]}; a kind left '
            "out follows the site's setting."
        ),
    )

    class Meta(PolicyVersionBase.Meta):
        verbose_name = _("tolerance policy version")
        verbose_name_plural = _("tolerance policy versions")
        indexes = [models.Index(fields=["status", "effective_from"])]

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

    def clean(self):
        try:
            policy_from_data(self.content)
        except ValueError as exc:
            raise ValidationError({"content": str(exc)}) from exc
        if not signing_roles_valid(self.signing_roles):
            raise ValidationError(
                {
                    "signing_roles": _(
                        "Map each document kind to a list of roles, such as "
                        '{"tolerance_ruling": ["approving_leader"]}.'
                    )
                }
            )
        for name in ("quorum", "majority"):
            try:
                DeliberationRules.share(getattr(self, name), upper_ok=name == "quorum")
            except ValueError:
                raise ValidationError(
                    {name: _("Write a fraction between 0 and 1, such as 1/2 or 2/3.")}
                ) from None


__all__ = ["Decider", "MajorityBase", "PolicyStatus", "PolicyVersion"]
