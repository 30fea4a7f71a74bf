"""The leaders' statistics page (tolerance.statistics computes the figures)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import statistics as statistics_module
from ..enums import Outcome
from ..models.review import AppealState
from ..queries import short_label
from ..statistics import can_view_statistics


def _chosen_year(raw: str, years: list[int]) -> int | None:
    """The year asked for; "all" for every year; by default the latest year with cases."""
    if raw == "all":
        return None
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else timezone.localdate().year


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_view_statistics(user):
        raise Http404
    authorities = list(statistics_module.authority_choices(user))
    raw_authority = request.GET.get("authority", "")
    authority = next((a for a in authorities if str(a.pk) == raw_authority), None)
    years = statistics_module.years_with_cases(
        statistics_module.scoped_cases(user, authority_id=authority.pk if authority else None)
    )
    year = _chosen_year(request.GET.get("year", ""), years)
    figures = statistics_module.statistics(user, year=year, authority=authority)
    return render(
        request,
        "tolerance/statistics.html",
        {
            "figures": figures,
            "authorities": authorities,
            "authority": authority,
            "years": years,
            "year": year,
            "charts": _chart_data(figures),
            "outcome_choices": _outcome_choices(),
            "situation_chart_height": 80 + 34 * len(figures.outcomes_by_situation),
        },
    )


def _outcome_choices():
    return Outcome.choices


def _chart_data(figures) -> dict:
    """Plain numbers and translated labels for static/js/stats-charts.js."""
    outcomes = list(Outcome)
    return {
        "months": {
            "labels": [m["label"] for m in figures.months],
            "series": [
                {"label": _("Applications"), "data": [m["applications"] for m in figures.months]},
                {"label": _("Ex officio"), "data": [m["ex_officio"] for m in figures.months]},
            ],
        },
        "situations": {
            "labels": [
                short_label(row["code"], row["text"], 14) for row in figures.outcomes_by_situation
            ],
            "titles": [
                f"{row['code']} {row['text']}".strip() for row in figures.outcomes_by_situation
            ],
            "series": [
                {
                    "key": outcome.value,
                    "label": str(outcome.label),
                    "data": [
                        row["counts"].get(outcome.value, 0) for row in figures.outcomes_by_situation
                    ],
                }
                for outcome in outcomes
            ],
        },
        "stages": {
            "labels": [s.label for s in figures.stages],
            "data": [s.average_days for s in figures.stages],
            "cases": [s.cases for s in figures.stages],
            "unit": _("working days"),
            "cases_label": _("cases"),
        },
        "overdue": {
            "labels": [label for _stage, label, _n in figures.overdue_by_stage],
            "data": [n for _stage, _label, n in figures.overdue_by_stage],
            "label": _("Overdue cases"),
        },
        "appeals": {
            "labels": [str(state.label) for state in AppealState],
            "keys": [state.value for state in AppealState],
            "data": [figures.appeals.get(state.value, 0) for state in AppealState],
        },
    }
