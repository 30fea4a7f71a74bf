"""Quarterly five-dimension check-ups: the entry grid, one check-up with its reverse
check-up list and warnings, the warnings list, and resolving a warning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..enums import CheckupSource, Dimension
from ..models import CheckupWarning
from ..permissions import (
    can_run_checkups,
    checkup_cadres,
    get_checkup_for_user,
    get_warning_for_user,
    visible_warnings,
)
from ..policies import unit_detection_policy
from ..rules import CheckupInput, missing_sources, reverse_checkup_list
from .forms_tracking import CheckupForm, ResolveForm

WARNINGS_ON_PAGE = 200


@login_required
@require_http_methods(["GET", "POST"])
def checkup_add(request: HttpRequest) -> HttpResponse:
    if not can_run_checkups(request.user):
        raise Http404
    form = CheckupForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        checkup = form.save_or_errors(request.user)
        if checkup is not None:
            messages.success(
                request,
                _("Check-up of %(name)s for %(year)d Q%(quarter)d recorded.")
                % {"name": checkup.cadre.name, "year": checkup.year, "quarter": checkup.quarter},
            )
            return redirect("assessments:checkup", pk=checkup.pk)
    return render(
        request,
        "assessments/checkup_form.html",
        {"form": form, "dimensions": Dimension.choices},
    )


@login_required
def checkup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkup = get_checkup_for_user(request.user, pk)
    inputs = list(checkup.inputs.order_by("source", "dimension"))
    plain = [CheckupInput(i.source, i.dimension, i.rating, i.note) for i in inputs]
    warnings = list(checkup.warnings.order_by("dimension", "pk"))
    labels = {**dict(CheckupSource.choices), **dict(Dimension.choices)}
    thresholds = unit_detection_policy(checkup.cadre.unit, checkup.year)
    policy = thresholds.checkup() if thresholds is not None else None
    findings = [
        {
            "dimension": labels[f.dimension],
            "problems": [(labels[i.source], i.note) for i in f.problems],
            "concerns": [(labels[i.source], i.note) for i in f.concerns],
            "warning": f.warning,
        }
        for f in (reverse_checkup_list(plain, policy) if policy is not None else [])
    ]
    may_resolve = checkup_cadres(request.user).filter(pk=checkup.cadre_id).exists()
    return render(
        request,
        "assessments/checkup_detail.html",
        {
            "checkup": checkup,
            "findings": findings,
            "missing": [labels[s] for s in missing_sources(plain)],
            "warnings": warnings,
            "may_resolve": may_resolve,
        },
    )


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    if not can_run_checkups(request.user):
        raise Http404
    show_all = request.GET.get("all") == "1"
    warnings = visible_warnings(request.user).select_related("cadre", "cadre__unit", "checkup")
    if not show_all:
        warnings = warnings.filter(resolved_on__isnull=True)
    page = list(warnings.order_by("resolved_on", "-raised_on", "-pk")[:WARNINGS_ON_PAGE])
    return render(
        request,
        "assessments/warning_list.html",
        {"warnings": page, "show_all": show_all, "capped": len(page) >= WARNINGS_ON_PAGE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def warning_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    warning: CheckupWarning = get_warning_for_user(request.user, pk, for_change=True)
    form = ResolveForm(request.user, request.POST or None, instance=warning)
    if request.method == "POST" and form.is_valid():
        resolved = form.save_or_errors(request.user)
        if resolved is not None:
            messages.success(
                request,
                _("The warning on %(name)s is resolved; it no longer blocks promotion.")
                % {"name": warning.cadre.name},
            )
            return redirect("assessments:warnings")
        warning.refresh_from_db()
    return render(request, "assessments/warning_resolve.html", {"warning": warning, "form": form})
