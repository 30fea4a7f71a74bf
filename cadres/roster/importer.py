"""Roster import: read a workbook, check every row, then write all of it or nothing.

Three steps, each usable alone (bench/roster_import.py times them):
`parse_roster` (bytes → typed rows and cell errors), `validate_roster` (set-wise database
checks → a plan), `write_roster` (one transaction of batched bulk writes and one summary
audit row per organization department whose cadres the file touches). `roster_import` runs
the three.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from core import audit
from core.formatting import mask_id_number
from core.models import User
from core.sheets.cells import HEADER_SEARCH_ROWS
from core.sheets.rows import RowError, sheet_beyond_bound, sort_errors
from core.uploads import UploadRejected, check_xlsx

from ..enums import MoveType
from ..models import Cadre, PositionRecord, Unit
from ..permissions import (
    can_manage_roster,
    changeable_cadres,
    covering_authority_ids,
    may_place_cadre,
)
from ..placement import placement_changed
from ..rules import pinyin_keys
from ..services import id_taken_message, validate_cadre_values
from .bulk import insert_objects, update_rows
from .columns import (
    CADRE_FIELDS,
    CHOICE,
    COLUMNS,
    HEADER_OF_FIELD,
    HEADERS,
    NATIONAL_ID,
    CellError,
    Column,
    cell_text,
    normalize_header,
    parse_cell,
)
from .moves import CadreChange, Move, apply_moves, audit_changes, plan_moves

LOOKUP_CHUNK = 10_000  # ID numbers per lookup query (each may be a scan of the cadre table)
BLANK_AS_EMPTY_TEXT = ("native_place", "education")  # CharField(blank=True): "" not NULL
UPDATE_FIELDS = tuple(f for f in CADRE_FIELDS if f != "national_id") + (
    "name_pinyin",
    "name_initials",
    "updated_at",
)
_COLUMN_ORDER = {c.header: i for i, c in enumerate(COLUMNS)}
Progress = Callable[[int, int], None]  # (done, total), as core.imports reports it


@dataclass
class ParsedRoster:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (Excel row, field → value)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class RosterPlan:
    new: list[dict] = field(default_factory=list)
    changed: list[tuple[int, dict]] = field(default_factory=list)  # (pk, field → value)
    unchanged: int = 0
    unchanged_at: list[tuple[int, str]] = field(default_factory=list)  # (unit pk, level)
    unit_names: dict[int, str] = field(default_factory=dict)
    unit_paths: dict[int, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # (Excel row, pk, values before, values after) of each changed cadre; their moves.
    changed_rows: list[tuple[int, int, dict, dict]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[CadreChange] = field(default_factory=list)  # each existing cadre changed
    import_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportConflict(Exception):
    """The database changed between checking and writing; nothing was written."""


def cell_message(error: CellError) -> str:
    messages = {
        "required": _("This column is required."),
        "date_format": _(
            "Not a date: use a date cell or text such as 1980-05-17, 1980.05.17, "
            "1980/5/17 or 198005."
        ),
        "date_impossible": _("This date does not exist."),
        "choice": _("Unknown value; allowed: %(allowed)s."),
        "too_long": _("Too long: at most %(max)d characters."),
        "ethnicity": _("Unknown ethnic group."),
        "id_masked": _(
            "The national ID number is masked: an export with masked numbers cannot be "
            "imported again."
        ),
        "id_number_cell": _(
            "The national ID number was typed as a number and Excel dropped digits: "
            "format the column as text."
        ),
    }
    message = messages[error.code]
    return message % error.extra if error.extra else message


def file_message(code: str) -> str:
    return {
        "no_header": _(
            "No header row with the template's columns (姓名, 身份证号, ...) was found in "
            "the first sheet."
        ),
        "too_many_rows": _("The workbook has more than %(max)d rows; split it into smaller files.")
        % {"max": settings.ROSTER_IMPORT_MAX_ROWS},
        "no_rows": _("The workbook has no data rows."),
        "conflict": _(
            "Someone else changed these cadres while the file was being checked; nothing was "
            "imported. Please upload the file again."
        ),
    }[code]


def display_raw(column: Column, raw: object) -> str:
    """What the report shows for a cell as typed: text, ISO dates; ID numbers masked."""
    if column.kind == NATIONAL_ID:
        return mask_id_number(cell_text(raw).upper())
    return cell_text(raw)[:100]


def display_value(column: Column, value: object) -> str:
    """What the report shows for a read value: choice values as their labels."""
    if value is None:
        return ""
    if column.kind == CHOICE:
        return column.labels.get(value, str(value))
    return display_raw(column, value)


# ---------------------------------------------------------------- 1. parse


def parse_roster(data: bytes) -> ParsedRoster:
    """Typed rows of the first sheet, and every cell that cannot be read."""
    check_xlsx(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        beyond = sheet_beyond_bound(sheet, settings.ROSTER_IMPORT_MAX_ROWS)
        table = [] if beyond else sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises several types for damaged parts
        raise UploadRejected(_("The workbook cannot be read.")) from None
    result = ParsedRoster()
    if beyond:
        result.errors.append(RowError(1, "", "", file_message("too_many_rows")))
        return result
    found = _find_header(table)
    if found is None:
        result.errors.append(RowError(1, "", "", file_message("no_header")))
        return result
    header_index, positions, header_errors = found
    if header_errors:
        result.errors.extend(header_errors)
        return result
    plan = [(c, positions[c.header], c.lookup() if c.kind == CHOICE else None) for c in COLUMNS]
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        if all(cell == "" or cell is None for cell in cells):
            continue
        if len(result.rows) >= settings.ROSTER_IMPORT_MAX_ROWS:
            result.errors.append(RowError(index + 1, "", "", file_message("too_many_rows")))
            break
        values = {}
        for column, position, lookup in plan:
            raw = cells[position] if position < len(cells) else ""
            try:
                values[column.field] = parse_cell(column, raw, lookup)
            except CellError as exc:
                values[column.field] = None
                result.errors.append(
                    RowError(index + 1, column.header, display_raw(column, raw), cell_message(exc))
                )
        result.rows.append((index + 1, values))
    if not result.rows and not result.errors:
        result.errors.append(RowError(header_index + 2, "", "", file_message("no_rows")))
    return result


def _find_header(table: list[list]) -> tuple[int, dict[str, int], list[RowError]] | None:
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        names = [normalize_header(cell) for cell in cells]
        if "姓名" not in names or "身份证号" not in names:
            continue
        positions: dict[str, int] = {}
        errors: list[RowError] = []
        for position, name in enumerate(names):
            if name not in HEADERS:
                continue
            if name in positions:
                errors.append(RowError(index + 1, name, name, _("This column appears twice.")))
            positions[name] = position
        for header in HEADERS:
            if header not in positions:
                errors.append(RowError(index + 1, header, "", _("This column is missing.")))
        return index, positions, errors
    return None


# ---------------------------------------------------------------- 2. validate


def validate_roster(
    parsed: ParsedRoster,
    *,
    actor: User,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RosterPlan:
    """Every check that needs the database, each done once for the whole file; `progress`
    hears (rows checked, rows) as the rows are checked."""
    today = today or timezone.localdate()
    plan = RosterPlan(errors=list(parsed.errors))
    bad_cells = {(e.row, e.column) for e in parsed.errors}
    rows = parsed.rows
    batch = settings.IMPORT_BATCH_SIZE

    def error(row: int, field_name: str, value: object, message: str) -> None:
        header = HEADER_OF_FIELD[field_name]
        if (row, header) in bad_cells:
            return  # one message per cell: the first problem found
        bad_cells.add((row, header))
        column = COLUMNS[_COLUMN_ORDER[header]]
        plan.errors.append(RowError(row, header, display_value(column, value), message))

    first_row_of_id: dict[str, int] = {}
    for checked, (number, values) in enumerate(rows):
        if progress is not None:
            progress(checked, len(rows))
        for field_name, message in validate_cadre_values(values, today=today).items():
            error(number, field_name, values.get(field_name), message)
        national_id = values["national_id"]
        if national_id is None:
            continue
        first = first_row_of_id.setdefault(national_id, number)
        if first != number:
            error(
                number,
                "national_id",
                national_id,
                _("The same national ID number is already in row %(row)d.") % {"row": first},
            )

    units = _units_by_code({v["unit_code"] for _n, v in rows if v["unit_code"]}, batch)
    plan.unit_names = {unit.pk: unit.name for unit in units.values()}
    plan.unit_paths = {unit.pk: unit.path for unit in units.values()}
    existing, changeable = _existing_cadres(actor, list(first_row_of_id), LOOKUP_CHUNK)

    placeable: dict[tuple[int, str], bool] = {}
    for number, values in rows:
        code = values["unit_code"]
        unit = units.get(code) if code else None
        if code and unit is None:
            error(number, "unit_code", code, _("No unit has this code."))
        current = existing.get(values["national_id"])
        if current is not None and current["pk"] not in changeable:
            error(
                number,
                "national_id",
                values["national_id"],
                id_taken_message(),
            )
        if unit is None or values["management_level"] is None:
            continue
        moving = current is None or (
            current["unit_id"] != unit.pk
            or current["management_level"] != values["management_level"]
        )
        key = (unit.pk, values["management_level"])
        if moving and key not in placeable:
            placeable[key] = may_place_cadre(
                actor, unit=unit, management_level=values["management_level"]
            )
        if moving and not placeable[key]:
            error(
                number,
                "unit_code",
                code,
                _("You may not place cadres in this unit with this management level."),
            )

    plan.errors = sort_errors(plan.errors, HEADERS)
    if plan.errors:
        return plan
    for number, values in rows:
        record = _model_values(values, units[values["unit_code"]].pk)
        current = existing.get(record["national_id"])
        if current is None:
            plan.new.append(record)
        elif any(current[f] != record[f] for f in CADRE_FIELDS):
            plan.changed.append((current["pk"], record))
            # The row's unit code too, for a refused move's report cell (not a model field).
            after = {**record, "unit_code": values["unit_code"]}
            plan.changed_rows.append((number, current["pk"], current, after))
        else:
            plan.unchanged += 1
            plan.unchanged_at.append((record["unit_id"], record["management_level"]))
    plan.moves, refusals = plan_moves(plan.changed_rows, today=today)
    for number, field_name, value, message in refusals:
        error(number, field_name, value, message)
    plan.errors = sort_errors(plan.errors, HEADERS)
    if progress is not None:
        progress(len(rows), len(rows))
    return plan


def _model_values(values: dict, unit_id: int) -> dict:
    record = {f: values[f] for f in CADRE_FIELDS if f != "unit_id"}
    record["unit_id"] = unit_id
    for name in BLANK_AS_EMPTY_TEXT:
        if record[name] is None:
            record[name] = ""
    return record


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _units_by_code(codes: set[str], batch: int) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for chunk in _chunks(sorted(codes), batch):
        for unit in Unit.objects.filter(code__in=chunk).only("pk", "code", "path", "name"):
            units[unit.code] = unit
    return units


def _existing_cadres(actor: User, ids: list[str], batch: int) -> tuple[dict[str, dict], set[int]]:
    existing: dict[str, dict] = {}
    changeable: set[int] = set()
    for chunk in _chunks(ids, batch):
        found = list(Cadre.objects.filter(national_id__in=chunk).values("pk", *CADRE_FIELDS))
        existing.update((row["national_id"], row) for row in found)
        if found:
            changeable.update(
                changeable_cadres(actor).filter(national_id__in=chunk).values_list("pk", flat=True)
            )
    return existing, changeable


# ---------------------------------------------------------------- 3. write


def write_roster(plan: RosterPlan, *, actor: User, filename: str) -> ImportResult:
    """One transaction: new cadres and their first position, updates, the audit rows."""
    if plan.errors:
        raise ValueError("write_roster needs a plan without errors")
    batch = settings.IMPORT_BATCH_SIZE
    now = timezone.now()
    keys: dict[str, tuple[str, str]] = {}

    def keyed(values: dict) -> dict:
        name = values["name"]
        if name not in keys:
            keys[name] = pinyin_keys(name)
        pinyin, initials = keys[name]
        return {**values, "name_pinyin": pinyin, "name_initials": initials, "updated_at": now}

    new = [Cadre(created_at=now, **keyed(values)) for values in plan.new]
    changed = [{"pk": pk, **keyed(values)} for pk, values in plan.changed]
    import_id = uuid.uuid4().hex[:12]
    try:
        with transaction.atomic():
            _lock_changeable(actor, [row["pk"] for row in changed], batch)
            insert_objects(Cadre, new, batch)
            _fill_missing_pks(new, batch)
            insert_objects(
                PositionRecord, [_first_position(c, plan.unit_names) for c in new], batch
            )
            apply_moves(plan.moves, dict(plan.changed), actor=actor, import_id=import_id)
            update_rows(Cadre, changed, UPDATE_FIELDS, batch)
            placement_changed(
                pk
                for _row, pk, before, after in plan.changed_rows
                if any(before[f] != after[f] for f in ("unit_id", "management_level"))
            )
            changes = audit_changes(
                plan.changed_rows, actor=actor, import_id=import_id,
                unit_paths=plan.unit_paths, moves=plan.moves,
            )
            for authority_id, counts in _counts_by_authority(plan):
                audit.record(
                    "cadre.roster.import",
                    actor=actor,
                    after={**counts, "filename": filename, "import": import_id},
                    authority_id=authority_id,
                )
    except (IntegrityError, ImportConflict, PermissionDenied, ValidationError):
        return ImportResult(errors=[RowError(0, "", "", file_message("conflict"))])
    return ImportResult(
        created=len(new), updated=len(changed), unchanged=plan.unchanged, changes=changes,
        import_id=import_id,
    )


def _counts_by_authority(plan: RosterPlan) -> list[tuple[int | None, dict[str, int]]]:
    """Created, updated and unchanged rows per organization department covering them (as
    imported), so that each department's auditors see the imports that touched its cadres;
    None for rows no department covers. One query; one entry (None) for an empty file."""
    rows = [
        *(("created", v["unit_id"], v["management_level"]) for v in plan.new),
        *(("updated", v["unit_id"], v["management_level"]) for _pk, v in plan.changed),
        *(("unchanged", unit_id, level) for unit_id, level in plan.unchanged_at),
    ]
    covering = covering_authority_ids(
        {(plan.unit_paths[unit_id], level) for _kind, unit_id, level in rows}
    )
    counts: dict[int | None, dict[str, int]] = {}
    for kind, unit_id, level in rows:
        authority_id = covering[plan.unit_paths[unit_id], level]
        counts.setdefault(authority_id, {"created": 0, "updated": 0, "unchanged": 0})[kind] += 1
    if not counts:
        counts[None] = {"created": 0, "updated": 0, "unchanged": 0}
    return sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0))


def _first_position(cadre: Cadre, unit_names: dict[int, str]) -> PositionRecord:
    """The position a new cadre holds, as cadre_create records it."""
    return PositionRecord(
        cadre_id=cadre.pk,
        start_date=cadre.rank_since,
        unit_id=cadre.unit_id,
        unit_name=unit_names[cadre.unit_id],
        title=cadre.position,
        rank=cadre.rank,
        move=MoveType.APPOINTED,
    )


def _lock_changeable(actor: User, pks: list[int], batch: int) -> None:
    """Lock the rows to update; each must still exist and still be the actor's to change."""
    for chunk in _chunks(pks, batch):
        locked = (
            changeable_cadres(actor)
            .select_for_update(of=("self",))
            .filter(pk__in=chunk)
            .order_by()
            .values_list("pk", flat=True)
        )
        if len(set(locked)) != len(chunk):
            raise ImportConflict


def _fill_missing_pks(cadres: list[Cadre], batch: int) -> None:
    """Backends that cannot return ids from a bulk INSERT: look them up by ID number."""
    missing = [c for c in cadres if c.pk is None]
    for chunk in _chunks(missing, batch):
        pks = dict(
            Cadre.objects.filter(national_id__in=[c.national_id for c in chunk]).values_list(
                "national_id", "pk"
            )
        )
        for c in chunk:
            c.pk = pks[c.national_id]


def roster_import(
    data: bytes, *, actor: User, filename: str, progress: Progress | None = None
) -> ImportResult:
    """The whole import: all rows are written, or none and every problem is reported."""
    if not can_manage_roster(actor):
        raise PermissionDenied(_("You may not import cadres."))
    parsed = parse_roster(data)
    plan = validate_roster(parsed, actor=actor, progress=progress)
    if plan.errors:
        return ImportResult(errors=plan.errors)
    return write_roster(plan, actor=actor, filename=filename[:200])
