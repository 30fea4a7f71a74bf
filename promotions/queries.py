"""What other apps ask of promotions: a cadre's proposals and exceptional-promotion
requests, as timeline entries (clarifications' cadre timeline). Two queries in all.

Who sees what: staff and auditors of the proposal's or request's authority, and
administrators, see every one (linked to its page). The cadre sees their own once they are
part of the process: a proposal from inspection and talk on (not while merely proposed),
a request once submitted (not a draft); the cadre's own request links to its page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.enums import Role
from core.models import User
from promotions.exceptional.services import visible_requests
from promotions.proposals.permissions import visible_proposals

from .enums import ProposalState
from .models import Proposal


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date
    kind: str  # "proposal" | "exceptional"
    title: str
    detail: str
    url: str = ""


def _proposals(user: User, cadre) -> list[Proposal]:
    q = Q(pk__in=visible_proposals(user).filter(cadre=cadre).values("pk"))
    if user.is_authenticated and user.has_role(Role.CADRE) and user.cadre_id == cadre.pk:
        q |= Q(cadre=cadre) & ~Q(state=ProposalState.PROPOSED)
    return list(Proposal.objects.filter(q).order_by("-created_at", "-pk"))


def _sees_pages(user: User, authority_id: int) -> bool:
    if user.is_administrator:
        return True
    if not user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        return False
    return authority_id in user.authority_ids


def cadre_timeline_entries(user: User, cadre) -> list[TimelineEntry]:
    """The cadre's proposals and requests the user may see, newest first."""
    entries = []
    for p in _proposals(user, cadre):
        detail = p.get_state_display()
        if p.decision:
            detail += f" · {p.get_decision_display()}"
            if p.method:
                detail += f" · {p.get_method_display()}"
        entries.append(
            TimelineEntry(
                on=p.created_at.date(),
                kind="proposal",
                title=_("Adjustment proposal (%(year)s): %(area)s")
                % {"year": p.year, "area": p.get_area_display()},
                detail=detail,
                url=reverse("promotions:proposal", args=[p.pk])
                if _sees_pages(user, p.authority_id)
                else "",
            )
        )
    for r in visible_requests(user).filter(cadre=cadre).order_by("-created_at", "-pk"):
        entries.append(
            TimelineEntry(
                on=r.created_at.date(),
                kind="exceptional",
                title=_("Exceptional promotion request: %(post)s")
                % {"post": r.target_title},
                detail=f"{r.get_state_display()} · {r.situation_title}",
                url=reverse("promotions:exceptional", args=[r.pk]),
            )
        )
    entries.sort(key=lambda e: e.on, reverse=True)
    return entries
