"""A cadre's timeline: what every app recorded about one cadre, as far as the user may see
it (tolerance conclusions, clarifications, commendations, adjustment proposals and
exceptional-promotion requests), newest first. Each app answers through its own public
query; the register, on the top floor, only puts the answers in one list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import pgettext

from cadres.permissions import get_cadre_for_user
from clarifications.queries import cadre_clarifications
from promotions.incentives.commendations import cadre_commendations
from promotions.queries import cadre_timeline_entries
from tolerance.queries import settled_conclusions


def _t(text: str) -> str:
    return pgettext("clarifications", text)


@dataclass(frozen=True)
class TimelineItem:
    on: dt.date
    kind: str  # "tolerance" | "clarification" | "commendation" | "proposal" | "exceptional"
    title: str
    detail: str
    url: str = ""
    document_id: int | None = None
    document_number: str = ""


def cadre_timeline_items(user, cadre) -> list[TimelineItem]:
    """Tolerance conclusions the user may see, clarifications of the cadre, and the cadre's
    commendations, adjustment proposals and exceptional-promotion requests the user may see
    (asked of the promotions app), newest first."""
    items = []
    for entry in settled_conclusions(user, cadre):
        on = entry.decided_at.date() if entry.decided_at else entry.case.created_at.date()
        items.append(TimelineItem(
            on=on,
            kind="tolerance",
            title=_t("Tolerance conclusion: %(outcome)s") % {
                "outcome": entry.get_outcome_display()
            },
            detail=f"{entry.case.reference} · {entry.case.matter.title}",
            url=reverse("tolerance:case_detail", args=[entry.case_id]),
        ))
    for c in cadre_clarifications(cadre):
        items.append(TimelineItem(
            on=c.held_on,
            kind="clarification",
            title=_t("Clarified by %(method)s") % {"method": c.get_method_display()},
            detail=c.scope,
            document_id=c.document_id,
            document_number=c.document.number if c.document_id else "",
        ))
    for entry in cadre_timeline_entries(user, cadre):
        items.append(TimelineItem(
            on=entry.on, kind=entry.kind, title=entry.title, detail=entry.detail, url=entry.url
        ))
    for c in cadre_commendations(user, cadre):
        items.append(TimelineItem(
            on=c.granted_on,
            kind="commendation",
            title=_t("Commendation: %(kind)s") % {"kind": c.get_kind_display()},
            detail=f"{c.granted_by} · {c.citation}",
            document_number=c.document_ref,
        ))
    items.sort(key=lambda item: item.on, reverse=True)
    return items


@login_required
def cadre_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_cadre_for_user(request.user, pk)
    items = cadre_timeline_items(request.user, cadre)
    shown = settings.CADRE_TIMELINE_MAX_ITEMS  # the page stays bounded however long the record
    return render(
        request,
        "register/cadre_timeline.html",
        {"cadre": cadre, "items": items[:shown], "total": len(items), "shown": shown},
    )
