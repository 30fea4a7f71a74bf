"""Every write to cadres goes through these services: validated, atomic, audited.

Audit rows carry the organization department whose jurisdiction covers the cadre as the
change leaves it (permissions.covering_authority_id), so that its auditors see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.formatting import mask_id_number
from core.models import User

from .enums import MoveType
from .models import Cadre, PositionRecord, Unit
from .permissions import (
    can_change_cadre,
    can_reveal_national_id,
    covering_authority_id,
    may_place_cadre,
)
from .placement import placement_changed
from .rules import DateFacts, InvalidIdNumber, implausible_dates, parse_id_number

AUDITED_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "national_id",
    "native_place",
    "party_join_date",
    "work_start_date",
    "education",
    "unit_id",
    "position",
    "post_type",
    "rank",
    "rank_since",
    "management_level",
    "status",
)


def id_error_message(code: str) -> str:
    return {
        "length": _("The national ID number must have 18 characters."),
        "chars": _("The national ID number may hold only digits and a final X."),
        "birth_date": _("The national ID number holds an impossible birth date."),
        "checksum": _("The national ID number's check digit is wrong."),
    }[code]


def id_taken_message() -> str:
    """A national ID number that cannot be entered as a new cadre (it is on the roster,
    maybe outside the user's jurisdiction): worded so that it reveals nothing about whose
    record it is or whether the user may see it."""
    return _(
        "This national ID number cannot be entered here. If the cadre should be on your "
        "roster, ask the organization department that manages them."
    )


def date_error_message(code: str) -> str:
    return {
        "birth_in_future": _("The birth date lies in the future."),
        "party_in_future": _("The Party membership date lies in the future."),
        "work_in_future": _("The date of starting work lies in the future."),
        "rank_in_future": _("The date of reaching the current rank lies in the future."),
        "age_out_of_range": _("The age must be between 16 and 100."),
        "party_before_18": _("Party membership before the age of 18 is impossible."),
        "work_before_14": _("Starting work before the age of 14 is impossible."),
        "rank_before_16": _("Reaching the current rank before the age of 16 is impossible."),
    }[code]


def validate_cadre_values(values: dict[str, Any], *, today: dt.date | None = None) -> dict:
    """Check identity and date facts; return field → message for every problem."""
    errors: dict[str, str] = {}
    try:
        info = parse_id_number(values.get("national_id", ""))
    except InvalidIdNumber as exc:
        errors["national_id"] = id_error_message(exc.code)
        info = None
    birth = values.get("birth_date")
    if info and birth and info.birth_date != birth:
        errors["birth_date"] = _("The birth date differs from the one in the national ID number.")
    if info and values.get("gender") and info.gender != values["gender"]:
        errors["gender"] = _("The gender differs from the one in the national ID number.")
    if birth:
        facts = DateFacts(
            birth_date=birth,
            party_join_date=values.get("party_join_date"),
            work_start_date=values.get("work_start_date"),
            rank_since=values.get("rank_since"),
        )
        for code in implausible_dates(facts, today=today or timezone.localdate()):
            field = {
                "party": "party_join_date",
                "work": "work_start_date",
                "rank": "rank_since",
            }.get(code.split("_")[0], "birth_date")
            errors.setdefault(field, date_error_message(code))
    return errors


def snapshot(cadre: Cadre) -> dict[str, Any]:
    """Audit-safe view of a cadre's fields: the ID number is stored masked."""
    data: dict[str, Any] = {}
    for field in AUDITED_FIELDS:
        value = getattr(cadre, field)
        if field == "national_id":
            value = mask_id_number(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[field] = value
    return data


def cadre_create(*, actor: User, values: dict[str, Any], reason: str = "") -> Cadre:
    unit: Unit = values["unit"]
    if not may_place_cadre(actor, unit=unit, management_level=values["management_level"]):
        raise PermissionDenied(_("You may not add cadres to this unit."))
    values = {**values, "national_id": values["national_id"].strip().upper()}
    errors = validate_cadre_values(values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cadre = Cadre(**values)
        cadre.full_clean(validate_unique=False)
        if Cadre.objects.filter(national_id=cadre.national_id).exists():
            # The same words whoever holds the record: never "exists" to an outsider.
            raise ValidationError({"national_id": id_taken_message()})
        cadre.save()
        PositionRecord.objects.create(
            cadre=cadre,
            start_date=cadre.rank_since,
            unit=unit,
            unit_name=unit.name,
            title=cadre.position,
            rank=cadre.rank,
            move=MoveType.APPOINTED,
        )
        audit.record(
            "cadre.create",
            actor=actor,
            obj=cadre,
            after=snapshot(cadre),
            reason=reason,
            authority_id=covering_authority_id(cadre),
        )
    return cadre


def cadre_update(cadre: Cadre, *, actor: User, changes: dict[str, Any], reason: str = "") -> Cadre:
    """Change a cadre's record (not a move: moves go through cadre_move)."""
    with transaction.atomic():
        locked = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        if not can_change_cadre(actor, locked):
            raise PermissionDenied(_("You may not change this cadre."))
        before = snapshot(locked)
        placed = (locked.unit_id, locked.management_level)
        for field, value in changes.items():
            setattr(locked, field, value)
        if "unit" in changes or "management_level" in changes:
            if not may_place_cadre(
                actor, unit=locked.unit, management_level=locked.management_level
            ):
                raise PermissionDenied(_("You may not place a cadre in this unit."))
        values = {f: getattr(locked, f) for f in AUDITED_FIELDS}
        errors = validate_cadre_values(values)
        if errors:
            raise ValidationError(errors)
        locked.full_clean(validate_unique=False)
        if (
            "national_id" in changes
            and Cadre.objects.filter(national_id=locked.national_id).exclude(pk=locked.pk).exists()
        ):
            raise ValidationError({"national_id": id_taken_message()})
        locked.save()
        if (locked.unit_id, locked.management_level) != placed:
            placement_changed([locked.pk])
        old, new = audit.diff(before, snapshot(locked))
        if new:
            audit.record(
                "cadre.update",
                actor=actor,
                obj=locked,
                before=old,
                after=new,
                reason=reason,
                authority_id=covering_authority_id(locked),
            )
    return locked


def cadre_move(
    cadre: Cadre,
    *,
    actor: User,
    move: str,
    on: dt.date,
    unit: Unit,
    title: str,
    rank: int,
    post_type: str | None = None,
    document_ref: str = "",
    reason: str = "",
) -> PositionRecord:
    """A move (promotion, transfer, demotion...): closes the open position, opens the next."""
    with transaction.atomic():
        locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
        if not can_change_cadre(actor, locked):
            raise PermissionDenied(_("You may not change this cadre."))
        if not may_place_cadre(actor, unit=unit, management_level=locked.management_level):
            raise PermissionDenied(_("You may not place a cadre in this unit."))
        before = snapshot(locked)
        before_unit_id = locked.unit_id
        current = locked.positions.filter(end_date__isnull=True).order_by("-start_date").first()
        if current is not None:
            if on < current.start_date:
                raise ValidationError(
                    {"on": _("The move cannot precede the start of the current position.")}
                )
            current.end_date = on
            current.save(update_fields=["end_date"])
        record = PositionRecord.objects.create(
            cadre=locked,
            start_date=on,
            unit=unit,
            unit_name=unit.name,
            title=title,
            rank=rank,
            move=move,
            document_ref=document_ref,
        )
        if rank != locked.rank:
            locked.rank_since = on
        locked.unit, locked.position, locked.rank = unit, title, rank
        if post_type:
            locked.post_type = post_type
        if move in (MoveType.RETIRED,):
            locked.status = "retired"
        locked.save()
        if locked.unit_id != before_unit_id:
            placement_changed([locked.pk])
        old, new = audit.diff(before, snapshot(locked))
        audit.record(
            f"cadre.move.{move}",
            actor=actor,
            obj=locked,
            before=old,
            after=new,
            reason=reason,
            authority_id=covering_authority_id(locked),
        )
    return record


def cadre_reveal_national_id(cadre: Cadre, *, actor: User, reason: str = "") -> str:
    """The full ID number, for a permitted user; every reveal is audited."""
    if not can_reveal_national_id(actor, cadre):
        raise PermissionDenied(_("You may not see full national ID numbers."))
    audit.record(
        "cadre.national_id.reveal",
        actor=actor,
        obj=cadre,
        reason=reason,
        authority_id=covering_authority_id(cadre),
    )
    return cadre.national_id
