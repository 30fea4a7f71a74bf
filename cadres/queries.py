"""Reusable reads over cadres: name search, the list order, the history page, unit choices.

The cadre list pages by keyset (core.paging) on LIST_ORDER through the (unit, rank) index.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from core.paging import KeysetPage, keyset_page

from .access import remembered
from .models import Cadre, TalentList, Unit
from .permissions import visible_cadres


class Unset:
    """No access paths given (visible_for_listing)."""


UNSET = Unset()

LIST_ORDER: tuple[str, ...] = ("unit_id", "-rank", "name", "id")
"""The cadre list order (the model's default): by unit, senior first, then name."""


def talent_lists(user) -> tuple[tuple[int, str, str], ...]:
    """(pk, name, kind) of every pool and list, in their order (kind, code): the cadre
    list's filter offers them and its rows show their badges. Kept in the user's cache
    entry under the reach generation (cadres.access.remembered), which every change of a
    pool or list moves on, as it does for authorities."""
    return remembered(
        user, "talent-lists", lambda: tuple(TalentList.objects.values_list("pk", "name", "kind"))
    )


def search_cadres(qs: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """Match a name substring, a pinyin-initials prefix (zs) or a full-pinyin prefix (zhangs).

    Latin input matches only the two pinyin columns, which are indexed, so the prefix match
    uses the index (on PostgreSQL the `varchar_pattern_ops` index Django adds to indexed
    CharFields); a substring match on the name would read every row.
    """
    text = text.strip()
    if not text:
        return qs
    if not text.isascii():
        return qs.filter(name__contains=text)
    key = "".join(ch for ch in text.lower() if ch.isalnum())
    if not key:
        return qs.none()
    return qs.filter(Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key))


def visible_for_listing(user, paths: list[Q] | None | Unset = UNSET) -> QuerySet[Cadre]:
    """visible_cadres(user) for lists: page it with `paths=visible_cadre_paths(user)`.

    The access paths are id lists (cadres.access), so each one is an index condition in
    the list order; keyset_page and capped_count read them one by one and merge them.
    Given the user's `paths` (visible_cadre_paths) and only one of them, that path alone
    (the rule itself, one index condition in the list order; visible_cadres states the
    subtrees as `LIKE` over the joined units, and the grants)."""
    if paths is None:
        return Cadre.objects.all()
    if isinstance(paths, list) and len(paths) <= 1:
        return Cadre.objects.filter(paths[0]) if paths else Cadre.objects.none()
    return visible_cadres(user)


HISTORY_ORDER = ("start_date", "id")


def position_history(cadre: Cadre, *, cursor: str = "") -> KeysetPage:
    """One page of 任职经历 in the order of the appointment form (oldest first).

    Bounded by ``CADRE_HISTORY_PAGE_SIZE``: a cadre with thousands of records renders one
    page at a time.
    """
    return keyset_page(
        cadre.positions.all(),
        cursor=cursor,
        size=settings.CADRE_HISTORY_PAGE_SIZE,
        order=HISTORY_ORDER,
    )


def unit_choices(units: QuerySet[Unit]) -> list[tuple[int, str]]:
    """(id, indented name) in tree order, indented relative to the shallowest unit shown."""
    rows = list(units.order_by("path").values_list("pk", "name", "depth"))
    top = min((depth for _pk, _name, depth in rows), default=1)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in rows]
