"""Shared pieces of the assessment imports: reading a sheet, cells, choice labels.

Cells, dates and row errors come from the project's spreadsheet toolkit (core.sheets: a
date reads as the roster reads it, 1980年5月 and 198005 included), and the error report is
its workbook, so every import reports the same way: row, column, value, problem.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from core.sheets.cells import HEADER_SEARCH_ROWS, CellError, date_message, parse_date
from core.sheets.rows import RowError, sheet_beyond_bound
from core.uploads import UploadRejected, check_xlsx


class CellProblem(ValueError):
    pass


def read_table(data: bytes, headers: list[str], required: list[str]):
    """(rows as (excel row, {header: raw}), errors) of the first sheet."""
    check_xlsx(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        beyond = sheet_beyond_bound(sheet, settings.SHEET_IMPORT_MAX_ROWS)
        table = [] if beyond else sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises several types for damaged parts
        raise UploadRejected(_("The workbook cannot be read.")) from None
    if beyond:
        return [], [RowError(1, "", "", too_many_rows())]
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        names = [str(c).strip() for c in cells]
        if not all(h in names for h in required):
            continue
        positions = {h: names.index(h) for h in headers if h in names}
        rows, errors = [], []
        for number, cells in enumerate(table[index + 1 :], start=index + 2):
            if all(c in ("", None) for c in cells):
                continue
            if len(rows) >= settings.SHEET_IMPORT_MAX_ROWS:
                errors.append(RowError(number, "", "", too_many_rows()))
                break
            rows.append(
                (number, {h: cells[p] if p < len(cells) else "" for h, p in positions.items()})
            )
        if not rows and not errors:
            errors.append(RowError(index + 2, "", "", _("The workbook has no data rows.")))
        return rows, errors
    missing = "、".join(required)
    return [], [
        RowError(
            1, "", "", _("No header row with the columns %(cols)s was found.") % {"cols": missing}
        )
    ]


def too_many_rows() -> str:
    return _("The workbook has more than %(max)d rows; split it into smaller files.") % {
        "max": settings.SHEET_IMPORT_MAX_ROWS
    }


def text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def integer(raw) -> int | None:
    value = text(raw)
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise CellProblem(_("Not a whole number."))
    return int(value)


def date(raw) -> dt.date | None:
    """A date in any form the roster accepts (core.sheets.cells.parse_date)."""
    try:
        return parse_date(raw)
    except CellError as exc:
        raise CellProblem(date_message(exc)) from None


def yes_no(raw) -> bool | None:
    value = text(raw)
    if not value:
        return None
    if value in ("是", "yes", "Yes", "Y", "y", "TRUE", "True", "1"):
        return True
    if value in ("否", "no", "No", "N", "n", "FALSE", "False", "0"):
        return False
    raise CellProblem(_("Write 是 or 否."))


def choice_lookup(choices) -> dict[str, str]:
    """Label (Chinese and English) or stored value → value."""
    lookup = {}
    for value, label in choices:
        lookup[str(value)] = value
        lookup[str(label)] = value
        with translation.override("zh-hans"):
            lookup[str(label)] = value
    return {k: v for k, v in lookup.items() if k}


def choice(raw, lookup: dict[str, str]) -> str | None:
    value = text(raw)
    if not value:
        return None
    if value not in lookup:
        raise CellProblem(
            _("Unknown value; allowed: %(allowed)s.")
            % {"allowed": "、".join(k for k in lookup if not k.isascii())}
        )
    return lookup[value]


def zh_label(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


_CADRE_TOKEN = re.compile(r"[（(]\s*(\d{1,12})\s*[)）]\s*$")


def cadre_reference(token: str) -> tuple[str, str]:
    """("pk", "123") for a system number, alone or as 张三（123）; ("id", number) for an
    18-character national ID number; else ("", token)."""
    token = token.strip()
    match = _CADRE_TOKEN.search(token)
    if match:
        return "pk", match.group(1)
    if token.isdigit() and len(token) <= 12:
        return "pk", token
    if len(token) == 18:
        return "id", token.upper()
    return "", token
