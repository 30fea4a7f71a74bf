"""The evidence workbooks' import as a background job (core.imports): one kind for every
workbook of the registry, the workbook chosen on the form kept in the job's options."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.imports import ImportKind, ImportOutcome, ImportRefused, ImportRun
from core.models import User
from core.sheets.report import error_cells
from core.sheets.rows import RowError
from core.uploads import UploadRejected, check_xlsx

from .registry import SHEETS

KIND = "assessments.evidence"


def writable_sheets(user: User) -> list[str]:
    """The workbooks this user may import, in the registry's order."""
    return [key for key, sheet in SHEETS.items() if sheet.may_write(user)]


def may_import(user: User) -> bool:
    return bool(writable_sheets(user))


def evidence_run(run: ImportRun) -> ImportOutcome:
    sheet = SHEETS.get(run.options.get("sheet", ""))
    if sheet is None or not sheet.may_write(run.actor):
        raise ImportRefused("the requester may no longer write this workbook")
    run.progress(0, 1)
    try:
        written, errors = sheet.import_(run.data, actor=run.actor)
    except UploadRejected as exc:  # a workbook that cannot be read
        written, errors = 0, [RowError(0, "", "", str(exc))]
    run.progress(1, 1)
    if errors:
        return ImportOutcome(errors=[error_cells(e) for e in errors])
    return ImportOutcome(counts={"written": written})


EVIDENCE_IMPORT = ImportKind(
    label=gettext_lazy("Assessment workbook import"),
    may_import=may_import,
    check=lambda data, options: check_xlsx(data),
    run=evidence_run,
    back_url="assessments:import",
    counts=(("written", gettext_lazy("Rows written")),),
    report_name=gettext_lazy("import-errors.xlsx"),
    # Evidence rows are appended (a check-up, a competition), so a second run would add
    # them twice: the writes commit with the job's end, and a takeover writes nothing twice.
    finish_with_writes=True,
)
