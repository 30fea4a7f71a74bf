"""Commendations of cadres and teams (Jinan's "出彩型" good cadres and good teams, merit
records, seed 000/004): recording them, and what cadre pages show of them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre, Unit
from cadres.permissions import covering_authority_id
from core import audit
from core.models import User
from promotions.models import Commendation

from .access import (
    commendable_cadres,
    staff_authorities,
    staff_units,
    visible_commendations,
)
from .enums import CommendationKind

FIRST_YEAR = 2000


def _check(kind: str, year: int | None, granted_on: dt.date | None, texts: dict) -> dict:
    errors = {}
    if kind not in CommendationKind.values:
        errors["kind"] = _("Choose the kind of commendation.")
    today = timezone.localdate()
    if year is None or not FIRST_YEAR <= year <= today.year:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": today.year,
        }
    if granted_on is None or granted_on > today:
        errors["granted_on"] = _("Enter the date it was granted (not in the future).")
    elif year is not None and granted_on.year < year:
        errors["granted_on"] = _("A commendation for a year is granted in that year or later.")
    labels = {
        "granted_by": _("Enter the granting authority."),
        "citation": _("Enter the citation."),
    }
    for name, message in labels.items():
        if not texts.get(name):
            errors[name] = message
    return errors


def commendation_create(
    *,
    actor: User,
    kind: str,
    year: int | None,
    granted_on: dt.date | None,
    granted_by: str,
    citation: str,
    document_ref: str = "",
    cadre: Cadre | None = None,
    unit: Unit | None = None,
    team_name: str = "",
) -> Commendation:
    """Record a commendation of one cadre, or of a team (team name and its unit)."""
    texts = {
        "granted_by": (granted_by or "").strip()[:128],
        "citation": (citation or "").strip(),
        "document_ref": (document_ref or "").strip()[:64],
        "team_name": (team_name or "").strip()[:128],
    }
    errors = _check(kind, year, granted_on, texts)
    if cadre is None and (unit is None or not texts["team_name"]):
        errors["cadre"] = _("Choose a cadre, or name the team and its unit.")
    if cadre is not None and (unit is not None or texts["team_name"]):
        errors["cadre"] = _("A commendation is of one cadre or of one team, not both.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if cadre is not None:
            person = commendable_cadres(actor).select_related("unit").filter(pk=cadre.pk).first()
            if person is None:
                raise PermissionDenied(_("You may not record commendations of this cadre."))
            where = person.unit
            authority_id = covering_authority_id(person)
        else:
            where = staff_units(actor, write=True).filter(pk=unit.pk).first()
            if where is None:
                raise PermissionDenied(_("You may not record commendations of this unit."))
            person = None
            authority_id = next(
                (
                    a.pk
                    for a in staff_authorities(actor, write=True)
                    if any(where.path.startswith(r.path) for r in a.root_units.all())
                ),
                None,
            )
        commendation = Commendation.objects.create(
            kind=kind,
            year=year,
            granted_on=granted_on,
            granted_by=texts["granted_by"],
            citation=texts["citation"],
            document_ref=texts["document_ref"],
            cadre=person,
            cadre_unit=person.unit if person else None,
            cadre_level=person.management_level if person else "",
            team_name=texts["team_name"],
            unit=where,
            authority_id=authority_id,
            created_by=actor,
        )
        audit.record(
            "promotions.commendation.create",
            actor=actor,
            obj=commendation,
            after={
                "kind": kind,
                "year": year,
                "cadre": person.pk if person else None,
                "team": texts["team_name"] or None,
                "unit": where.pk,
                "granted_by": texts["granted_by"],
            },
            authority_id=authority_id,
        )
    return commendation


def cadre_commendations(user: User, cadre: Cadre) -> list[Commendation]:
    """The cadre's commendations the user may see, newest first (one query)."""
    return list(visible_commendations(user).filter(cadre=cadre).order_by("-granted_on", "-id"))


__all__ = ["cadre_commendations", "commendation_create"]
