"""Row errors of an import: what went wrong where, in the words of the sheet.

Every import (roster, LRMX reports, evidence workbooks) reports its problems as RowErrors;
core.sheets.report writes them into the error workbook the user downloads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .cells import HEADER_SEARCH_ROWS


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it
    column: str  # the Chinese header, "" for the whole row or file
    value: str  # national ID numbers are masked
    message: str


def sheet_beyond_bound(sheet, max_rows: int) -> bool:
    """True when the sheet spans so many rows that, even with a header area and one blank
    row in two, it must hold more than `max_rows` data rows: refused before its cells are
    turned into Python values (the exact count is made while reading)."""
    return sheet.total_height > 2 * max_rows + HEADER_SEARCH_ROWS


def sort_errors(errors: Iterable[RowError], columns: Sequence[str] = ()) -> list[RowError]:
    """Errors in sheet order: by row, then by the column's place in `columns` (the
    template's headers); whole-row and whole-file errors (and unknown columns) first."""
    order = {header: index for index, header in enumerate(columns)}
    return sorted(errors, key=lambda e: (e.row, order.get(e.column, -1)))
