"""County monitoring ranks are entered a whole group and year at a time (counties, or
urban districts): every rankable unit on one page, ranks 1..n, saved all or nothing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..enums import RankGroup
from ..models import MonitoringRank
from ..permissions import can_write_evidence, evidence_writable_units
from ..services.evidence import RANK_KINDS, ranks_set
from ..views import year_choices, year_param
from .kinds import rank_change_cell


def _read_post(post, units) -> tuple[dict[int, int], dict[int, Decimal | None], dict[int, str]]:
    ranks, scores, problems = {}, {}, {}
    for unit in units:
        rank = post.get(f"rank-{unit.pk}", "").strip()
        score = post.get(f"score-{unit.pk}", "").strip()
        if not rank and not score:
            continue
        if not rank.isdigit() or int(rank) < 1:
            problems[unit.pk] = _("Give a rank from 1.")
            continue
        ranks[unit.pk] = int(rank)
        try:
            scores[unit.pk] = Decimal(score).quantize(Decimal("0.01")) if score else None
        except InvalidOperation:
            problems[unit.pk] = _("The score is not a number.")
    return ranks, scores, problems


@login_required
@require_http_methods(["GET", "POST"])
def ranks_enter(request: HttpRequest) -> HttpResponse:
    if not can_write_evidence(request.user):
        raise Http404
    group = request.GET.get("group", RankGroup.COUNTY)
    if group not in RankGroup.values:
        raise Http404
    year = year_param(request)
    units = list(
        evidence_writable_units(request.user).filter(kind=RANK_KINDS[group]).order_by("path")
    )
    current = {
        r.unit_id: r for r in MonitoringRank.objects.filter(year=year, group=group, unit__in=units)
    }
    previous = dict(
        MonitoringRank.objects.filter(year=year - 1, group=group, unit__in=units).values_list(
            "unit_id", "rank"
        )
    )
    errors, problems, posted = [], {}, None
    if request.method == "POST":
        ranks, scores, problems = _read_post(request.POST, units)
        posted = request.POST
        if not problems:
            try:
                count = ranks_set(
                    actor=request.user, year=year, group=group, ranks=ranks, scores=scores
                )
            except (ValidationError, PermissionDenied) as exc:
                errors = getattr(exc, "messages", [str(exc)])
            else:
                messages.success(
                    request,
                    _("%(count)d ranks of %(group)s for %(year)d saved.")
                    % {"count": count, "group": RankGroup(group).label, "year": year},
                )
                return redirect(reverse("assessments:entry", args=["ranks"]) + f"?year={year}")
    rows = []
    for unit in units:
        record = current.get(unit.pk)
        rank = posted.get(f"rank-{unit.pk}", "") if posted else (record.rank if record else "")
        score = (
            posted.get(f"score-{unit.pk}", "")
            if posted
            else (record.score if record and record.score is not None else "")
        )
        rows.append(
            {
                "unit": unit,
                "rank": rank,
                "score": score,
                "previous": previous.get(unit.pk),
                "change": rank_change_cell(previous.get(unit.pk), record.rank)
                if record and not posted
                else None,
                "problem": problems.get(unit.pk, ""),
            }
        )
    return render(
        request,
        "assessments/rank_grid.html",
        {
            "rows": rows,
            "group": group,
            "groups": RankGroup.choices,
            "group_label": RankGroup(group).label,
            "year": year,
            "years": year_choices(),
            "errors": errors,
        },
    )
