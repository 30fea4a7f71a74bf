"""The error report of a refused import: an .xlsx kept for its user for a day.

Why a file and not the session: a 100,000-row file with errors everywhere gives a report
of megabytes, too big for a session row. The report is written once under MEDIA_ROOT
(never served directly) at `roster-reports/<user id>/<random token>.xlsx`; the download
view finds it only under the requesting user's own folder, so a token alone leaks nothing.
Reports older than REPORT_TTL are removed whenever the same user stores a new one. The
report holds masked ID numbers only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User

from .rows import RowError
from .writer import open_workbook

REPORT_DIR = "roster-reports"
REPORT_TTL = dt.timedelta(days=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def report_workbook(errors: list[RowError], *, filename: str) -> bytes:
    """Row, column, value, problem: the same table the page shows, complete."""
    buffer = io.BytesIO()
    workbook = open_workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet(_("Import errors")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EFEFEA", "border": 1})
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, 2, 24)
    sheet.set_column(3, 3, 80)
    sheet.write_string(0, 0, _("File: %(name)s") % {"name": filename})
    sheet.write_row(1, 0, [_("Row"), _("Column"), _("Value"), _("Problem")], bold)
    for index, error in enumerate(errors, start=2):
        if error.row:
            sheet.write_number(index, 0, error.row)
        sheet.write_string(index, 1, error.column)
        sheet.write_string(index, 2, error.value)
        sheet.write_string(index, 3, error.message)
    workbook.close()
    return buffer.getvalue()


def _folder(user: User) -> str:
    return f"{REPORT_DIR}/{user.pk}"


def save_report(user: User, content: bytes) -> str:
    """Store the report for this user; return its token."""
    _remove_stale(user)
    token = secrets.token_urlsafe(16)
    default_storage.save(f"{_folder(user)}/{token}.xlsx", ContentFile(content))
    return token


def open_report(user: User, token: str) -> File | None:
    """The user's own report by token, or None (wrong token, someone else's, expired)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    name = f"{_folder(user)}/{token}.xlsx"
    if not default_storage.exists(name):
        return None
    if timezone.now() - default_storage.get_modified_time(name) > REPORT_TTL:
        return None
    return default_storage.open(name, "rb")


def _remove_stale(user: User) -> None:
    folder = _folder(user)
    if not default_storage.exists(folder):
        return
    limit = timezone.now() - REPORT_TTL
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
