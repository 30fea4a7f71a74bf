"""The proposal list's filter: the cadre (name or pinyin), year, trigger area, state.

It narrows visible_proposals(user) and nothing else; the list page, its export and the
home page's counts share it."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from cadres.models import Cadre
from cadres.queries import search_cadres
from promotions.enums import ProposalState, TriggerArea
from promotions.models import Proposal


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def proposal_filters(params: Mapping[str, str]) -> dict:
    """The valid filter values in `params` (invalid ones are dropped)."""
    year = _int(params.get("year"))
    area = params.get("area", "")
    state = params.get("state", "")
    return {
        "q": " ".join(str(params.get("q", "")).split())[:40],
        "year": year,
        "area": area if area in TriggerArea.values else "",
        "state": state if state in ProposalState.values else "",
    }


def filter_proposals(rows: QuerySet[Proposal], params: Mapping[str, str]) -> QuerySet[Proposal]:
    chosen = proposal_filters(params)
    if chosen["q"]:
        rows = rows.filter(cadre__in=search_cadres(Cadre.objects.all(), chosen["q"]))
    if chosen["year"]:
        rows = rows.filter(year=chosen["year"])
    if chosen["area"]:
        rows = rows.filter(area=chosen["area"])
    if chosen["state"]:
        rows = rows.filter(state=chosen["state"])
    return rows
