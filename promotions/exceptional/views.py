"""Pages of exceptional-promotion requests (破格提拔): list, new request, detail with actions."""


from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre
from cadres.permissions import get_cadre_for_user
from cadres.queries import search_cadres
from core.drafts import drafts_of
from core.drafts import may_view as may_view_draft
from core.errors import ActionRefused
from core.listing import Sorting, audited_export, page_query
from core.models import DraftState
from core.paging import keyset_page, q_branches
from promotions.enums import ExceptionalState
from promotions.exceptional.documents import documents_of_request
from promotions.grounds.forms import show_service_errors
from promotions.grounds.services import acting_authority
from promotions.incentives.rules import full_years
from promotions.models import ExceptionalRequest
from promotions.policies import policy_in_force

from .forms import ExceptionalRequestForm
from .services import (
    can_decide,
    can_submit,
    exceptional_actions,
    exceptional_create,
    exceptional_transition,
    get_request_for_user,
    visible_request_paths,
    visible_requests,
)
from .thresholds import threshold_text


@login_required
def exceptional_list(request):
    rows, state, text, narrow = _requests(request)
    branches = q_branches(
        ExceptionalRequest.objects.filter(narrow), visible_request_paths(request.user)
    )
    page = keyset_page(
        rows,
        cursor=request.GET.get("cursor", ""),
        size=50,
        order=EXCEPTIONAL_SORTING.order(request.GET),
        branches=branches,
    )
    return render(
        request,
        "promotions/exceptional_list.html",
        {
            "page": page,
            "state": state,
            "q": text,
            "states": ExceptionalState.choices,
            "sort": EXCEPTIONAL_SORTING.headers(request.GET),
            "query": page_query(request.GET),
        },
    )


EXCEPTIONAL_SORTING = Sorting(
    columns={
        "created": (gettext_lazy("Created"), ("created_at", "id")),
        "state": (gettext_lazy("State"), ("state", "created_at", "id")),
    },
    default="-created",
)


def _requests(request):
    """The visible requests the URL's filters select: state, and a text (the cadre's name
    or pinyin, words of the target post)."""
    narrow = Q()
    state = request.GET.get("state", "")
    if state in ExceptionalState.values:
        narrow &= Q(state=state)
    text = "".join(request.GET.get("q", "").split())[:40]
    if text:
        cadres = search_cadres(Cadre.objects.all(), text).values("pk")
        if text.isascii():
            narrow &= Q(cadre__in=cadres)
        else:
            narrow &= Q(cadre__in=cadres) | Q(target_title__contains=text)
    rows = visible_requests(request.user).filter(narrow).select_related("cadre", "unit")
    return rows, state, text, narrow


@login_required
def exceptional_export(request):
    """The requests the list's filters select, in its order, as a workbook."""
    rows, _state, _text, _narrow = _requests(request)
    rows = rows.order_by(*EXCEPTIONAL_SORTING.order(request.GET))
    headers = [
        _("Cadre"), _("Unit"), _("Target post"), _("Target rank"), _("Exceptional situation"),
        _("State"), _("Created"),
    ]
    return audited_export(
        request,
        action="promotions.exceptional.export",
        filename="exceptional-promotions.xlsx",
        title=_("Exceptional promotion requests"),
        headers=headers,
        rows=(
            [
                r.cadre.name, r.unit.name, r.target_title, r.get_target_rank_display(),
                r.situation_title, r.get_state_display(), timezone.localtime(r.created_at).date(),
            ]
            for r in rows.iterator(chunk_size=500)
        ),
    )


@login_required
def exceptional_new(request, cadre_pk: int):
    cadre = get_cadre_for_user(request.user, cadre_pk)
    authority = acting_authority(request.user, cadre)  # exceptional.can_request, once
    if authority is None:
        raise Http404("No such cadre")
    today = timezone.localdate()
    policy = policy_in_force(authority, today)
    ex = policy.jinan.exceptional
    situations = [(s.code, s.title) for s in ex.situations] if ex else []
    form = ExceptionalRequestForm(
        request.POST or None, situations=situations, current_rank=cadre.rank
    )
    if request.method == "POST" and form.is_valid():
        try:
            found = exceptional_create(cadre, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The request was saved as a draft."))
            return redirect("promotions:exceptional", pk=found.pk)
    return render(
        request,
        "promotions/exceptional_form.html",
        {
            "cadre": cadre,
            "form": form,
            "policy": policy,
            "ex": ex,
            "years": full_years(cadre.rank_since, today),
            "minimum": policy.terms.min_years_in_rank,
        },
    )


@login_required
def exceptional_detail(request, pk: int):
    found = get_request_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        allowed = can_submit if action == "submit" else can_decide
        if action not in ("submit", "approve", "reject") or not allowed(request.user, found):
            raise Http404("No such request")
        try:
            exceptional_transition(
                found, actor=request.user, action=action, reason=request.POST.get("reason", "")
            )
        except (ValidationError, PermissionDenied, ActionRefused) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(request, _("Saved."))
        return redirect("promotions:exceptional", pk=found.pk)
    ex = found.policy.jinan.exceptional
    situation = ex.situation(found.situation) if ex else None
    return render(
        request,
        "promotions/exceptional_detail.html",
        {
            "r": found,
            "thresholds": [(row, threshold_text(row)) for row in found.thresholds],
            "source": situation.source if situation else "",
            "declared": ex.declared_situations if ex else 0,
            "listed": len(ex.situations) if ex else 0,
            "actions": exceptional_actions(request.user, found),
            "documents": list(documents_of_request(found)),
            "drafts": [
                d for d in drafts_of(found).filter(state__in=DraftState.open_states())
                if may_view_draft(request.user, d)
            ],
        },
    )
