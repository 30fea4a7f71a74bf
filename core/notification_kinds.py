"""The notifications core itself sends: document drafts waiting for a step or issued, and
the missing holiday schedule. Registered by CoreConfig.ready; who receives each is decided
in core.drafts and core.calendar_watch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .notifications import NotificationKind, NotificationTarget

CALENDAR = "core.calendar"  # the target of the calendar warnings: one group per year

KINDS = (
    NotificationKind("core.draft.to_check", _("Draft to check: %(title)s"), params=("title",)),
    NotificationKind(
        "core.draft.to_sign", _("Draft to sign off: %(title)s"), params=("title",)
    ),
    NotificationKind(
        "core.draft.issued", _("Issued: %(number)s %(title)s"), params=("number", "title")
    ),
    NotificationKind(
        "core.calendar.missing",
        _("The holiday schedule of %(year)d has not been entered"),
        _(
            "Deadlines that run into %(year)d count Monday to Friday as working days until "
            "an administrator enters that year's official holiday schedule (the State "
            "Council notice). Once it is entered, every running deadline it affects is "
            "recomputed."
        ),
        params=("year",),
        formats={"year": int},
    ),
)

TARGETS = (
    NotificationTarget(
        "core.documentdraft", heading=_("Draft: %(label)s"), label=lambda draft: draft.title
    ),
    NotificationTarget(CALENDAR, heading=_("Holiday schedule %(label)s"), label=str),
)
