"""The error report of a refused import: an .xlsx listing every problem.

Every import (roster, .lrmx forms, evidence workbooks) writes its row errors here, once,
when its background job finishes (core.imports stores the file with the job, under private
storage, for its requester alone). Written formula-safe (core.sheets.writer): a name or a
value typed as "=..." stays text. The report holds masked ID numbers only.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from .rows import RowError
from .writer import open_workbook


def error_workbook(
    headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, widths=()
) -> bytes:
    """The error workbook of any import: the file's name, a header row, one row per problem.

    Written formula-safe (core.sheets.writer): a value the user typed stays text. Integers
    are numbers (row numbers; 0 and blanks leave the cell empty), everything else text.
    """
    buffer = io.BytesIO()
    workbook = open_workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet(_("Import errors")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EFEFEA", "border": 1})
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, _("File: %(name)s") % {"name": filename})
    sheet.write_row(1, 0, [str(h) for h in headers], bold)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row):
            if value is None or value == "" or value == 0:
                continue  # 0: a problem of the whole file, not of a row
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, str(value))
    workbook.close()
    return buffer.getvalue()


def error_headers() -> list[str]:
    """The columns of a sheet import's errors: row, column, value, problem."""
    return [_("Row"), _("Column"), _("Value"), _("Problem")]


def error_cells(error: RowError) -> list:
    """One RowError as the cells of its report row."""
    return [error.row, error.column, error.value, error.message]


def report_workbook(errors: list[RowError], *, filename: str) -> bytes:
    """Row, column, value, problem: the same table the page shows, complete."""
    return error_workbook(
        error_headers(), (error_cells(e) for e in errors), filename=filename,
        widths=(8, 14, 24, 80),
    )
