"""Every export writes `=HYPERLINK(...)` typed by a person as text, never as a formula.

Each export of the project is driven once with a hostile value in a free-text field (a
cadre's name, an incident's title, an import's cell); xlsx cells must be text cells, CSV
cells must carry the apostrophe. A source scan pins that no module writes a spreadsheet
except through core.sheets.writer, so a new export cannot bypass it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.imports.engine import SheetSpec, sheet_export
from assessments.imports.grades import HEADERS as GRADE_HEADERS
from assessments.imports.grades import grades_export, grades_import
from assessments.imports.incidents import HEADERS as INCIDENT_HEADERS
from assessments.imports.incidents import incidents_export, incidents_import
from assessments.imports.registry import SHEETS
from assessments.models import Incident
from cadres.models import Cadre
from cadres.roster.exporter import roster_export
from core.sheets.report import report_workbook
from core.sheets.rows import RowError
from promotions.incentives.candidates import candidate_rows, export_candidates
from promotions.policy_data import DEFAULT_TERMS
from register.export import ARCHIVE_NAME, MANIFEST_NAME, WORKBOOK_NAME, RegisterExport
from tests.assessments.test_imports import grade_row, incident_row, workbook
from tests.clarifications.conftest import people, petitions  # noqa: F401 - fixtures
from tests.promotions.conftest import county  # noqa: F401 - fixture
from tests.promotions.proposals.conftest import proposal  # noqa: F401 - fixture
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures
from tolerance.models import AccountabilityMatter

HOSTILE = '=HYPERLINK("http://x","y")'
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _text_cells(content: bytes) -> list:
    """Every non-empty cell of every sheet; fails on any formula cell."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [c.value for c in cells if c.value is not None]


def _rename(cadre: Cadre, name: str) -> None:
    Cadre.objects.filter(pk=cadre.pk).update(name=name)


def test_roster_export(world, personas):
    _rename(world.cadre_a1, HOSTILE)
    handle, count, _masked = roster_export(personas.admin)
    assert count == 3
    assert HOSTILE in _text_cells(handle.read())


def test_roster_error_report():
    content = report_workbook([RowError(2, "姓名", HOSTILE, "姓名不符。")], filename=HOSTILE)
    values = _text_cells(content)
    assert HOSTILE in values
    assert f"文件：{HOSTILE}" in values


def test_grades_export(world, personas):
    hr = personas.hr_a1
    written, errors = grades_import(
        workbook(GRADE_HEADERS, [grade_row(world.cadre_a1, "称职")]), actor=hr
    )
    assert (written, errors) == (1, [])
    _rename(world.cadre_a1, HOSTILE)
    assert HOSTILE in _text_cells(grades_export(hr, year=2024, unit=None))


def test_incidents_export(world, personas):
    rows = [incident_row()]
    written, errors = incidents_import(workbook(INCIDENT_HEADERS, rows), actor=personas.admin)
    assert (written, errors) == (1, [])
    Incident.objects.update(title=HOSTILE)
    assert HOSTILE in _text_cells(incidents_export(personas.admin, year=2024))


@pytest.mark.parametrize("kind", [k for k, s in SHEETS.items() if isinstance(s, SheetSpec)])
def test_evidence_workbook_export(kind, personas):
    spec = SHEETS[kind]
    hostile = dataclasses.replace(
        spec, export_rows=lambda user, year: [[HOSTILE] * len(spec.columns)]
    )
    values = _text_cells(sheet_export(hostile, personas.admin, year=None))
    assert values.count(HOSTILE) == len(spec.columns)


def test_candidates_export(world, personas):
    _rename(world.cadre_a1, HOSTILE)
    rows = candidate_rows(
        Cadre.objects.filter(pk=world.cadre_a1.pk), as_of=timezone.localdate(), terms=DEFAULT_TERMS
    )
    _name, content = export_candidates(
        personas.admin, unit=world.county_a, rank=world.cadre_a1.rank, rows=rows,
        as_of=timezone.localdate(),
    )
    assert HOSTILE in _text_cells(content)


def test_register_export_workbook_and_manifest(tmp_path, world):
    def missing_file(mode):
        raise FileNotFoundError

    document = SimpleNamespace(
        pk=1, number=HOSTILE, kind="tolerance_ruling", title=HOSTILE, year=2026,
        filename="x.pdf", authority=world.county_a_org, authority_id=world.county_a_org.pk,
        cadre=SimpleNamespace(name=HOSTILE, unit=world.township_a1),
        issued_on=dt.date(2026, 3, 2), sha256="0" * 64, size=10,
        file=SimpleNamespace(open=missing_file),
    )
    export = RegisterExport(tmp_path, situations={}, outcomes={})
    export.add(document)
    export.close()
    archive = zipfile.ZipFile(tmp_path / ARCHIVE_NAME)
    assert _text_cells(archive.read(WORKBOOK_NAME)).count(HOSTILE) == 3
    manifest = list(csv.reader(io.StringIO(archive.read(MANIFEST_NAME).decode("utf-8-sig"))))
    assert manifest[1][0] == manifest[1][2] == "'" + HOSTILE


def test_petitions_csv(client, world, petitions, people):  # noqa: F811 - fixtures
    petitions.received()
    _rename(world.cadre_a1, HOSTILE)
    client.force_login(people.handler)
    response = client.get(reverse("clarifications:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][4] == "'" + HOSTILE


WRITERS = re.compile(
    r"xlsxwriter\.Workbook\(|openpyxl import Workbook|openpyxl\.Workbook\(|csv\.writer\(|"
    r"csv\.DictWriter\("
)


def test_no_export_writes_a_spreadsheet_past_the_writer():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or relative == (
            "core/sheets/writer.py"
        ):
            continue
        if WRITERS.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []


def test_proposal_list_export(client, proposal, county):  # noqa: F811 - fixtures
    _rename(proposal.cadre, HOSTILE)
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:proposals-export"))
    assert HOSTILE in _text_cells(b"".join(response.streaming_content))


def test_case_queue_export(client, flow, staff):  # noqa: F811 - fixtures
    case = flow.submitted()
    AccountabilityMatter.objects.filter(pk=case.matter_id).update(title=HOSTILE)
    _rename(case.entries.get().cadre, HOSTILE)
    client.force_login(staff.clerk)
    response = client.get(reverse("tolerance:queue_export"))
    assert _text_cells(b"".join(response.streaming_content)).count(HOSTILE) == 2


def test_audit_log_export(client, world, personas):
    from cadres import services

    services.cadre_update(
        world.cadre_a1, actor=personas.admin, changes={"position": HOSTILE}, reason=HOSTILE
    )
    client.force_login(personas.admin)
    response = client.get(reverse("audit-log-export"), {"action": "cadre.update"})
    cells = _text_cells(b"".join(response.streaming_content))
    assert HOSTILE in cells  # the reason, as text
    assert any(str(c).endswith(f"→ {HOSTILE}") for c in cells)


def test_cadre_list_export(client, world, personas):
    _rename(world.cadre_a1, HOSTILE)
    client.force_login(personas.admin)
    response = client.get(reverse("cadres:list-export"))
    assert HOSTILE in _text_cells(b"".join(response.streaming_content))


def test_case_file_manifest_and_record(
    client, flow, staff, django_capture_on_commit_callbacks  # noqa: F811 - fixtures
):
    """The case file's record sheets (tolerance/case_file.py), written with the manifest
    (register/casefile.py) through the formula-safe writer, carry a typed formula as text."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from register.models import ExportJob
    from tolerance.filing import attachment_add
    from tolerance.investigation import note_add
    from tolerance.models.case import AttachmentKind

    case = flow.investigating()
    note_add(case, actor=staff.cadre, kind="statement", text=HOSTILE)
    attachment_add(case, actor=staff.cadre, kind=AttachmentKind.STATEMENT,
                   upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), note="说明")
    client.force_login(staff.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register:case-file", args=[case.pk]))
    job = ExportJob.objects.get()
    response = client.get(reverse("register:download", args=[job.pk, "zip"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    cells = [
        cell
        for name in archive.namelist() if name.endswith(".csv")
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        for cell in row
    ]
    # The statement's text, in record/notes.csv, as text (a leading apostrophe).
    assert [cell for cell in cells if "HYPERLINK" in cell] == ["'" + HOSTILE]


# Each module that writes a spreadsheet or CSV for people to open, and the tests above that
# export a formula-like value through it. A new exporter without a test fails here.
EXPORTERS = re.compile(r"\b(open_workbook|csv_writer|xlsx_response)\(")
TESTED = {
    "assessments/imports/engine.py": test_evidence_workbook_export,
    "assessments/imports/grades.py": test_grades_export,
    "assessments/imports/incidents.py": test_incidents_export,
    "cadres/roster/exporter.py": test_roster_export,
    "cadres/views.py": test_cadre_list_export,
    "core/sheets/report.py": test_roster_error_report,
    "clarifications/views.py": test_petitions_csv,
    "core/views.py": test_audit_log_export,
    "promotions/incentives/candidates.py": test_candidates_export,
    "promotions/proposals/views.py": test_proposal_list_export,
    "register/casefile.py": test_case_file_manifest_and_record,
    "register/export.py": test_register_export_workbook_and_manifest,
    "tolerance/views/queue.py": test_case_queue_export,
    "tolerance/case_file.py": test_case_file_manifest_and_record,
}


def test_every_exporter_has_a_formula_test():
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or relative in (
            "core/sheets/writer.py",
            "core/listing.py",
        ):
            continue
        if EXPORTERS.search(path.read_text(encoding="utf-8")):
            found.add(relative)
    assert found == set(TESTED)
