"""The up/down and incentives dashboard: the figures seed 000 reports (promoted, adjusted,
commended), each read in one aggregate query over what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadres.enums import MoveType
from cadres.models import PositionRecord
from cadres.permissions import visible_cadres
from core.models import User
from promotions.incentives.access import visible_commendations
from promotions.proposals.permissions import can_see_dashboard, visible_proposals

from .enums import AdjustMethod, ProposalState, TriggerArea

UP_MOVES = (MoveType.PROMOTED, MoveType.EXCEPTIONAL_PROMOTION)
DOWN_MOVES = (
    MoveType.DEMOTED,
    MoveType.TO_NON_LEADERSHIP,
    MoveType.TRANSFERRED_FROM_POST,
    MoveType.RESIGNED_TAKING_BLAME,
    MoveType.ORDERED_TO_RESIGN,
    MoveType.REMOVED,
)
MAX_YEARS = 12  # the charts show the latest years present in the data


@dataclass
class Figures:
    years: list[int]
    grid: list[tuple[str, list[int]]]  # trigger area → proposals per year
    states: list[tuple[str, int]]
    adjusted: list[tuple[int, str, int]]  # executed proposals: year, method, count
    moves: dict[str, list[int]]  # promoted / exceptional / down → per year
    commended: dict[str, list[int]]  # cadres / teams → per year
    totals: dict[str, int] = field(default_factory=dict)

    def chart(self) -> dict:
        return {
            "years": self.years,
            "areas": [{"label": str(label), "data": data} for label, data in self.grid],
            "moves": [
                {"key": key, "label": label, "data": self.moves[key]}
                for key, label in (
                    ("promoted", pgettext("incentives", "Promotions")),
                    ("exceptional", _("Exceptional promotions")),
                    ("down", _("Down-adjustments")),
                )
            ],
            "commended": [
                {"key": key, "label": label, "data": self.commended[key]}
                for key, label in (
                    ("cadres", _("Cadres commended")),
                    ("teams", _("Teams commended")),
                )
            ],
        }


def figures(user: User) -> Figures:
    """Five aggregate queries, whatever the amount of data."""
    proposals = visible_proposals(user)
    by_area = list(proposals.values_list("year", "area").annotate(n=Count("id")).order_by())
    states = list(proposals.values_list("state").annotate(n=Count("id")).order_by("state"))
    adjusted = list(
        proposals.filter(state=ProposalState.EXECUTED)
        .values_list("year", "method")
        .annotate(n=Count("id"))
        .order_by("year", "method")
    )
    moves = list(
        PositionRecord.objects.filter(
            cadre__in=visible_cadres(user), move__in=[*UP_MOVES, *DOWN_MOVES]
        )
        .annotate(y=ExtractYear("start_date"))
        .values_list("y", "move")
        .annotate(n=Count("id"))
        .order_by()
    )
    commended = list(
        visible_commendations(user)
        .values_list("year")
        .annotate(
            cadres=Count("id", filter=Q(cadre__isnull=False)),
            teams=Count("id", filter=Q(cadre__isnull=True)),
        )
        .order_by()
    )
    years = sorted(
        {y for y, _a, _n in by_area} | {y for y, _m, _n in moves} | {y for y, _c, _t in commended}
    )[-MAX_YEARS:]
    at = {y: i for i, y in enumerate(years)}

    def series() -> list[int]:
        return [0] * len(years)

    areas = {value: series() for value in TriggerArea.values}
    for y, area, n in by_area:
        if y in at and area in areas:
            areas[area][at[y]] += n
    per_move = {"promoted": series(), "exceptional": series(), "down": series()}
    totals = {"promoted": 0, "exceptional": 0, "down": 0, "cadres": 0, "teams": 0}
    for y, move, n in moves:
        key = (
            "promoted"
            if move == MoveType.PROMOTED
            else "exceptional"
            if move == MoveType.EXCEPTIONAL_PROMOTION
            else "down"
        )
        totals[key] += n
        if y in at:
            per_move[key][at[y]] += n
    per_commended = {"cadres": series(), "teams": series()}
    for y, cadres, teams in commended:
        totals["cadres"] += cadres
        totals["teams"] += teams
        if y in at:
            per_commended["cadres"][at[y]] += cadres
            per_commended["teams"][at[y]] += teams
    return Figures(
        years=years,
        grid=[(label, areas[value]) for value, label in TriggerArea.choices],
        states=[(ProposalState(s).label, n) for s, n in states],
        adjusted=[(y, AdjustMethod(m).label, n) for y, m, n in adjusted if m],
        moves=per_move,
        commended=per_commended,
        totals=totals,
    )


@login_required
def dashboard(request):
    if not can_see_dashboard(request.user):
        raise Http404("No such page")
    found = figures(request.user)
    return render(
        request,
        "promotions/dashboard.html",
        {
            "years": found.years,
            "grid": found.grid,
            "states": found.states,
            "adjusted": found.adjusted,
            "totals": found.totals,
            "chart": found.chart(),
        },
    )
