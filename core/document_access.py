"""Who may read an issued document: one registry, filled by the apps that own the kinds.

Each app that issues documents owns its reading rule and registers it here from its
AppConfig.ready, in both forms, written side by side in the app's permissions module:

- `check(user, document) -> bool`: may this user read this one document (a download, a page);
- `readable(user) -> Q`: the same rule as a filter over IssuedDocument (the register, its
  export, the API list, the search), so that a list is one SQL statement.

The registry adds what every rule shares: an inactive or anonymous user reads nothing, an
administrator reads everything, and a kind nobody registered is for administrators only.
Every caller (document pages and downloads, the API, the register and its export, the
search) asks here; none restates an app's rule. tests/register/test_access.py and
tests/register/test_access_kinds.py hold the two forms of every rule against each other,
document by document and persona by persona.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import DocumentKind, IssuedDocument, User

AccessCheck = Callable[[User, IssuedDocument], bool]
ReadableFilter = Callable[[User], Q]
ReadablePaths = Callable[[User], list[Q]]

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ReadingRule:
    """One app's rule for its kinds: the object check and the same rule set-based."""

    check: AccessCheck
    readable: ReadableFilter
    paths: ReadablePaths | None = None
    """`readable` as access paths, the conditions whose OR it is, each one an index
    condition a list can read in its order (core.paging); None: `readable` is one path."""


RULES: dict[str, ReadingRule] = {}


def register_document_access(
    kinds: Iterable[str],
    *,
    check: AccessCheck,
    readable: ReadableFilter,
    paths: ReadablePaths | None = None,
) -> None:
    """Let the app owning `kinds` decide who reads their documents (call in AppConfig.ready).

    Registering the same rule again is harmless; a second owner for a kind is refused.
    """
    rule = ReadingRule(check=check, readable=readable, paths=paths)
    for kind in kinds:
        if kind not in DocumentKind.values:
            raise ValueError(f"Unknown document kind {kind!r}")
        current = RULES.get(kind)
        if current is not None and current != rule:
            raise ValueError(f"Access to {kind!r} documents is already decided by {current!r}")
        RULES[kind] = rule


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_read(user, document: IssuedDocument) -> bool:
    """May `user` read `document` (its page and its file)?"""
    if not _active(user):
        return False
    if user.is_administrator:
        return True
    rule = RULES.get(document.kind)
    return rule is not None and rule.check(user, document)


def get_document_for_user(user, pk: int) -> IssuedDocument:
    """The document if the user may read it; otherwise 404, missing or not."""
    if not _active(user):
        raise Http404("No such document")
    document = IssuedDocument.objects.select_related("authority").filter(pk=pk).first()
    if document is None or not can_read(user, document):
        raise Http404("No such document")
    return document


def readable_documents(user) -> QuerySet[IssuedDocument]:
    """Every issued document the user may read (and download): one SQL statement."""
    if not _active(user):
        return IssuedDocument.objects.none()
    if user.is_administrator:
        return IssuedDocument.objects.all()
    q = _NOTHING
    for rule, kinds in _kinds_of().items():
        q |= Q(kind__in=kinds) & rule.readable(user)
    return IssuedDocument.objects.filter(q)


def _kinds_of() -> dict[ReadingRule, list[str]]:
    kinds_of: dict[ReadingRule, list[str]] = {}
    for kind, rule in RULES.items():
        kinds_of.setdefault(rule, []).append(kind)
    return kinds_of


def readable_document_paths(user) -> list[Q] | None:
    """readable_documents as access paths (None: everything), for the lists that read each
    path through an index in their order and merge them (core.paging.path_branches): each
    rule's paths (or its one filter), restricted to its kinds. Their OR selects what
    readable_documents selects (tests/register/test_access.py holds them together)."""
    if not _active(user):
        return []
    if user.is_administrator:
        return None
    result = []
    for rule, kinds in _kinds_of().items():
        paths = rule.paths(user) if rule.paths is not None else [rule.readable(user)]
        result += [Q(kind__in=kinds) & path for path in paths]
    return result
