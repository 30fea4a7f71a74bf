"""Writing a case file (卷宗) export: one ZIP of every entry tolerance.case_file lists, with
manifest.csv (path, section, description, size, SHA-256, check) and SHA256SUMS.

A stored file (document, attachment, receipt) is copied in chunks while its SHA-256 is
taken; one that is missing or no longer matches the hash recorded when it was stored is
left out and named in the manifest, so every file in the ZIP is the file on the record.
"""

from __future__ import annotations

import hashlib
import hmac
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from core.sheets.writer import csv_writer
from tolerance.case_file import CaseFileEntry, case_file_entries

from .export import (
    ARCHIVE_NAME,
    CHECKSUMS_NAME,
    DIFFERS,
    MANIFEST_NAME,
    MISSING,
    READ_CHUNK,
    ExportResult,
)

PROBLEMS_KEPT = 100


class CaseFileExport:
    """One case file being written into `directory` (which the caller owns and removes)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.result = ExportResult()
        self.sections = {
            "document": _("Issued document"),
            "attachment": _("Attachment"),
            "receipt": _("Signed receipt"),
            "record": _("Record"),
        }
        self.checks = {
            None: _("matches the record"),
            MISSING: _("FILE MISSING: not in the archive"),
            DIFFERS: _("FILE DIFFERS FROM THE RECORD: not in the archive"),
        }
        self.archive = zipfile.ZipFile(
            directory / ARCHIVE_NAME, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
        )
        self._manifest = open(  # noqa: SIM115 - closed in close()
            directory / MANIFEST_NAME, "w", encoding="utf-8-sig", newline=""
        )
        self.manifest = csv_writer(self._manifest)
        self.manifest.writerow(
            [_("File in the archive"), _("Section"), _("Description"), _("Size in bytes"),
             _("SHA-256"), _("Check")]
        )
        self.checksums: list[str] = []

    def _copy(self, entry: CaseFileEntry) -> tuple[str | None, str, int]:
        """Check a stored file against its recorded hash, then copy it into the ZIP (read
        twice, so a file that differs never enters it): (problem, sha256, size)."""
        digest, size = hashlib.sha256(), 0
        try:
            with entry.open() as source:
                while chunk := source.read(READ_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except (FileNotFoundError, ValueError):
            return MISSING, entry.sha256, 0
        sha256 = digest.hexdigest()
        if entry.sha256 and not hmac.compare_digest(sha256, entry.sha256):
            return DIFFERS, entry.sha256, size
        with entry.open() as source, self.archive.open(entry.path, "w") as target:
            while chunk := source.read(READ_CHUNK):
                target.write(chunk)
        return None, sha256, size

    def add(self, entry: CaseFileEntry, authority_id: int) -> None:
        self.result.count += 1
        self.result.counts[authority_id] = self.result.counts.get(authority_id, 0) + 1
        if entry.content is not None:
            self.archive.writestr(entry.path, entry.content)
            problem, sha256, size = None, hashlib.sha256(entry.content).hexdigest(), len(
                entry.content)
        else:
            problem, sha256, size = self._copy(entry)
        if problem is None:
            self.checksums.append(f"{sha256}  {entry.path}")
        else:
            self.result.problem_count += 1
            if len(self.result.problems) < PROBLEMS_KEPT:
                self.result.problems.append({"path": entry.path, "problem": problem})
        self.manifest.writerow(
            [entry.path if problem is None else "", self.sections[entry.section],
             entry.description, size, sha256, self.checks[problem]]
        )

    def close(self) -> ExportResult:
        self._manifest.close()
        self.archive.write(self.directory / MANIFEST_NAME, MANIFEST_NAME)
        manifest_sha = hashlib.sha256((self.directory / MANIFEST_NAME).read_bytes()).hexdigest()
        sums = [*self.checksums, f"{manifest_sha}  {MANIFEST_NAME}"]
        self.archive.writestr(CHECKSUMS_NAME, "\n".join(sums) + "\n")
        self.archive.close()
        return self.result

    def abandon(self) -> None:
        for close in (self._manifest.close, self.archive.close):
            try:
                close()
            except Exception:  # noqa: BLE001, S110 - best effort while failing already
                pass


def write_case_file(case, directory: Path, progress) -> ExportResult:
    """Write the case's file; `progress(done)` after each entry."""
    writer = CaseFileExport(directory)
    try:
        for entry in case_file_entries(case):
            writer.add(entry, case.authority_id)
            progress(writer.result.count)
        return writer.close()
    except BaseException:
        writer.abandon()
        raise
