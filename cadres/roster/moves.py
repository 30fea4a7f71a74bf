"""Roster rows that change an existing cadre: moves through the move service, one audit
row per cadre, and the list of changes the import page shows.

A row giving an existing cadre another unit, rank or post is a move (任免), not a
correction: it goes through `cadres.services.cadre_move`, as on the cadre's page, which
closes the open position record and opens the next, so the history keeps matching the
record. The move is dated the row's "任现职级时间" when the rank changes, else today; a
date before the start of the open position is refused for that row (record such a move
on the cadre's page, where its real date can be given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from core import audit
from core.models import User

from ..enums import MoveType
from ..models import Cadre, PositionRecord, Unit
from ..permissions import covering_authority_ids
from ..services import cadre_move
from .columns import HEADER_OF_FIELD

MOVE_FIELDS = ("unit_id", "rank", "position")


@dataclass(frozen=True)
class Move:
    row: int
    pk: int
    kind: str  # MoveType
    on: dt.date


@dataclass(frozen=True)
class CadreChange:
    """One existing cadre the import changed: for the page and the report."""

    pk: int
    name: str
    move: str  # the move's label, "" when only corrected
    columns: list[str] = field(default_factory=list)  # Chinese headers of changed columns


def is_move(before: dict, after: dict) -> bool:
    return any(before[f] != after[f] for f in MOVE_FIELDS)


def move_kind(old_rank: int, new_rank: int) -> str:
    if new_rank > old_rank:
        return MoveType.PROMOTED
    if new_rank < old_rank:
        return MoveType.DEMOTED
    return MoveType.LATERAL


def plan_moves(
    changed: list[tuple[int, int, dict, dict]], *, today: dt.date
) -> tuple[list[Move], list[tuple[int, str, Any, str]]]:
    """(row, pk, before, after) of the changed cadres → the moves, and the refusals as
    (row, field, value, message). One query."""
    wanted = [(row, pk, b, a) for row, pk, b, a in changed if is_move(b, a)]
    starts = dict(
        PositionRecord.objects.filter(
            cadre_id__in=[pk for _r, pk, _b, _a in wanted], end_date__isnull=True
        )
        .values("cadre_id")
        .annotate(start=Max("start_date"))
        .values_list("cadre_id", "start")
    )
    moves, refusals = [], []
    for row, pk, before, after in wanted:
        rank_changes = before["rank"] != after["rank"]
        on = after["rank_since"] if rank_changes and after["rank_since"] else today
        start = starts.get(pk)
        if start is not None and on < start:
            refusals.append(
                (
                    row,
                    "rank_since" if rank_changes else "unit_code",
                    on if rank_changes else after.get("unit_code", ""),
                    _(
                        "This row moves the cadre (unit, rank or post) as of %(on)s, before "
                        "the current position began (%(start)s): record this move on the "
                        "cadre's page."
                    )
                    % {"on": on.isoformat(), "start": start.isoformat()},
                )
            )
            continue
        moves.append(Move(row, pk, move_kind(before["rank"], after["rank"]), on))
    return moves, refusals


def apply_moves(
    moves: list[Move], after_of: dict[int, dict], *, actor: User, import_id: str
) -> None:
    """Each move through the move service (inside the import's transaction)."""
    if not moves:
        return
    units = Unit.objects.in_bulk({after_of[m.pk]["unit_id"] for m in moves})
    cadres = Cadre.objects.in_bulk([m.pk for m in moves])
    for move in moves:
        after = after_of[move.pk]
        cadre_move(
            cadres[move.pk],
            actor=actor,
            move=move.kind,
            on=move.on,
            unit=units[after["unit_id"]],
            title=after["position"],
            rank=after["rank"],
            post_type=after.get("post_type"),
            reason=import_reason(import_id),
        )


def import_reason(import_id: str) -> str:
    return _("Roster import %(id)s") % {"id": import_id}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def audit_changes(
    changed: list[tuple[int, int, dict, dict]],
    *,
    actor: User,
    import_id: str,
    unit_paths: dict[int, str],
    moves: list[Move],
) -> list[CadreChange]:
    """One `cadre.roster.update` row per changed cadre (before/after of the changed fields,
    the import's id as reason), in one INSERT; the changes for the page."""
    entries, authority_keys, changes = [], [], []
    moved = {m.pk: m for m in moves}
    labels = dict(MoveType.choices)
    for _row, pk, before, after in changed:
        fields = [f for f in after if f in before and before[f] != after[f]]
        entries.append(
            (
                Cadre(pk=pk, name=after["name"]),
                {f: _plain(before[f]) for f in fields},
                {f: _plain(after[f]) for f in fields},
            )
        )
        authority_keys.append((unit_paths[after["unit_id"]], after["management_level"]))
        columns = [
            HEADER_OF_FIELD["unit_code" if f == "unit_id" else f]
            for f in fields
            if ("unit_code" if f == "unit_id" else f) in HEADER_OF_FIELD
        ]
        move = moved.get(pk)
        changes.append(
            CadreChange(pk, after["name"], str(labels[move.kind]) if move else "", columns)
        )
    covering = covering_authority_ids(set(authority_keys))
    audit.record_many(
        "cadre.roster.update",
        actor=actor,
        entries=entries,
        reason=import_reason(import_id),
        authority_ids=[covering[key] for key in authority_keys],
    )
    return changes
