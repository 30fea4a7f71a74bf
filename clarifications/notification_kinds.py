"""The notifications of petitions (信访举报件): codes, wording and the petition they group
under. Who receives each is decided in clarifications.services. Registered by
ClarificationsConfig.ready."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from core.notifications import NotificationKind, NotificationTarget


def _t(text: str):
    return pgettext_lazy("clarifications", text)


KINDS = (
    NotificationKind(
        "clarifications.petition.verifying",
        _t("Petition %(ref)s: verification started by %(by)s"),
        params=("ref", "by"),
    ),
    NotificationKind(
        "clarifications.petition.concluded",
        _t("Petition %(ref)s concluded by %(by)s"),
        params=("ref", "by"),
    ),
)

TARGETS = (
    NotificationTarget(
        "clarifications.petition",
        heading=_t("Petition %(label)s"),
        label=lambda petition: petition.reference,
    ),
)
