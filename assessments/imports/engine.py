"""One declarative mechanism for the evidence workbooks: a SheetSpec per kind says its
columns (header, parser, reference), who may read and write it, how parsed rows are
written (through the services) and which rows an export holds.

The import is all-or-nothing: every cell is parsed and every reference (unit code, cadre
number, comparison category) resolved in bulk first; with any problem nothing is written.
Then the rows go to the spec's writer inside one transaction; a service refusing any row
rolls everything back. Problems are RowErrors (row, Chinese header, value, message), the
same as the roster and grade imports, so the error-report workbook is shared.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cadres.models import Cadre, ComparisonCategory, Unit
from core.formatting import mask_id_number
from core.models import User
from core.sheets.rows import RowError
from core.sheets.writer import open_workbook

from .common import CellProblem, cadre_reference, read_table, text

Values = dict[str, Any]
Item = tuple[int, Values]  # (Excel row number, parsed and resolved values)

UNIT, CADRE, CATEGORY = "unit", "cadre", "category"


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese column header, also the template's
    name: str  # key in the row's values (a service argument or model field)
    parse: Callable[[Any], Any] = text  # raises CellProblem
    required: bool = False
    ref: str = ""  # UNIT, CADRE (parsed by cadre_token) or CATEGORY: resolved in bulk
    width: int = 14
    imported: bool = True  # False: informative only (e.g. the unit's name beside its code)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    label: Any  # lazy translation
    sheet: str  # worksheet name
    columns: tuple[Column, ...]
    may_read: Callable[[User], bool]
    may_write: Callable[[User], bool]
    write: Callable[[User, list[Item]], tuple[int, list[RowError]]]
    export_rows: Callable[[User, int | None], Iterable[list]]
    unit_scope: Callable[[User], QuerySet[Unit]] | None = None
    cadre_scope: Callable[[User], QuerySet[Cadre]] | None = None
    notes: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()  # value names identifying a row: repeats are refused
    field_headers: dict[str, str] = field(default_factory=dict)  # service field → header

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def header_for(self, name: str) -> str:
        if name in self.field_headers:
            return self.field_headers[name]
        return next((c.header for c in self.columns if c.name == name), "")

    def import_(self, data: bytes, *, actor: User) -> tuple[int, list[RowError]]:
        return sheet_import(self, data, actor=actor)

    def export(self, user: User, *, year: int | None) -> bytes:
        return sheet_export(self, user, year=year)

    def template(self) -> bytes:
        return sheet_template(self)


# ---------------------------------------------------------------- cell parsers


def decimal(raw) -> Decimal | None:
    value = text(raw)
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellProblem(_("Not a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal("100000"):
        raise CellProblem(_("Not a number."))
    return number.quantize(Decimal("0.01"))


def month(raw) -> dt.date | None:
    """A month as a date cell or text such as 2024-05 or 2024年5月; the first day."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.replace(day=1)
    value = text(raw)
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?(?:[-./](\d{1,2})日?)?", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CellProblem(_("Not a month: write it as 2024-05."))
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def year(raw) -> int | None:
    value = text(raw)
    if not value:
        return None
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise CellProblem(_("Not a year between 1990 and 2100."))
    return int(value)


_NAMED = re.compile(r"^\s*(.+?)\s*[（(]\s*\d{1,12}\s*[)）]\s*$")


def cadre_token(raw) -> tuple[str, str, str] | None:
    """(kind, key, name written) of a cadre cell: 张三（123）, 123 or an ID number."""
    value = text(raw)
    if not value:
        return None
    kind, key = cadre_reference(value)
    if not kind:
        raise CellProblem(
            _("Give the cadre's system number, as 张三（123）, or the national ID number.")
        )
    named = _NAMED.match(value)
    return kind, key, named.group(1) if named else ""


def cadre_cell(cadre: Cadre | None) -> str:
    return f"{cadre.name}（{cadre.pk}）" if cadre is not None else ""


# ---------------------------------------------------------------- import


def _order(spec: SheetSpec, errors: list[RowError]) -> list[RowError]:
    index = {h: i for i, h in enumerate(spec.headers)}
    return sorted(errors, key=lambda e: (e.row, index.get(e.column, -1)))


def _resolve(spec: SheetSpec, actor: User, items: list[Item], errors: list[RowError]) -> None:
    """Replace unit codes, cadre tokens and category names by objects, in bulk."""
    columns = [c for c in spec.columns if c.ref and c.imported]
    codes = {v[c.name] for c in columns if c.ref == UNIT for _n, v in items if v.get(c.name)}
    tokens = [v[c.name] for c in columns if c.ref == CADRE for _n, v in items if v.get(c.name)]
    names = {v[c.name] for c in columns if c.ref == CATEGORY for _n, v in items if v.get(c.name)}
    units = {}
    if codes and spec.unit_scope is not None:
        units = {u.code: u for u in spec.unit_scope(actor).filter(code__in=codes)}
    by_pk, by_id = {}, {}
    if tokens and spec.cadre_scope is not None:
        scope = spec.cadre_scope(actor).select_related("unit")
        pks = {int(k) for kind, k, _n in tokens if kind == "pk"}
        ids = {k for kind, k, _n in tokens if kind == "id"}
        if pks:
            by_pk = {c.pk: c for c in scope.filter(pk__in=pks)}
        if ids:
            by_id = {c.national_id: c for c in scope.filter(national_id__in=ids)}
    categories = (
        {c.name: c for c in ComparisonCategory.objects.filter(name__in=names)} if names else {}
    )
    for number, values in items:
        for column in columns:
            raw = values.get(column.name)
            if not raw:
                values[column.name] = None
                continue
            if column.ref == UNIT:
                found = units.get(raw)
                problem = _("No unit you may record this for has this code.")
                shown = raw
            elif column.ref == CATEGORY:
                found = categories.get(raw)
                problem = _("No comparison category has this name.")
                shown = raw
            else:
                kind, key, name = raw
                found = by_pk.get(int(key)) if kind == "pk" else by_id.get(key)
                problem = _("No cadre you may record this for has this number.")
                shown = key if kind == "pk" else mask_id_number(key)
                if found is not None and name and name != found.name:
                    found, problem = (
                        None,
                        _("The name does not match the cadre (%(name)s).") % {"name": found.name},
                    )
            if found is None:
                errors.append(RowError(number, column.header, shown, problem))
            values[column.name] = found


def _parse(spec: SheetSpec, rows, errors: list[RowError]) -> list[Item]:
    items = []
    for number, cells in rows:
        values: Values = {}
        for column in spec.columns:
            if not column.imported:
                continue
            raw = cells.get(column.header)
            if column.required and not text(raw):
                errors.append(RowError(number, column.header, "", _("This column is required.")))
                continue
            parse = cadre_token if column.ref == CADRE else column.parse
            try:
                values[column.name] = parse(raw)
            except CellProblem as exc:
                errors.append(RowError(number, column.header, text(raw)[:100], str(exc)))
        items.append((number, values))
    return items


def _repeats(spec: SheetSpec, items: list[Item], errors: list[RowError]) -> None:
    """Rows naming the same thing twice, once references are resolved: a cadre written as
    张三（123）, 123 or by national ID number is one cadre."""
    seen: dict[tuple, int] = {}
    for number, values in items:
        if not spec.unique or any(values.get(n) in (None, "") for n in spec.unique):
            continue
        key = tuple(str(getattr(values[n], "pk", values[n])) for n in spec.unique)
        if key in seen:
            errors.append(
                RowError(number, "", "", _("This row repeats row %(row)d.") % {"row": seen[key]})
            )
        seen.setdefault(key, number)


def service_errors(spec: SheetSpec, number: int, exc: Exception) -> list[RowError]:
    """A service's refusal of one row (or group of rows) as RowErrors."""
    if isinstance(exc, PermissionDenied):
        return [RowError(number, "", "", str(exc))]
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            RowError(number, spec.header_for(name), "", message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(number, "", "", m) for m in getattr(exc, "messages", [str(exc)])]


def sheet_import(spec: SheetSpec, data: bytes, *, actor: User) -> tuple[int, list[RowError]]:
    """(rows written, errors); with any error nothing is written."""
    rows, errors = read_table(
        data, [c.header for c in spec.columns], [c.header for c in spec.columns if c.required]
    )
    if errors:
        return 0, errors
    items = _parse(spec, rows, errors)
    _resolve(spec, actor, items, errors)
    _repeats(spec, items, errors)
    if errors:
        return 0, _order(spec, errors)
    with transaction.atomic():
        written, errors = spec.write(actor, items)
        if errors:
            transaction.set_rollback(True)
            return 0, _order(spec, errors)
    return written, []


def write_each(
    spec: SheetSpec, items: list[Item], save: Callable[[Values], object]
) -> tuple[int, list[RowError]]:
    """Call `save` for each row, each in its own savepoint; collect refusals."""
    errors: list[RowError] = []
    for number, values in items:
        try:
            with transaction.atomic():
                save(values)
        except (ValidationError, PermissionDenied) as exc:
            errors.extend(service_errors(spec, number, exc))
    return len(items), errors


# ---------------------------------------------------------------- export and template


def _book(spec: SheetSpec, buffer: io.BytesIO, **options):
    book = open_workbook(buffer, options)
    sheet = book.add_worksheet(spec.sheet)
    sheet.write_row(0, 0, spec.headers, book.add_format({"bold": True, "bg_color": "#EFEFEA"}))
    for index, column in enumerate(spec.columns):
        sheet.set_column(index, index, column.width)
    return book, sheet


def sheet_export(spec: SheetSpec, user: User, *, year: int | None) -> bytes:
    """The rows the user may read, in the import's columns (re-importable)."""
    buffer = io.BytesIO()
    book, sheet = _book(spec, buffer, constant_memory=True)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(spec.export_rows(user, year), start=1):
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    number, col, dt.datetime.combine(value, dt.time()), date_format
                )
            elif isinstance(value, Decimal):
                sheet.write_number(number, col, float(value))
            elif value is None:
                continue
            else:
                sheet.write(number, col, value)
    book.close()
    return buffer.getvalue()


def sheet_template(spec: SheetSpec) -> bytes:
    buffer = io.BytesIO()
    book, _sheet = _book(spec, buffer)
    notes = book.add_worksheet("说明")
    required = "、".join(c.header for c in spec.columns if c.required)
    notes.write(0, 0, f"必填列：{required}。全部行无误才会导入；任何一行有问题，整个文件都不导入。")
    for index, line in enumerate(spec.notes, start=1):
        notes.write(index, 0, line)
    notes.set_column(0, 0, 100)
    book.close()
    return buffer.getvalue()
