"""Report pages with charts (Chart.js, vendored under static/vendor/chartjs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cadres.enums import UnitKind

from .enums import GRADE_ORDER, Grade, IncidentKind, RankGroup
from .permissions import evidence_units
from .policies import detection_policy_in_force, jurisdiction_codes_by_path
from .reports import detections, distribution, incidents_per_county, rank_history
from .views import year_choices, year_param

MAX_UNITS_IN_CHART = 40


def _scope(request: HttpRequest):
    """The readable units, narrowed to one subtree by `root`; and the root choices."""
    units = evidence_units(request.user)
    choices = list(
        units.filter(
            kind__in=[UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY, UnitKind.URBAN_DISTRICT]
        )
        .order_by("path")
        .values_list("pk", "name", "path")[:200]
    )
    request._report_roots = choices  # (pk, name, path): the detection report's jurisdiction
    if not choices and not units.exists():
        raise Http404
    raw = request.GET.get("root", "")
    root = next((c for c in choices if raw.isdigit() and c[0] == int(raw)), None)
    if root is not None:
        units = units.filter(path__startswith=root[2])
    return units, [(pk, name) for pk, name, _p in choices], root[0] if root else None


@login_required
def distribution_report(request: HttpRequest) -> HttpResponse:
    units, roots, root = _scope(request)
    year = year_param(request)
    rows = distribution(units.exclude(kind=UnitKind.VILLAGE), [year])
    chart_rows = rows[:MAX_UNITS_IN_CHART]
    chart = {
        "labels": [r.unit_name for r in chart_rows],
        "grades": [
            {"key": g.value, "label": str(g.label), "data": [r.counts[g.value] for r in chart_rows]}
            for g in GRADE_ORDER
        ],
        "quota": [r.quota.allowed for r in chart_rows],
    }
    totals = {g.value: sum(r.counts[g.value] for r in rows) for g in GRADE_ORDER}
    return render(
        request,
        "assessments/report_distribution.html",
        {
            "rows": rows,
            "year": year,
            "years": year_choices(),
            "roots": roots,
            "root": root,
            "chart": chart,
            "chart_capped": len(rows) > MAX_UNITS_IN_CHART,
            "grades": GRADE_ORDER,
            "totals": totals,
            "over": sum(1 for r in rows if r.over),
        },
    )


@login_required
def detection_report(request: HttpRequest) -> HttpResponse:
    """Both detections with the thresholds in force for the year (models.DetectionPolicy);
    without a policy row in force nothing is flagged and the page says so."""
    units, roots, root = _scope(request)
    year = year_param(request)
    context = {"year": year, "years": year_choices(), "roots": roots, "root": root}
    # the thresholds of the jurisdiction of the subtree shown (the topmost readable unit's)
    choices = request._report_roots
    path = next((p for pk, _n, p in choices if pk == root), None) or next(
        (p for _pk, _n, p in choices), None
    )
    codes = jurisdiction_codes_by_path([path])[path] if path else ()
    thresholds = detection_policy_in_force(year, codes)
    if thresholds is None:
        return render(request, "assessments/report_detection.html", context)
    rotation, uniformity = thresholds.rotation(), thresholds.uniformity()
    found = detections(units, end_year=year, rotation=rotation, uniformity=uniformity)
    context.update(
        thresholds=thresholds,
        found=found,
        rotation=rotation,
        uniformity=uniformity,
        coverage_percent=rotation.min_coverage * 100,
        share_percent=uniformity.min_competent_share * 100,
        excellent=Grade.EXCELLENT,
    )
    return render(request, "assessments/report_detection.html", context)


@login_required
def rank_report(request: HttpRequest) -> HttpResponse:
    units, roots, root = _scope(request)
    last = year_param(request)
    years = list(range(last - 4, last + 1))
    rows = rank_history(units, years)
    series: dict[str, dict[int, dict]] = {}
    for row in rows:
        line = series.setdefault(row.group, {}).setdefault(
            row.unit_id, {"label": row.unit_name, "data": [None] * len(years)}
        )
        line["data"][years.index(row.year)] = row.change.current
    charts = [
        {
            "group": g.value,
            "label": str(g.label),
            "years": years,
            "lines": list(series.get(g.value, {}).values()),
        }
        for g in RankGroup
        if series.get(g.value)
    ]
    return render(
        request,
        "assessments/report_ranks.html",
        {
            "rows": [r for r in rows if r.year == last],
            "history": rows,
            "charts": charts,
            "year": last,
            "years": year_choices(),
            "roots": roots,
            "root": root,
        },
    )


@login_required
def incident_report(request: HttpRequest) -> HttpResponse:
    units, roots, root = _scope(request)
    last = year_param(request)
    years = list(range(last - 4, last + 1))
    data = incidents_per_county(units, years)
    table = []
    for pk, name in data["counties"]:
        per_year = [
            sum(data["rows"].get((pk, y, k), 0) for k in IncidentKind.values) for y in years
        ]
        per_kind = [
            sum(data["rows"].get((pk, y, k), 0) for y in years) for k in IncidentKind.values
        ]
        table.append(
            {"name": name, "per_year": per_year, "per_kind": per_kind, "total": sum(per_year)}
        )
    chart = {
        "labels": [row["name"] for row in table],
        "years": [
            {"label": str(y), "data": [row["per_year"][i] for row in table]}
            for i, y in enumerate(years)
        ],
    }
    return render(
        request,
        "assessments/report_incidents.html",
        {
            "table": table,
            "years_shown": years,
            "kinds": IncidentKind.choices,
            "chart": chart,
            "year": last,
            "years": year_choices(),
            "roots": roots,
            "root": root,
        },
    )
