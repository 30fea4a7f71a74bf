"""Pages: adjustments that staff propose on Jinan's grounds (pick the cadre, propose)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.permissions import changeable_cadres, get_cadre_for_user
from core.enums import Role
from promotions.policies import policy_in_force

from .forms import GroundProposalForm, show_service_errors
from .services import acting_authority, ground_choices, parse_ground, proposal_propose

PICK_LIMIT = 20


def may_start(user) -> bool:
    return user.is_administrator or user.has_role(*Role.org_department_roles())


# --------------------------------------------------------------- staff-proposed adjustments


@login_required
def propose_pick(request):
    """From the proposals list: find the cadre (among those the user may change; the
    propose and request pages then check the covering authority)."""
    if not may_start(request.user):
        raise Http404("No such page")
    query = request.GET.get("q", "").strip()[:50]
    found = []
    if query:
        found = list(
            changeable_cadres(request.user)
            .filter(name__contains=query)
            .select_related("unit")
            .order_by("name", "pk")[:PICK_LIMIT]
        )
    return render(
        request,
        "promotions/propose_pick.html",
        {"query": query, "found": found, "limit": PICK_LIMIT},
    )


@login_required
def propose(request, cadre_pk: int):
    cadre = get_cadre_for_user(request.user, cadre_pk)
    authority = acting_authority(request.user, cadre)
    if authority is None:
        raise Http404("No such cadre")
    policy = policy_in_force(authority, timezone.localdate())
    form = GroundProposalForm(request.POST or None, choices=ground_choices(policy))
    if request.method == "POST" and form.is_valid():
        ground, situation = parse_ground(form.cleaned_data["ground"])
        try:
            proposal = proposal_propose(
                cadre,
                actor=request.user,
                ground=ground,
                situation=situation,
                year=form.cleaned_data["year"],
                facts=form.cleaned_data["facts"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The adjustment proposal was created."))
            return redirect("promotions:proposal", pk=proposal.pk)
    return render(
        request,
        "promotions/propose.html",
        {
            "cadre": cadre,
            "form": form,
            "policy": policy,
            "authority": authority,
            "sources": sorted({g.source for g in policy.jinan.grounds if g.source}),
        },
    )


# --------------------------------------------------------------- exceptional promotion
