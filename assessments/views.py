"""Assessment pages: the overview, one unit's grade grid, a cadre's record, incidents.

Views reach data only through assessments.permissions and write only through services.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cadres.enums import UnitKind

from .entry.kinds import KINDS, allowed_once
from .enums import Grade, Rounding
from .models import (
    AnnualAssessment,
    CheckupWarning,
    FeedbackRecord,
    IncidentLeader,
    MonthlyReport,
    QuarterlyCheckup,
)
from .permissions import (
    can_read_evidence,
    get_cadre_record_for_user,
    get_incident_for_user,
    get_unit_for_grading,
    gradable_units,
    visible_assessments,
    visible_incidents,
)
from .services.grades import GradeInput, GradesRefused, unit_grades_enter
from .sheets import GRADE_CHOICES, grade_sheet

UNITS_ON_INDEX = 300
INCIDENTS_PER_PAGE = 100


def default_year() -> int:
    """Annual grades are entered early in the following year."""
    return timezone.localdate().year - 1


def year_param(request: HttpRequest, name: str = "year") -> int:
    raw = request.GET.get(name, "")
    if raw.isdigit() and 1990 <= int(raw) <= 2100:
        return int(raw)
    return default_year()


def year_choices() -> list[int]:
    last = timezone.localdate().year
    return list(range(last, last - 11, -1))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The units whose grades the user enters, with the year's counts; links onwards."""
    user = request.user
    year = year_param(request)
    units = list(
        gradable_units(user)
        .exclude(kind=UnitKind.VILLAGE)
        .filter(cadres__isnull=False)
        .distinct()
        .order_by("path")
        .values("pk", "name", "depth", "kind")[:UNITS_ON_INDEX]
    )
    counts = {
        row["unit_id"]: row
        for row in AnnualAssessment.objects.filter(unit__in=[u["pk"] for u in units], year=year)
        .values("unit_id")
        .annotate(total=Count("pk"), excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)))
        .order_by()
    }
    for unit in units:
        unit["counts"] = counts.get(unit["pk"], {"total": 0, "excellent": 0})
        unit["indent"] = max(0, unit["depth"] - 2)
        unit["kind_label"] = UnitKind(unit["kind"]).label
    own = user.cadre_id if user.is_authenticated else None
    checked: dict = {}
    evidence = [k for k in KINDS.values() if allowed_once(checked, k.may_read, user)]
    return render(
        request,
        "assessments/index.html",
        {
            "year": year,
            "years": year_choices(),
            "units": units,
            "units_capped": len(units) >= UNITS_ON_INDEX,
            "own_cadre": own,
            "reports": can_read_evidence(user),
            "evidence": evidence[0].key if evidence else "",
        },
    )


def _entries_from_post(request: HttpRequest, cadre_ids: list[int]) -> list[GradeInput]:
    post = request.POST
    return [
        GradeInput(
            cadre_id=pk,
            grade=post.get(f"grade-{pk}", "").strip(),
            comments=post.get(f"comments-{pk}", "").strip(),
            exemption_reason=post.get(f"reason-{pk}", "").strip(),
        )
        for pk in cadre_ids
    ]


@login_required
@require_http_methods(["GET", "POST"])
def grade_grid(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """All of one unit's cadres on one page; the quota shown live; saved all or nothing."""
    if not 1990 <= year <= 2100:
        raise Http404
    unit = get_unit_for_grading(request.user, unit_id)
    sheet = grade_sheet(request.user, unit, year)
    problems, posted = [], {}
    if request.method == "POST":
        entries = _entries_from_post(request, [row.cadre.pk for row in sheet.rows])
        try:
            saved = unit_grades_enter(unit, actor=request.user, year=year, entries=entries)
        except GradesRefused as refused:
            problems = refused.problems
            posted = {e.cadre_id: e for e in entries}
        else:
            messages.success(
                request,
                _(
                    "Grades of %(unit)s for %(year)d saved: %(created)d added, %(updated)d "
                    "changed, %(deleted)d removed."
                )
                % {
                    "unit": unit.name,
                    "year": year,
                    "created": saved.created,
                    "updated": saved.updated,
                    "deleted": saved.deleted,
                },
            )
            return redirect("assessments:grid", unit_id=unit.pk, year=year)
    by_cadre: dict[int, list[str]] = {}
    for problem in problems:
        if problem.cadre_id is not None:
            by_cadre.setdefault(problem.cadre_id, []).append(problem.message)
    rows = []
    for row in sheet.rows:
        entry = posted.get(row.cadre.pk)
        rows.append(
            {
                "cadre": row.cadre,
                "grade": entry.grade if entry else row.grade,
                "comments": entry.comments
                if entry
                else (row.record.comments if row.record else ""),
                "reason": entry.exemption_reason
                if entry
                else (row.record.exemption_reason if row.record else ""),
                "exemptions": row.exemptions,
                "problems": by_cadre.get(row.cadre.pk, []),
            }
        )
    check = sheet.check()
    others = sheet.others
    pool = sheet.pool
    pool_others = [m for m in pool.members if m.unit_id != unit.pk] if pool else []
    quota_data = {
        "shareMilli": int(sheet.terms.share * 1000),
        "rounding": sheet.terms.rounding,
        # a pooled unit's live count includes the other small units of its pool
        "othersGraded": sum(n for g, n in others.items() if g != Grade.NOT_GRADED)
        + sum(m.graded for m in pool_others),
        "othersExcellent": others.get(Grade.EXCELLENT, 0) + sum(m.excellent for m in pool_others),
    }
    return render(
        request,
        "assessments/grid.html",
        {
            "unit": unit,
            "year": year,
            "years": year_choices(),
            "rows": rows,
            "grade_choices": GRADE_CHOICES,
            "problems": [p for p in problems if p.cadre_id is None],
            "row_problem_count": sum(len(v) for v in by_cadre.values()),
            "policy": sheet.policy,
            "terms": sheet.terms,
            "rounding_label": Rounding(sheet.terms.rounding).label,
            "share_percent": sheet.terms.share * 100,
            "check": pool or check,
            "pool": pool,
            "others": sum(others.values()),
            "quota_json": json.dumps(quota_data),
        },
    )


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    if request.user.cadre_id is None:
        raise Http404
    return redirect("assessments:cadre", pk=request.user.cadre_id)


@login_required
def cadre_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A cadre's grades, monthly reports, check-ups, warnings and feedback."""
    cadre = get_cadre_record_for_user(request.user, pk)
    grades = list(
        visible_assessments(request.user)
        .filter(cadre=cadre)
        .select_related("unit")
        .order_by("-year")
    )
    return render(
        request,
        "assessments/cadre_record.html",
        {
            "cadre": cadre,
            "grades": grades,
            "monthly": list(MonthlyReport.objects.filter(cadre=cadre).order_by("-month")[:24]),
            "checkups": list(
                QuarterlyCheckup.objects.filter(cadre=cadre)
                .prefetch_related("inputs")
                .order_by("-year", "-quarter")[:12]
            ),
            "warnings": list(CheckupWarning.objects.filter(cadre=cadre).order_by("-raised_on")),
            "feedback": list(FeedbackRecord.objects.filter(to_cadre=cadre).order_by("-given_on")),
        },
    )


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    if not can_read_evidence(request.user):
        raise Http404
    year = request.GET.get("year", "")
    incidents = visible_incidents(request.user).select_related("unit")
    if year.isdigit():
        incidents = incidents.filter(occurred_on__year=int(year))
    kind = request.GET.get("kind", "")
    if kind:
        incidents = incidents.filter(kind=kind)
    leaders = Prefetch(
        "leaders", queryset=IncidentLeader.objects.select_related("cadre").order_by("role", "pk")
    )
    page = list(
        incidents.prefetch_related(leaders).order_by("-occurred_on", "-pk")[:INCIDENTS_PER_PAGE]
    )
    from .enums import IncidentKind

    return render(
        request,
        "assessments/incident_list.html",
        {
            "incidents": page,
            "year": year,
            "kind": kind,
            "kinds": IncidentKind.choices,
            "years": year_choices(),
            "capped": len(page) >= INCIDENTS_PER_PAGE,
        },
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    leaders = list(incident.leaders.select_related("cadre").order_by("role", "pk"))
    return render(
        request, "assessments/incident_detail.html", {"incident": incident, "leaders": leaders}
    )
