"""Reading spreadsheet cells: text, and dates in every form people type them.

One module for every import (the roster, LRMX reports, the assessments' evidence workbooks),
so that a date the roster accepts is accepted everywhere. A cell that cannot become a value
raises CellError with a code; `cell_message` turns the code into the Chinese message shown
next to the cell in the error report.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

# Where a header row is looked for: the first rows of the sheet (a title may come first).
HEADER_SEARCH_ROWS = 10

_YMD = re.compile(r"(\d{4})([-./])(\d{1,2})\2(\d{1,2})")
_YM = re.compile(r"(\d{4})[-./](\d{1,2})")
_CN_YMD = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_DIGITS = re.compile(r"\d{6}|\d{8}")


class CellError(ValueError):
    """A cell that cannot become a value; `code` picks the message, `extra` fills it."""

    def __init__(self, code: str, **extra):
        super().__init__(code)
        self.code = code
        self.extra = extra


def cell_text(raw: object) -> str:
    """A cell as text: integral numbers lose their `.0`, dates print as ISO dates."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def parse_date(raw: object) -> dt.date | None:
    """Excel date cells, and text (or numbers) like 1980-05-17, 1980.05.17, 1980/5/17,
    1980年5月17日, 1980年5月, 1980.05, 198005, 19800517.

    A year and month alone (198005, 1980.05, 1980年5月) mean the first day of the month.
    Blank gives None; anything else raises CellError('date_format' or 'date_impossible').
    """
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise CellError("date_format")
    if isinstance(raw, int | float):
        if not float(raw).is_integer():
            raise CellError("date_format")
        text = str(int(raw))  # 198005 or 19800517 typed as a number; a bare 29000 is refused
    else:
        text = str(raw or "").strip()
    if not text:
        return None
    parts: tuple | None = None
    if match := _YMD.fullmatch(text):
        parts = (match[1], match[3], match[4])
    elif match := _CN_YMD.fullmatch(text):
        parts = (match[1], match[2], match[3] or "1")
    elif match := _YM.fullmatch(text):
        parts = (match[1], match[2], "1")
    elif _DIGITS.fullmatch(text):
        parts = (text[:4], text[4:6], text[6:] or "1")
    if parts is None:
        raise CellError("date_format")
    year, month, day = (int(p) for p in parts)
    if not 1900 <= year <= 2100:
        raise CellError("date_impossible")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError("date_impossible") from None


def date_message(error: CellError) -> str:
    """The Chinese message for a date cell that parse_date refused."""
    if error.code == "date_impossible":
        return _("This date does not exist.")
    return _(
        "Not a date: use a date cell or text such as 1980-05-17, 1980.05.17, "
        "1980/5/17 or 198005."
    )
