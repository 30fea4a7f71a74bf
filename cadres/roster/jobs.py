"""The roster import as a background job (core.imports): who may, what the file must be,
and the run, which keeps the importer's all-or-nothing semantics and its row errors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import ImportKind, ImportOutcome, ImportRun
from core.sheets.report import error_cells
from core.uploads import UploadRejected, check_xlsx

from ..permissions import can_manage_roster
from . import importer

KIND = "cadres.roster"


def roster_run(run: ImportRun) -> ImportOutcome:
    try:
        result = importer.roster_import(
            run.data, actor=run.actor, filename=run.filename, progress=run.progress
        )
    except UploadRejected as exc:  # a workbook that cannot be read
        return ImportOutcome(errors=[[0, "", "", str(exc)]])
    if not result.ok:
        return ImportOutcome(errors=[error_cells(e) for e in result.errors])
    return ImportOutcome(
        counts={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        details=[
            [
                {"text": change.name, "url": reverse("cadres:detail", args=[change.pk])},
                str(change.move) or "—",
                "、".join(str(c) for c in change.columns),
            ]
            for change in result.changes
        ],
    )


def _details() -> list[str]:
    return [_("Cadre"), _("Move"), _("Columns changed")]


ROSTER_IMPORT = ImportKind(
    label=gettext_lazy("Roster import"),
    may_import=can_manage_roster,
    check=lambda data, options: check_xlsx(data),
    run=roster_run,
    back_url="cadres:roster-import",
    counts=(
        ("created", gettext_lazy("Cadres added")),
        ("updated", gettext_lazy("Cadres updated")),
        ("unchanged", gettext_lazy("Unchanged")),
    ),
    detail_title=gettext_lazy("Existing cadres changed"),
    detail_headers=_details,
    report_name=gettext_lazy("roster-import-errors.xlsx"),
)
