"""The navigation, grouped by domain: only the pages this person may open.

Each entry asks the same predicate its page asks before answering (the page's own guard,
imported from the owning app), so a link never leads to a 403 or 404;
tests/workbench/test_nav.py opens every link as every persona.

Every page shows the navigation, so it must cost next to nothing: which entries a user may
open (and their URLs) is worked out once and kept across requests with the user's reach
(cadres.access.remembered: forgotten when the user's groups, authorities, units or grants
change), together with the user's roles and authorities, which RememberedUserMiddleware
puts on the request's user before the view runs (so the view asks no query for them
either). The labels are translated once per language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cadres.access import recall, recall_keys, remembered, remembered_keys
from cadres.permissions import can_export_roster, can_manage_roster
from clarifications.permissions import can_see_register
from core.audit import can_browse_audit
from core.enums import Role
from core.session_user import get_user
from core.unread import badge_key, keep_prefetched
from promotions.incentives.access import can_list_commendations
from promotions.proposals.permissions import can_see_dashboard
from register.access import can_use_register
from tolerance.permissions import works_on_cases
from tolerance.statistics import can_view_statistics
from tolerance.views.applicant import filing_starts


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


Menu = tuple[tuple[int, tuple[tuple[int, str], ...]], ...]
"""(group index, ((entry index, url), ...)) for each group with an entry the user may open."""


def _allowed(user) -> Menu:
    menu = []
    for g, (_key, _label, entries) in enumerate(GROUPS):
        links = tuple(
            (e, target(user) if callable(target) else reverse(target))
            for e, (_text, target, allowed) in enumerate(entries)
            if allowed(user)
        )
        if links:
            menu.append((g, links))
    return tuple(menu)


def _facts(user) -> tuple[frozenset[str], frozenset[int], Menu]:
    return user.roles, user.authority_ids, _allowed(user)


def remember_user(user, kinds: tuple[str, ...] = ()):
    """Puts the user's roles, authorities and menu on `user` from one cache entry (computed
    and stored on a miss), read in one round trip with the unread-notification count
    (core.unread) and the user's entries of `kinds` that the view recalls (cadres.access:
    recall, recalls); does nothing when the cross-request cache is off."""
    if not settings.ACCESS_CACHE_SECONDS:
        return user
    if not user.is_authenticated or not user.is_active or hasattr(user, "_menu"):
        return user
    keys = [*remembered_keys(user, "chrome"), badge_key(user)]
    found = cache.get_many([*keys, *recall_keys(user, kinds)] if kinds else keys)
    keep_prefetched(user, found)
    if kinds:
        recall(user, kinds, found=found)
    roles, authority_ids, menu = remembered(user, "chrome", lambda: _facts(user), found=found)
    user.__dict__["roles"] = roles
    user.__dict__["authority_ids"] = authority_ids
    user._menu = menu
    return user


class RememberedUserMiddleware:
    """After AuthenticationMiddleware (whose request.user it replaces): request.user, when
    first used, is the session's user (core.session_user: django.contrib.auth's checks, the
    row read by a prepared statement) with its roles, authorities and menu from the cache
    (see remember_user), and the entries its view recalls (cadres.access.recalls) when the
    view is known by then (the user is first used in the view, or in its decorators)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def load():
            match = getattr(request, "resolver_match", None)
            kinds = getattr(match.func, "recalled_kinds", ()) if match is not None else ()
            user = remember_user(get_user(request), kinds)
            if request.__dict__.get("user") is lazy:
                # Once loaded, the request holds the user itself: every later use
                # (templates, views, the auth context processor) then skips the proxy.
                request.user = user
            return user

        lazy = SimpleLazyObject(load)
        request.user = lazy
        return self.get_response(request)


def _menu(user) -> Menu:
    menu = getattr(user, "_menu", None)
    if menu is None:
        menu = _allowed(user)
        user._menu = menu
    return menu


_labels: dict[str | None, tuple[tuple[str, tuple[str, ...]], ...]] = {}


def _translated() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every group's and entry's label in the active language, translated once."""
    language = get_language()
    found = _labels.get(language)
    if found is None:
        found = tuple(
            (str(label), tuple(str(text) for text, _target, _allowed in entries))
            for _key, label, entries in GROUPS
        )
        _labels[language] = found
    return found


def groups_for(user, path: str = "") -> list[Group]:
    """The navigation groups this user sees, each with the links the user may open."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    labels = _translated()
    result = []
    for g, entries in _menu(user):
        group_label, entry_labels = labels[g]
        links = tuple(Link(entry_labels[e], url) for e, url in entries)
        active = any(_is_under(path, link.url) for link in links)
        result.append(Group(GROUPS[g][0], group_label, links, active))
    return result


FRAGMENTS_KEPT = 2000
_fragments: dict[tuple, tuple[str, str]] = {}


class NavHtml:
    """base.html's navigation markup (_nav_bar.html, _nav_sub.html), rendered when first
    shown and kept in this process: it depends only on the menu, the language and which
    group and link the page is under, so each combination is rendered once."""

    def __init__(self, groups: list[Group], path: str):
        self.groups = groups
        self.path = path

    @cached_property
    def _html(self) -> tuple[str, str]:
        key = (
            get_language(),
            tuple((g.key, g.label, g.links, g.active) for g in self.groups),
            tuple(link.url == self.path for g in self.groups for link in g.links),
        )
        found = _fragments.get(key)
        if found is None:
            context = {"nav_groups": self.groups, "path": self.path}
            found = (
                render_to_string("_nav_bar.html", context).strip(),
                render_to_string("_nav_sub.html", context).strip(),
            )
            if len(_fragments) >= FRAGMENTS_KEPT:
                _fragments.clear()
            _fragments[key] = found
        return found

    @property
    def bar(self) -> str:
        return mark_safe(self._html[0])  # noqa: S308 (rendered by the template engine)

    @property
    def sub(self) -> str:
        return mark_safe(self._html[1])  # noqa: S308 (rendered by the template engine)


def navigation(request) -> dict:
    """Context processor: `nav_groups` and their markup `nav_html` for base.html."""
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    groups = groups_for(user, path)
    return {"nav_groups": groups, "nav_html": NavHtml(groups, path)}
