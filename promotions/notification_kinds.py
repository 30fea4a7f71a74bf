"""The notifications of adjustment proposals and exceptional-promotion requests: codes,
wording and the object they group under. Who receives each is decided where it is sent
(promotions.proposals.workflow, promotions.exceptional.services). Registered by
PromotionsConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, NotificationTarget

from .enums import Decision

REASON = _("Reasons: %(reason)s")

KINDS = (
    NotificationKind(
        "promotions.proposal.inspecting",
        _("Adjustment proposal for %(name)s under inspection: to be decided"),
        params=("name",),
    ),
    NotificationKind(
        "promotions.proposal.decided",
        _("Adjustment proposal for %(name)s decided: %(decision)s"),
        params=("name", "decision"),
        labels={"decision": Decision},
    ),
    NotificationKind(
        "promotions.proposal.executed",
        _("Adjustment of %(name)s carried out"),
        params=("name",),
    ),
    NotificationKind(
        "promotions.exceptional.submitted",
        _("Exceptional promotion of %(name)s submitted: approve or reject it"),
        params=("name",),
    ),
    NotificationKind(
        "promotions.exceptional.approved",
        _("Exceptional promotion of %(name)s approved"),
        params=("name",),
    ),
    NotificationKind(
        "promotions.exceptional.rejected",
        _("Exceptional promotion of %(name)s rejected"),
        REASON,
        params=("name", "reason"),
    ),
)

TARGETS = (
    NotificationTarget(
        "promotions.proposal",
        heading=_("Adjustment proposal: %(label)s"),
        label=lambda proposal: proposal.cadre.name,
    ),
    NotificationTarget(
        "promotions.exceptionalrequest",
        heading=_("Exceptional promotion: %(label)s"),
        label=lambda request: request.cadre.name,
    ),
)
