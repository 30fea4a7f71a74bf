"""Roster export and the blank template, in the import's column layout.

Workbooks are written by xlsxwriter in constant-memory mode (one row in memory at a
time) into an anonymous temporary file that the view streams out; the query is read in
chunks. The number of queries does not depend on the number of cadres.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.formatting import mask_id_number
from core.models import User
from core.sheets.writer import open_workbook

from ..enums import ManagementLevel
from ..models import Unit
from ..permissions import can_reveal_all_national_ids, visible_cadres, writable_units
from ..queries import search_cadres
from ..rules import id_check_code
from .columns import (
    CHOICE,
    COLUMNS,
    DATE,
    DATE_FORMAT,
    HEADERS,
    NATIONAL_ID,
    SHEET_NAME,
    export_row,
)

CHUNK_SIZE = 2000
EXAMPLE_UNIT_CODE = "370124"
_WIDTHS = {"name": 10, "national_id": 21, "position": 24, "unit_code": 12, "rank": 14}


def export_queryset(
    user: User, *, unit_id: int | None = None, level: str = "", q: str = ""
) -> QuerySet:
    """The cadres the user can see, optionally within one unit's subtree, level, name."""
    cadres = search_cadres(visible_cadres(user), q)
    if unit_id is not None:
        path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        cadres = cadres.filter(unit__path__startswith=path) if path else cadres.none()
    if level in ManagementLevel.values:
        cadres = cadres.filter(management_level=level)
    return cadres


def roster_export(
    user: User, *, unit_id: int | None = None, level: str = "", q: str = ""
) -> tuple[IO[bytes], int, bool]:
    """Write the export to a temporary file: (file at position 0, row count, masked?)."""
    masked = not can_reveal_all_national_ids(user)
    fields = ["unit__code" if c.field == "unit_code" else c.field for c in COLUMNS]
    rows = (
        export_queryset(user, unit_id=unit_id, level=level, q=q)
        .order_by("unit__path", "-rank", "name_pinyin", "pk")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    count = _write_workbook(handle, _export_rows(rows, masked=masked))
    audit.record(
        "cadre.roster.export",
        actor=user,
        after={
            "count": count,
            "unit": unit_id,
            "level": level or None,
            "q": q or None,
            "masked": masked,
        },
    )
    handle.seek(0)
    return handle, count, masked


def _export_rows(rows, *, masked: bool):
    fields = [c.field for c in COLUMNS]
    id_position = fields.index("national_id")
    for row in rows:
        values = dict(zip(fields, row, strict=True))
        cells = export_row(values)
        if masked:
            cells[id_position] = mask_id_number(cells[id_position])
        yield cells


def roster_template(user: User) -> IO[bytes]:
    """The empty template: headers, one example row, a sheet of instructions."""
    code = (
        writable_units(user).order_by("path").values_list("code", flat=True).first()
        or EXAMPLE_UNIT_CODE
    )
    first17 = "37010219850317001"
    example = {
        "name": "张明",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": dt.date(1985, 3, 17),
        "national_id": first17 + id_check_code(first17),
        "native_place": "山东济南",
        "party_join_date": dt.date(2008, 6, 1),
        "work_start_date": dt.date(2007, 7, 1),
        "education": "bachelor",
        "unit_code": code,
        "position": "党委委员、副镇长",
        "post_type": "leadership",
        "rank": 45,
        "rank_since": dt.date(2019, 8, 1),
        "management_level": "county",
        "status": "serving",
    }
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    _write_workbook(handle, [export_row(example)], template=True)
    handle.seek(0)
    return handle


def _write_workbook(handle: IO[bytes], rows, *, template: bool = False) -> int:
    workbook = open_workbook(
        handle, {"constant_memory": True, "tmpdir": tempfile.gettempdir()}
    )
    sheet = workbook.add_worksheet(SHEET_NAME)
    header = workbook.add_format({"bold": True, "bg_color": "#EFEFEA", "border": 1})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    text = workbook.add_format({"num_format": "@"})
    formats = []
    for position, column in enumerate(COLUMNS):
        cell_format = (
            date
            if column.kind == DATE
            else text
            if column.kind == NATIONAL_ID or (column.field == "unit_code")
            else None
        )
        formats.append(cell_format)
        sheet.set_column(position, position, _WIDTHS.get(column.field, 12), cell_format)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, HEADERS, header)
    count = 0
    for count, cells in enumerate(rows, start=1):
        for position, value in enumerate(cells):
            if value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(count, position, value, formats[position])
            elif isinstance(value, str):
                sheet.write_string(count, position, value, formats[position])
            else:
                sheet.write(count, position, value, formats[position])
    if template:
        _add_dropdowns(sheet)
        _add_instructions(workbook, header)
    workbook.close()
    return count


def _add_dropdowns(sheet) -> None:
    for position, column in enumerate(COLUMNS):
        if column.kind == CHOICE:
            sheet.data_validation(
                1,
                position,
                10_000,
                position,
                {
                    "validate": "list",
                    "source": list(column.labels.values()),
                },
            )


def _add_instructions(workbook, header) -> None:
    sheet = workbook.add_worksheet(_("Instructions")[:31])
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 90)
    sheet.write_row(0, 0, [_("Column"), _("Required"), _("What to enter")], header)
    date_hint = _(
        "A date cell, or text such as 1980-05-17, 1980.05.17, 1980/5/17; 198005 or 1980.05 "
        "mean the first day of that month."
    )
    hints = {
        "national_id": _(
            "18 characters; a final x may be lower case. Keep the column formatted as text."
        ),
        "unit_code": _("The unit code as shown in the unit list."),
        "ethnicity": _("One of the 56 ethnic groups, e.g. 汉族."),
    }
    for row, column in enumerate(COLUMNS, start=1):
        if column.kind == CHOICE:
            hint = _("One of: %(values)s") % {"values": "、".join(column.labels.values())}
        elif column.kind == DATE:
            hint = date_hint
        else:
            hint = hints.get(column.field, "")
        sheet.write_row(row, 0, [column.header, _("yes") if column.required else "", hint])
    note = len(COLUMNS) + 2
    sheet.write_string(
        note,
        0,
        _(
            "Rows whose national ID number already exists update that cadre; the others are "
            "added. If any row is wrong, nothing is imported."
        ),
    )
    sheet.write_string(note + 1, 0, _("The example row in the first sheet must be deleted."))
    sheet.write_string(
        note + 2, 0, _("Generated on %(date)s") % {"date": timezone.localdate().isoformat()}
    )
