"""The .lrmx import as a background job (core.imports): who may, what the upload must be,
and the run, all files or none. Its error report is one row per problem of a file
(file, cadre, masked ID number, problem), written by core.sheets like every import's."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import ImportKind, ImportOutcome, ImportRefused, ImportRun
from core.uploads import UploadRejected

from ..permissions import can_manage_roster, writable_units
from .importing import FileOutcome, ImportReport, Placement, files_from_upload, lrmx_import
from .parse import LrmxError, parse_lrmx

KIND = "cadres.lrmx"


def placement_options(placement: Placement) -> dict:
    """The form's choices as the job keeps them (JSON)."""
    return {
        "unit": placement.unit.pk,
        "management_level": placement.management_level,
        "rank": placement.rank,
        "post_type": placement.post_type,
    }


def _placement(run: ImportRun) -> Placement:
    options = run.options
    unit = writable_units(run.actor).filter(pk=options.get("unit")).first()
    if unit is None:
        raise ImportRefused("the unit for new cadres is no longer writable")
    return Placement(
        unit=unit,
        management_level=options["management_level"],
        rank=int(options["rank"]),
        post_type=options["post_type"],
    )


def error_rows(report: ImportReport) -> list[list[str]]:
    """One row per problem: file, cadre, masked national ID number, problem."""
    return [
        [outcome.name, outcome.cadre_name, outcome.masked_id, problem]
        for outcome in report.problem_files
        for problem in outcome.problems
    ]


def detail_row(outcome: FileOutcome) -> list[str]:
    """Per file: the elements set, changed and left, and those not kept (Chinese names)."""
    by_status: dict[str, list[str]] = {"set": [], "changed": [], "same": [], "left": []}
    for name, status in outcome.fields:
        by_status[status].append(name)
    return [
        outcome.name,
        outcome.cadre_name,
        *("、".join(by_status[s]) for s in ("set", "changed", "left")),
        "、".join(outcome.dropped),
    ]


def lrmx_run(run: ImportRun) -> ImportOutcome:
    try:
        files = files_from_upload(run.filename, run.data)
    except UploadRejected as exc:  # checked when uploaded; a changed limit refuses it now
        return ImportOutcome(errors=[[run.filename, "", "", str(exc)]])
    report = lrmx_import(
        files, actor=run.actor, placement=_placement(run), filename=run.filename,
        progress=run.progress,
    )
    if not report.ok:
        return ImportOutcome(errors=error_rows(report))
    return ImportOutcome(
        counts={"created": report.created, "updated": report.updated},
        details=[detail_row(outcome) for outcome in report.files],
    )


def check_upload(data: bytes, options: dict) -> None:
    """A zip of forms (safe, bounded; its forms are read by the job), or one form, read
    here: a file that is no .lrmx form (or holds a DTD) is refused at the field, unstored."""
    files_from_upload("", data)
    if not data.startswith(b"PK\x03\x04"):
        try:
            parse_lrmx(data)
        except LrmxError as exc:
            raise UploadRejected(str(exc)) from None


def _errors() -> list[str]:
    return [_("File"), _("Cadre"), _("National ID number"), _("Problem")]


def _details() -> list[str]:
    return [
        _("File"), _("Cadre"), _("Set"), _("Changed"), _("Left as stored (not in the file)"),
        _("Not kept"),
    ]


LRMX_IMPORT = ImportKind(
    label=gettext_lazy("Import appointment forms (.lrmx)"),
    may_import=can_manage_roster,
    check=check_upload,
    run=lrmx_run,
    back_url="cadres:lrmx-import",
    counts=(
        ("created", gettext_lazy("Cadres added")),
        ("updated", gettext_lazy("Cadres updated")),
    ),
    error_headers=_errors,
    error_widths=(28, 12, 22, 80),
    detail_title=gettext_lazy("What each file brought"),
    detail_headers=_details,
    report_name=gettext_lazy("lrmx-import-errors.xlsx"),
)
