"""Writing one export: the Excel register and a ZIP of the PDFs with a manifest, streaming.

Nothing here holds more than one document in memory: the workbook is written by xlsxwriter
in constant-memory mode (one row at a time, spooled to the export's own directory), each
PDF is copied into the ZIP in chunks, and the manifest and checksum lists are written line
by line to files that go into the ZIP at the end. The one thing that grows is the ZIP's
central directory, which the format writes last: about 0.4 KB per file (4 MB for 10,000
documents), whatever the size of the PDFs (bench/register_export.py measures it).

Each PDF is read twice: once to check it against the SHA-256 recorded when it was issued,
then to copy it. A file that is missing or differs is left out of the ZIP and named in the
manifest, as the download view refuses it (core.documents.read_document), so every file in
the archive verifies on the public verification page with the hash the manifest gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.filenames import safe_name
from core.models import DocumentKind, IssuedDocument
from core.sheets.writer import csv_writer, open_workbook

from .queries import cadre_names, subject_reference

READ_CHUNK = 64 * 1024
ARCHIVE_NAME = "archive.zip"
WORKBOOK_NAME = "register.xlsx"
MANIFEST_NAME = "manifest.csv"
CHECKSUMS_NAME = "SHA256SUMS"
PROBLEMS_KEPT = 100  # problems listed on the job; the manifest lists them all

MISSING = "missing"
DIFFERS = "differs"


@dataclass
class ExportResult:
    count: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # authority id → documents
    problem_count: int = 0
    problems: list[dict] = field(default_factory=list)  # the first PROBLEMS_KEPT


def archive_path(document: IssuedDocument) -> str:
    """Where the PDF goes in the ZIP: documents/<year>/<number>-<name>; numbers are unique.
    The name is one every system can create (core.filenames), however the title reads."""
    name = document.filename or f"{document.pk}.pdf"  # a title's "/" is kept as "_"
    if not name.startswith(document.number):
        name = f"{document.number}-{name}"
    return f"documents/{document.year}/{safe_name(name, fallback=f'{document.pk}.pdf')}"


def verify_page() -> str:
    """The public verification page; a document's own link adds ?number=…"""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('documents:verify')}"


def _stored_digest(document: IssuedDocument) -> str | None:
    """The SHA-256 of the stored file, or None when it is missing."""
    digest = hashlib.sha256()
    try:
        with document.file.open("rb") as handle:
            while chunk := handle.read(READ_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


class RegisterExport:
    """One export being written into `directory` (which the caller owns and removes)."""

    def __init__(
        self, directory: Path, *, situations: dict[str, str], outcomes: dict[str, str]
    ):
        self.directory = directory
        self.situations = situations  # code → text
        self.outcomes = outcomes  # value → label
        # Worked out once, not per document.
        self.kinds = {value: str(label) for value, label in DocumentKind.choices}
        self.checks = {
            None: _("matches the issued document"),
            MISSING: _("FILE MISSING: not in the archive"),
            DIFFERS: _("FILE DIFFERS FROM THE ISSUED DOCUMENT: not in the archive"),
        }
        self.verify_page = verify_page()
        self.result = ExportResult()
        self.archive = zipfile.ZipFile(
            directory / ARCHIVE_NAME, "w", compression=zipfile.ZIP_STORED, allowZip64=True
        )
        self._manifest = open(  # noqa: SIM115 - closed in close()
            directory / MANIFEST_NAME, "w", encoding="utf-8-sig", newline=""
        )
        self.manifest = csv_writer(self._manifest)
        self.manifest.writerow(
            [
                _("Document number"),
                _("Kind"),
                _("Cadre"),
                _("Date of issue"),
                _("SHA-256"),
                _("Size in bytes"),
                _("File in the archive"),
                _("Check"),
                _("Verify at"),
            ]
        )
        self.checksums = open(  # noqa: SIM115 - closed in close()
            directory / CHECKSUMS_NAME, "w", encoding="utf-8", newline="\n"
        )
        self._open_workbook()

    # --- the workbook ------------------------------------------------------------------

    HEADERS = (
        (gettext_noop("Document number"), 22),
        (gettext_noop("Kind"), 16),
        (gettext_noop("Title"), 30),
        (gettext_noop("Issuing authority"), 24),
        (gettext_noop("Case"), 16),
        (gettext_noop("Cadre"), 10),
        (gettext_noop("Unit"), 22),
        (gettext_noop("Date of issue"), 12),
        (gettext_noop("Conclusion"), 14),
        (gettext_noop("Matched situations"), 40),
        (gettext_noop("SHA-256"), 66),
        (gettext_noop("File in the archive"), 50),
    )

    def _open_workbook(self) -> None:
        self.workbook = open_workbook(
            str(self.directory / WORKBOOK_NAME),
            {"constant_memory": True, "tmpdir": str(self.directory), "strings_to_numbers": False},
        )
        self.sheet = self.workbook.add_worksheet(_("Register of documents")[:31])
        header = self.workbook.add_format({"bold": True, "bg_color": "#EFEFEA", "border": 1})
        self.date_format = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        for position, (_label, width) in enumerate(self.HEADERS):
            self.sheet.set_column(position, position, width)
        self.sheet.write_row(0, 0, [_(label) for label, _width in self.HEADERS], header)
        self.sheet.freeze_panes(1, 0)

    def _situation_text(self, codes) -> str:
        if not codes:
            return ""
        return "；".join(f"{code} {self.situations.get(code, '')}".strip() for code in codes)

    def _write_row(self, document: IssuedDocument, in_archive: str) -> None:
        row = self.result.count
        cadre = document.cadre
        values = [
            document.number,
            self.kinds.get(document.kind, document.kind),
            document.title,
            document.authority.name,
            subject_reference(document),
            cadre_names(document),
            cadre.unit.name if cadre else "",
        ]
        for column, value in enumerate(values):
            # write_string, never write(): a name such as "=HYPERLINK(…)" stays text.
            self.sheet.write_string(row, column, str(value))
        self.sheet.write_datetime(row, 7, dt.datetime.combine(document.issued_on, dt.time()),
                                  self.date_format)
        outcome = getattr(document, "outcome", None)
        self.sheet.write_string(row, 8, self.outcomes.get(outcome, outcome or ""))
        self.sheet.write_string(row, 9, self._situation_text(getattr(document, "situations", None)))
        self.sheet.write_string(row, 10, document.sha256)
        self.sheet.write_string(row, 11, in_archive)

    # --- one document ------------------------------------------------------------------

    def add(self, document: IssuedDocument) -> None:
        self.result.count += 1
        authority_id = document.authority_id
        self.result.counts[authority_id] = self.result.counts.get(authority_id, 0) + 1
        digest = _stored_digest(document)
        problem = None
        if digest is None:
            problem = MISSING
        elif not hmac.compare_digest(digest, document.sha256):
            problem = DIFFERS
        in_archive = ""
        if problem is None:
            in_archive = archive_path(document)
            with document.file.open("rb") as source, self.archive.open(in_archive, "w") as target:
                while chunk := source.read(READ_CHUNK):
                    target.write(chunk)
            self.checksums.write(f"{document.sha256}  {in_archive}\n")
        else:
            self.result.problem_count += 1
            if len(self.result.problems) < PROBLEMS_KEPT:
                self.result.problems.append(
                    {"id": document.pk, "number": document.number, "problem": problem}
                )
        self.manifest.writerow(
            [
                document.number,
                self.kinds.get(document.kind, document.kind),
                cadre_names(document),
                document.issued_on.isoformat(),
                document.sha256,
                document.size,
                in_archive,
                self.checks[problem],
                f"{self.verify_page}?{urlencode({'number': document.number})}",
            ]
        )
        self._write_row(document, in_archive)

    # --- finishing -----------------------------------------------------------------------

    def close(self) -> ExportResult:
        """Finish the workbook, put it, the manifest and the checksums into the ZIP."""
        self.sheet.autofilter(0, 0, max(self.result.count, 1), len(self.HEADERS) - 1)
        self.workbook.close()
        self._manifest.close()
        self.checksums.close()
        deflate = zipfile.ZIP_DEFLATED
        self.archive.write(self.directory / MANIFEST_NAME, MANIFEST_NAME, compress_type=deflate)
        self.archive.write(self.directory / CHECKSUMS_NAME, CHECKSUMS_NAME, compress_type=deflate)
        self.archive.write(self.directory / WORKBOOK_NAME, WORKBOOK_NAME)
        self.archive.close()
        return self.result

    def abandon(self) -> None:
        """Close every handle after a failure (the caller removes the directory)."""
        for close in (self.workbook.close, self._manifest.close, self.checksums.close,
                      self.archive.close):
            try:
                close()
            except Exception:  # noqa: BLE001, S110 - best effort while failing already
                pass
