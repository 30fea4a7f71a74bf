"""Pages: adjustment proposals (list, export, detail with actions).

The dashboard is in promotions.dashboard; the eligibility, bonus and other incentives pages in
promotions.incentives.views; the scan action in promotions.triggers.views."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.enums import Rank
from cadres.models import Cadre
from cadres.queries import search_cadres
from core import audit
from core.errors import ActionRefused
from core.listing import Sorting, header_cells, options_html, per_language, xlsx_response
from core.paging import COUNT_CAP, capped_count, keyset_page, q_branches
from promotions.enums import AdjustMethod, Decision, ProposalState, TriggerArea
from promotions.models import Proposal

from .documents import documents_of
from .explain import clause_label, evidence_line
from .filters import filter_proposals
from .permissions import (
    can_act,
    can_scan,
    get_proposal_for_user,
    visible_proposal_paths,
    visible_proposals,
)
from .rows import for_list, proposal_rows, rows_html
from .workflow import allowed_actions, proposal_transition


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


PROPOSAL_ORDER = ("-year", "-id")
PROPOSAL_SORTING = Sorting(
    columns={
        "year": (gettext_lazy("Year"), tuple(o.lstrip("-") for o in PROPOSAL_ORDER)),
        "state": (gettext_lazy("State"), ("state", "year", "id")),
    },
    default="-year",
)

AREA_CHOICES = per_language(lambda: TriggerArea.choices)
STATE_CHOICES = per_language(lambda: ProposalState.choices)
"""The filter's select boxes, translated once per language."""


@login_required
def proposal_list(request):
    year = _int(request.GET.get("year"))
    area = request.GET.get("area", "")
    state = request.GET.get("state", "")
    narrow = Q()
    if year:
        narrow &= Q(year=year)
    if area in TriggerArea.values:
        narrow &= Q(area=area)
    if state in ProposalState.values:
        narrow &= Q(state=state)
    text = " ".join(request.GET.get("q", "").split())[:40]
    if text:
        narrow &= Q(cadre__in=search_cadres(Cadre.objects.all(), text))
    paths = visible_proposal_paths(request.user)
    matching = visible_proposals(request.user).filter(narrow)
    branches = q_branches(Proposal.objects.filter(narrow), paths)
    page = keyset_page(
        for_list(matching),
        cursor=request.GET.get("cursor", ""),
        size=50,
        order=PROPOSAL_SORTING.order(request.GET),
        branches=branches,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    rows = proposal_rows(page.rows)
    sort = PROPOSAL_SORTING.headers(request.GET)
    return render(
        request,
        "promotions/proposal_list.html",
        {
            "page": page,
            "rows": rows,
            "rows_html": rows_html(rows),
            "count": capped_count(matching, branches=branches),
            "count_cap": COUNT_CAP,
            "query": query.urlencode(),
            "q": text,
            "year": year,
            "area": area,
            "state": state,
            "area_options": options_html(AREA_CHOICES(), area),
            "state_options": options_html(STATE_CHOICES(), state),
            "sort": sort,
            "sort_cells": header_cells(sort),
            "can_scan": can_scan(request.user),
            "this_year": timezone.localdate().year - 1,
        },
    )


@login_required
def proposal_export(request):
    """Every proposal the list's filter selects, in the list's order, as a workbook."""
    rows = filter_proposals(
        visible_proposals(request.user).select_related("cadre", "unit"), request.GET
    ).order_by(*PROPOSAL_SORTING.order(request.GET))
    proposals = list(rows)
    with transaction.atomic():
        audit.record(
            "promotions.proposal.export",
            actor=request.user,
            after={
                "filters": {k: request.GET[k] for k in sorted(request.GET) if request.GET[k]},
                "rows": len(proposals),
            },
        )
    headers = [_("Year"), _("Cadre"), _("Unit"), _("Trigger area"), _("State"), _("Decision")]
    return xlsx_response(
        "adjustment-proposals.xlsx",
        _("Adjustment proposals"),
        headers,
        (
            [
                p.year,
                p.cadre.name,
                p.unit.name,
                str(p.get_area_display()),
                str(p.get_state_display()),
                str(p.get_decision_display() or ""),
            ]
            for p in proposals
        ),
    )


def _changes(post) -> dict:
    changes = {
        "decision": post.get("decision", ""),
        "method": post.get("method", ""),
        "reason": post.get("reason", ""),
        "title": post.get("title", ""),
        "rank": _int(post.get("rank")),
        "document_ref": post.get("document_ref", "")[:64],
    }
    if post.get("on"):
        try:
            changes["on"] = dt.date.fromisoformat(post["on"])
        except ValueError:
            changes["on"] = None
    return changes


@login_required
def proposal_detail(request, pk: int):
    proposal = get_proposal_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not can_act(request.user, proposal):
            raise Http404("No such proposal")
        try:
            proposal_transition(
                proposal, actor=request.user, action=action, changes=_changes(request.POST)
            )
        except (ValidationError, ValueError, PermissionDenied, ActionRefused) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(request, _("Saved."))
        return redirect("promotions:proposal", pk=proposal.pk)
    return render(
        request,
        "promotions/proposal_detail.html",
        {
            "p": proposal,
            "clause": clause_label(proposal.clause),
            "evidence": [(row, evidence_line(row)) for row in proposal.evidence],
            "documents": documents_of(proposal),
            "actions": allowed_actions(request.user, proposal),
            "methods": AdjustMethod.choices,
            "decisions": Decision.choices,
            "ranks": Rank.choices,
            "today": timezone.localdate(),
        },
    )
