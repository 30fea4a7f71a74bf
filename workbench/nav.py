"""The navigation, grouped by domain: only the pages this person may open.

Each entry asks the same predicate its page asks before answering (the page's own guard,
imported from the owning app), so a link never leads to a 403 or 404;
tests/workbench/test_nav.py opens every link as every persona. Predicates read the user's
roles and authorities, which the request already loaded: the navigation costs no query of
its own beyond those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cadres.access import remembered
from cadres.permissions import can_export_roster, can_manage_roster
from clarifications.permissions import can_see_register
from core.audit import can_browse_audit
from core.enums import Role
from promotions.incentives.access import can_list_commendations
from promotions.proposals.permissions import can_see_dashboard
from register.access import can_use_register
from tolerance.statistics import can_view_statistics
from tolerance.views.applicant import filing_starts
from tolerance.views.queue import works_on_cases


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    links: tuple[Link, ...]
    active: bool

    @property
    def url(self) -> str:
        """Where the group's own link leads: its first page."""
        return self.links[0].url


Rule = Callable[[object], bool]


def _everyone(user) -> bool:
    return True


def _cadre(user) -> bool:
    return user.has_role(Role.CADRE) and user.cadre_id is not None


def _applicant(user) -> bool:
    return user.has_role(Role.CADRE, Role.UNIT_HR)


def _own_assessments(user) -> str:
    return reverse("assessments:cadre", args=[user.cadre_id])


def _roster(user) -> tuple[bool, bool]:
    """(may manage the roster, may export it), kept across requests with the user's reach
    (cadres.access.remembered), so pages do not query authorities for the navigation."""
    return remembered(user, "nav", lambda: (can_manage_roster(user), can_export_roster(user)))


def _manager(user) -> bool:
    return _roster(user)[0]


def _exporter_only(user) -> bool:
    manages, exports = _roster(user)
    return exports and not manages


def _admin_site(user) -> bool:
    """What django.contrib.admin's AdminSite.has_permission asks."""
    return user.is_active and user.is_staff


GROUPS: tuple[tuple[str, object, tuple[tuple[object, object, Rule], ...]], ...] = (
    (
        "cadres",
        pgettext_lazy("nav group", "Cadres"),
        (
            (_("Cadre list"), "cadres:list", _everyone),
            (_("Roster import and export"), "cadres:roster-import", _manager),
            (_("Import appointment forms (.lrmx)"), "cadres:lrmx-import", _manager),
            (_("Export the roster"), "cadres:roster-export", _exporter_only),
        ),
    ),
    (
        "tolerance",
        pgettext_lazy("nav group", "Error tolerance"),
        (
            (_("Tolerance cases"), "tolerance:queue", works_on_cases),
            (_("My tolerance cases"), "tolerance:my_cases", _applicant),
            (_("File a case"), "tolerance:file", lambda user: bool(filing_starts(user))),
        ),
    ),
    (
        "assessments",
        pgettext_lazy("nav group", "Assessments"),
        (
            (_("Assessment grades"), "assessments:index", _everyone),
            (_("My assessments"), _own_assessments, _cadre),
        ),
    ),
    (
        "promotions",
        pgettext_lazy("nav group", "Up and down"),
        (
            (_("Up/down dashboard"), "promotions:dashboard", can_see_dashboard),
            (_("Adjustment proposals"), "promotions:proposals", can_see_dashboard),
            (_("Exceptional promotion"), "promotions:exceptional_list", can_see_dashboard),
            (_("Commendations"), "promotions:commendations", can_list_commendations),
            (_("Top counties and bonus"), "promotions:bonus", can_see_dashboard),
        ),
    ),
    (
        "clarifications",
        pgettext_lazy("nav group", "Petitions and clarification"),
        (
            (_("Petitions and reports"), "clarifications:list", can_see_register),
            (_("Prevention filings"), "clarifications:filings", can_see_register),
            (_("Clarification statistics"), "clarifications:stats", can_see_register),
        ),
    ),
    (
        "documents",
        pgettext_lazy("nav group", "Documents and statistics"),
        (
            (_("Register of documents"), "register:list", can_use_register),
            (_("Statistics"), "stats:index", can_view_statistics),
        ),
    ),
    (
        "system",
        pgettext_lazy("nav group", "System"),
        (
            (_("Audit log"), "audit-log", can_browse_audit),
            (_("Administration"), "admin:index", _admin_site),
        ),
    ),
)


def _is_under(path: str, url: str) -> bool:
    base = url.split("?", 1)[0]
    return path == base or (base != "/" and path.startswith(base))


def groups_for(user, path: str = "") -> list[Group]:
    """The navigation groups this user sees, each with the links the user may open."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    result = []
    for key, label, entries in GROUPS:
        links = tuple(
            Link(str(text), target(user) if callable(target) else reverse(target))
            for text, target, allowed in entries
            if allowed(user)
        )
        if links:
            active = any(_is_under(path, link.url) for link in links)
            result.append(Group(key, str(label), links, active))
    return result


def navigation(request) -> dict:
    """Context processor: `nav_groups` for base.html."""
    user = getattr(request, "user", None)
    return {"nav_groups": groups_for(user, getattr(request, "path", ""))}
