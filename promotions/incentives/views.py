"""Incentives pages: a unit's bonus and its allocation, the outstanding principals'
ranking, commendations, candidate lists (with their Excel export)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from assessments.enums import RankGroup, TargetGrade
from cadres.enums import Rank
from cadres.models import Cadre
from cadres.permissions import visible_cadres
from cadres.queries import search_cadres
from core.listing import Sorting, audited_export, page_query
from core.paging import keyset_page, q_branches
from core.policies import PolicyNotInForce, acting_authority, policy_in_force_at
from promotions.grounds.services import can_propose
from promotions.models import BonusAllocation, Commendation
from promotions.policies import KIND, policy_in_force
from promotions.policy_data import PolicyDataError
from promotions.proposals.explain import grade_label
from promotions.proposals.permissions import can_see_dashboard, get_cadre_for_eligibility

from .access import (
    can_allocate,
    can_list_commendations,
    can_record_commendations,
    get_unit_for_user,
    staff_units,
    visible_commendation_paths,
    visible_commendations,
)
from .allocation import bonus_allocate, bonus_allocation_withdraw, unit_bonus
from .candidates import (
    blocking_text,
    candidate_cadres,
    candidate_rows,
    export_candidates,
    verdict_label,
)
from .commendations import commendation_create
from .eligibility import cadre_eligibility
from .enums import CommendationKind, Subject
from .forms import CommendationForm, cadre_of_form
from .outstanding import outstanding_ranking
from .outstanding_rules import Score, outstanding_terms
from .ranking import top_with_bonus

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_UNIT_CHOICES = 300
PAGE_SIZE = 50


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(value) -> int:
    year = _int(value, timezone.localdate().year - 1)
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _error_text(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


# --------------------------------------------------------------- bonus allocation


@login_required
def bonus_unit(request, unit_pk: int, year: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such year")
    unit = get_unit_for_user(request.user, unit_pk)
    may_allocate = can_allocate(request.user, unit)
    if request.method == "POST":
        if not may_allocate:
            raise Http404("No such unit")
        _allocation_action(request, unit, year)
        return redirect("promotions:bonus-unit", unit_pk=unit.pk, year=year)
    try:
        computed = unit_bonus(unit, year)
    except PolicyNotInForce:
        computed = None
    allocations = list(
        BonusAllocation.objects.filter(unit=unit, year=year)
        .select_related("cadre", "created_by")
        .order_by("-amount", "id")
    )
    total = sum((a.amount for a in allocations), start=0)
    # Reading the unit's bonus does not widen whom the reader may see: allocations to cadres
    # outside the reader's jurisdiction (another management level) show no name.
    seen = set(
        visible_cadres(request.user)
        .filter(pk__in=[a.cadre_id for a in allocations])
        .values_list("pk", flat=True)
    ) if allocations else set()
    for allocation in allocations:
        allocation.cadre_visible = allocation.cadre_id in seen
    return render(
        request,
        "promotions/bonus_unit.html",
        {
            "unit": unit,
            "year": year,
            "computed": computed,
            "terms": computed.policy.terms if computed else None,
            "allocations": allocations,
            "total": total,
            "left": (computed.yuan - total) if computed else None,
            "may_allocate": may_allocate,  # the cadre is chosen by type-ahead (core.pickers)
        },
    )


def _allocation_action(request, unit, year: int) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "allocate":
            cadre = Cadre.objects.filter(pk=_int(request.POST.get("cadre"), 0)).first()
            if cadre is None:
                raise ValidationError({"cadre": _("Choose a cadre.")})
            bonus_allocate(
                unit,
                actor=request.user,
                year=year,
                cadre=cadre,
                amount=request.POST.get("amount", ""),
                reason=request.POST.get("reason", "")[:200],
            )
            messages.success(request, _("The allocation was saved."))
        elif action == "withdraw":
            allocation = BonusAllocation.objects.filter(
                pk=_int(request.POST.get("allocation"), 0), unit=unit, year=year
            ).first()
            if allocation is None:
                raise ValidationError(_("Someone else was faster: the allocation is gone."))
            bonus_allocation_withdraw(
                allocation, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The allocation was withdrawn."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied as exc:
        raise Http404("No such unit") from exc


# --------------------------------------------------------------- outstanding principals


def _component_rows(score: Score) -> list[dict]:
    labels = {
        "target": _("Target-responsibility grade"),
        "monitoring": _("Monitoring rank"),
        "rank_gain": _("Places gained"),
        "poverty": _("Poverty-reduction target"),
    }
    used = sum(c.weight for c in score.components if c.applies and c.weight)
    rows = []
    for c in score.components:
        f = c.facts
        if c.code == "target":
            basis = grade_label_target(f["grade"])
        elif c.code == "monitoring":
            basis = (
                _("Place %(rank)s of %(ranked)s") % f if f["rank"] is not None else _("Not ranked")
            )
        elif c.code == "rank_gain":
            basis = (
                _("Last year %(previous)s, this year %(rank)s: 50 + %(per_place)s × (%(gained)s)")
                % f
                if c.applies
                else _("Not ranked last year: not counted")
            )
        else:
            basis = (
                _("Target met")
                if f["met"]
                else _("Target missed")
                if f["met"] is False
                else _("No poverty-reduction target: not counted")
            )
        rows.append(
            {
                "code": c.code,
                "label": labels[c.code],
                "weight": c.weight,
                "points": None if c.points is None else round(float(c.points), 2),
                "share": (
                    round(float(c.weight * c.points) / used, 2)
                    if c.applies and used and score.total is not None
                    else None
                ),
                "basis": basis,
            }
        )
    return rows


def grade_label_target(value: str | None) -> str:
    if not value:
        return _("No grade")
    try:
        return str(TargetGrade(value).label)
    except ValueError:
        return value


@login_required
def outstanding(request):
    if not can_see_dashboard(request.user):
        raise Http404("No such page")
    year = _year(request.GET.get("year"))
    terms, problem, rows = None, "", []
    try:
        policy = policy_in_force(acting_authority(request.user), dt.date(year, 12, 31))
        terms = outstanding_terms(policy.content)
    except PolicyNotInForce as exc:
        problem = exc.message
    except PolicyDataError:
        problem = _("The policy in force gives no weights for the outstanding principals.")
    if terms is not None:
        rows = outstanding_ranking(year, terms)
    seen = set(
        visible_cadres(request.user)
        .filter(pk__in=[r.cadre_id for r in rows])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "promotions/outstanding.html",
        {
            "year": year,
            "terms": terms,
            "problem": problem,
            "rows": [(r, r.cadre_id in seen, _component_rows(r.score)) for r in rows],
        },
    )


# --------------------------------------------------------------- commendations


@login_required
def commendation_list(request):
    if not can_list_commendations(request.user):
        raise Http404("No such page")
    rows, filters, narrow = _commendations(request)
    branches = q_branches(
        Commendation.objects.filter(narrow), visible_commendation_paths(request.user)
    )
    if branches:
        # The page's rows are those the branches yield (each an access path with the
        # filters), read by primary key: restating visible_commendations around them would
        # run its subquery over the cadre table for every row.
        rows = Commendation.objects.filter(narrow).select_related("cadre", "unit")
    page = keyset_page(
        rows,
        cursor=request.GET.get("cursor", ""),
        size=PAGE_SIZE,
        order=COMMENDATION_SORTING.order(request.GET),
        branches=branches,
    )
    return render(
        request,
        "promotions/commendation_list.html",
        {
            "page": page,
            **filters,
            "kinds": CommendationKind.choices,
            "subjects": Subject.choices,
            "may_record": can_record_commendations(request.user),
            "sort": COMMENDATION_SORTING.headers(request.GET),
            "query": page_query(request.GET),
        },
    )


COMMENDATION_SORTING = Sorting(
    columns={
        "year": (gettext_lazy("Year"), ("year", "granted_on", "id")),
        "granted": (gettext_lazy("Granting authority"), ("granted_on", "id")),
    },
    default="-year",
)


def _commendations(request):
    """The visible commendations the URL's filters select, and the filters as given: year,
    kind, cadre or team, and a text (a cadre's name or pinyin, a team, words of the
    citation or of the granting authority)."""
    year = _int(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    subject = request.GET.get("subject", "")
    text = "".join(request.GET.get("q", "").split())[:40]
    narrow = Q()
    if year:
        narrow &= Q(year=year)
    if kind in CommendationKind.values:
        narrow &= Q(kind=kind)
    if subject == Subject.CADRE:
        narrow &= Q(cadre__isnull=False)
    elif subject == Subject.TEAM:
        narrow &= Q(cadre__isnull=True)
    if text:
        cadres = search_cadres(Cadre.objects.all(), text).values("pk")
        if text.isascii():
            narrow &= Q(cadre__in=cadres)
        else:
            narrow &= (
                Q(cadre__in=cadres)
                | Q(team_name__contains=text)
                | Q(citation__contains=text)
                | Q(granted_by__contains=text)
            )
    rows = visible_commendations(request.user).filter(narrow).select_related("cadre", "unit")
    return rows, {"year": year, "kind": kind, "subject": subject, "q": text}, narrow


@login_required
def commendation_export(request):
    """The commendations the list's filters select, in its order, as a workbook."""
    if not can_list_commendations(request.user):
        raise Http404("No such page")
    rows, _filters, _narrow = _commendations(request)
    rows = rows.order_by(*COMMENDATION_SORTING.order(request.GET))
    headers = [
        _("Year"), pgettext("incentives", "Kind"), _("Commended"), _("Unit"), _("Citation"),
        _("Granting authority"), _("Date granted"), _("Document reference"),
    ]
    return audited_export(
        request,
        action="promotions.commendation.export",
        filename="commendations.xlsx",
        title=_("Commendations"),
        headers=headers,
        rows=(
            [
                c.year, c.get_kind_display(), c.cadre.name if c.cadre_id else c.team_name,
                c.unit.name, c.citation, c.granted_by, c.granted_on, c.document_ref,
            ]
            for c in rows.iterator(chunk_size=500)
        ),
    )


@login_required
def commendation_new(request):
    if not can_record_commendations(request.user):
        raise Http404("No such page")
    prefilled = cadre_of_form(request.user, request.GET.get("cadre") or request.POST.get("cadre"))
    initial = {"subject": Subject.CADRE, "cadre": prefilled.pk} if prefilled else {}
    form = CommendationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commendation = commendation_create(
                actor=request.user,
                kind=data["kind"],
                year=data["year"],
                granted_on=data["granted_on"],
                granted_by=data["granted_by"],
                citation=data["citation"],
                document_ref=data["document_ref"],
                cadre=data["person"],
                unit=data["unit"] if data["subject"] == Subject.TEAM else None,
                team_name=data["team_name"] if data["subject"] == Subject.TEAM else "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The commendation was recorded."))
            if commendation.cadre_id:
                return redirect("cadres:detail", pk=commendation.cadre_id)
            return redirect("promotions:commendations")
    return render(
        request, "promotions/commendation_form.html", {"form": form, "prefilled": prefilled}
    )


# --------------------------------------------------------------- candidate lists


def _candidate_context(request, source):
    unit_pk = _int(source.get("unit"))
    rank = _int(source.get("rank"))
    unit = get_unit_for_user(request.user, unit_pk) if unit_pk else None
    if rank not in Rank.values:
        rank = None
    rows = []
    as_of = timezone.localdate()
    if unit is not None and rank is not None:
        terms = policy_in_force_at(KIND, unit, as_of).terms
        rows = candidate_rows(
            candidate_cadres(visible_cadres(request.user), unit, rank), as_of=as_of, terms=terms
        )
    return unit, rank, rows, as_of


@login_required
def candidates(request):
    if not can_see_dashboard(request.user):
        raise Http404("No such page")
    unit, rank, rows, as_of = _candidate_context(request, request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "promotions/candidates.html",
        {
            "unit": unit,
            "rank": rank,
            "as_of": as_of,
            "count": len(rows),
            "page": page,
            "lines": [
                (row, verdict_label(row), blocking_text(row), _grades_text(row))
                for row in page.object_list
            ],
            "units": list(
                staff_units(request.user)
                .order_by("path")
                .values_list("pk", "name", "depth")[:MAX_UNIT_CHOICES]
            ),
            "ranks": Rank.choices,
        },
    )


def _grades_text(row) -> str:
    return "，".join(f"{y}：{grade_label(g)}" for y, g in row.grades)


@require_POST
@login_required
def candidates_export(request):
    if not can_see_dashboard(request.user):
        raise Http404("No such page")
    unit, rank, rows, as_of = _candidate_context(request, request.POST)
    if unit is None or rank is None:
        raise Http404("No such list")
    filename, content = export_candidates(
        request.user, unit=unit, rank=rank, rows=rows, as_of=as_of
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def eligibility(request, cadre_pk: int):
    cadre = get_cadre_for_eligibility(request.user, cadre_pk)
    as_of = timezone.localdate()
    policy, explanation = cadre_eligibility(cadre, as_of=as_of)
    lines = []
    for line in explanation.lines:
        params = dict(line.params)
        if line.code == "grades":
            params["shown"] = [(y, grade_label(g)) for y, g in sorted(params["grades"].items())]
        lines.append((line, params))
    return render(
        request,
        "promotions/eligibility.html",
        {
            "cadre": cadre,
            "policy": policy,
            "explanation": explanation,
            "lines": lines,
            "as_of": as_of,
            "may_start": can_propose(request.user, cadre),
        },
    )


@login_required
def bonus(request):
    if not can_see_dashboard(request.user):
        raise Http404("No such page")
    year = _int(request.GET.get("year"), timezone.localdate().year - 1)
    terms = policy_in_force(acting_authority(request.user), dt.date(year, 12, 31)).terms
    groups = [(label, top_with_bonus(year, value, terms)) for value, label in RankGroup.choices]
    ids = [row.unit_id for _label, rows in groups for row in rows]
    return render(
        request,
        "promotions/bonus.html",
        {
            "year": year,
            "terms": terms,
            "groups": groups,
            "reachable": set(
                staff_units(request.user).filter(pk__in=ids).values_list("pk", flat=True)
            ),
        },
    )
