"""Formula-safe spreadsheet writing, the one way every export writes a cell.

A cell whose text begins with ``= + - @``, a tab or a carriage return is a formula to
Excel, LibreOffice and WPS when it reaches them as a formula (xlsx) or as bare CSV text.
Text a person typed (a name, a title, a comment) must never become one:

- xlsx: `open_workbook` turns off xlsxwriter's conversions (strings to formulas, URLs,
  numbers), so ``write``/``write_row`` store every ``str`` as a text cell; the
  spreadsheet shows it and never evaluates it.
- CSV: `csv_writer` prefixes such text with an apostrophe (OWASP's advice), which
  spreadsheets read as "this is text" and do not display.

Numbers, dates and booleans are written as they are; only text is neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

SAFE_XLSX_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet take this text for a formula?"""
    return text[:1] in FORMULA_TRIGGERS


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: text neutralised, anything else unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer` with every text cell passed through `csv_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **options)


def open_workbook(target: Any, options: dict[str, Any] | None = None) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that writes every string as text, whatever the caller's options."""
    return xlsxwriter.Workbook(target, {**(options or {}), **SAFE_XLSX_OPTIONS})
