"""One register export written directly (RegisterExport): which files go into the ZIP,
the manifest, checksums and workbook it writes, and the problems it names.

Requesting, running and auditing exports (register.jobs) are tested in test_jobs.py."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from types import SimpleNamespace
from urllib.parse import urlencode

import openpyxl
import pytest
from django.utils import translation

from core.models import IssuedDocument
from register import export as export_module
from register.export import (
    ARCHIVE_NAME,
    RegisterExport,
    archive_path,
    verify_page,
)
from tests.register.support import *  # noqa: F403 - the fixtures

pytestmark = pytest.mark.django_db

SITUATIONS = {"SX-02": "先行先试", "SX-03": "推动发展"}
OUTCOMES = {"lighter": "从轻处理", "not_tolerated": "不予容错"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rulings(ledger) -> list[IssuedDocument]:
    """The county's three rulings, as the job hands them over (authority and cadre joined)."""
    return list(
        IssuedDocument.objects.filter(authority=ledger.a1.authority, kind="tolerance_ruling")
        .select_related("authority", "cadre__unit")
        .order_by("id")
    )


def write(tmp_path, documents) -> tuple[object, zipfile.ZipFile]:
    writer = RegisterExport(tmp_path, situations=SITUATIONS, outcomes=OUTCOMES)
    for document in documents:
        writer.add(document)
    result = writer.close()
    return result, zipfile.ZipFile(tmp_path / ARCHIVE_NAME)


def manifest(archive: zipfile.ZipFile) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))


def test_archive_path_prefixes_the_number_unless_the_name_has_it():
    doc = SimpleNamespace(pk=7, number="甲组容〔2026〕1号", year=2026, filename="决定.pdf")
    assert archive_path(doc) == "documents/2026/甲组容〔2026〕1号-决定.pdf"
    doc.filename = "甲组容〔2026〕1号.pdf"
    assert archive_path(doc) == "documents/2026/甲组容〔2026〕1号.pdf"
    doc.filename = ""
    assert archive_path(doc) == "documents/2026/甲组容〔2026〕1号-7.pdf"


def test_verify_page_joins_the_site_address_without_a_double_slash(settings):
    settings.SITE_URL = "https://gb.example.cn/"
    assert verify_page() == "https://gb.example.cn/documents/verify/"


def test_every_good_file_goes_into_the_zip_with_manifest_checksums_and_workbook(
    ledger, tmp_path, settings
):
    settings.SITE_URL = "https://gb.example.cn"
    documents = rulings(ledger)
    assert len(documents) == 3

    result, archive = write(tmp_path, documents)

    assert (result.count, result.problem_count, result.problems) == (3, 0, [])
    assert result.counts == {ledger.a1.authority_id: 3}
    paths = [archive_path(d) for d in documents]
    assert archive.namelist() == [*paths, "manifest.csv", "SHA256SUMS", "register.xlsx"]
    for document, path in zip(documents, paths, strict=True):
        with document.file.open("rb") as handle:
            assert archive.read(path) == handle.read()
        assert archive.getinfo(path).compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("manifest.csv").compress_type == zipfile.ZIP_DEFLATED
    assert archive.read("SHA256SUMS").decode() == "".join(
        f"{d.sha256}  {p}\n" for d, p in zip(documents, paths, strict=True)
    )
    first = documents[0]
    assert manifest(archive)[0] == {
        "Document number": first.number,
        "Kind": "Tolerance ruling",
        "Cadre": "张三",
        "Date of issue": first.issued_on.isoformat(),
        "SHA-256": first.sha256,
        "Size in bytes": str(first.size),
        "File in the archive": paths[0],
        "Check": "matches the issued document",
        "Verify at": "https://gb.example.cn/documents/verify/?"
        + urlencode({"number": first.number}),
    }


def test_the_workbook_row_gives_outcome_label_and_situation_texts(ledger, tmp_path):
    document = rulings(ledger)[0]
    document.outcome = "lighter"
    document.situations = ["SX-02", "SX-99"]  # a code no longer in the catalogue

    _result, archive = write(tmp_path, [document])

    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("register.xlsx"))).active
    assert sheet.title == "Register of documents"
    header, row = (list(r) for r in sheet.iter_rows(values_only=True))
    assert header == [
        "Document number",
        "Kind",
        "Title",
        "Issuing authority",
        "Case",
        "Cadre",
        "Unit",
        "Date of issue",
        "Conclusion",
        "Matched situations",
        "SHA-256",
        "File in the archive",
    ]
    assert row[0:4] == [document.number, "Tolerance ruling", document.title, "中共甲县县委组织部"]
    assert row[7].date() == document.issued_on
    assert row[8:] == ["从轻处理", "SX-02 先行先试；SX-99", document.sha256, archive_path(document)]
    assert sheet.auto_filter.ref == "A1:L2"
    assert sheet.freeze_panes == "A2"


def test_a_missing_or_altered_file_is_named_and_left_out(ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "PROBLEMS_KEPT", 1)
    missing, altered, good = rulings(ledger)
    missing.file.storage.delete(missing.file.name)
    with open(altered.file.storage.path(altered.file.name), "wb") as handle:
        handle.write(b"%PDF-1.7 forged")

    result, archive = write(tmp_path, [missing, altered, good])

    assert (result.count, result.problem_count) == (3, 2)
    # only the first PROBLEMS_KEPT on the job; the manifest names them all
    assert result.problems == [{"id": missing.pk, "number": missing.number, "problem": "missing"}]
    assert [n for n in archive.namelist() if n.startswith("documents/")] == [archive_path(good)]
    rows = {r["Document number"]: r for r in manifest(archive)}
    assert (rows[missing.number]["File in the archive"], rows[missing.number]["Check"]) == (
        "",
        "FILE MISSING: not in the archive",
    )
    assert rows[altered.number]["Check"] == (
        "FILE DIFFERS FROM THE ISSUED DOCUMENT: not in the archive"
    )
    assert rows[altered.number]["SHA-256"] == altered.sha256
    assert archive.read("SHA256SUMS").decode() == f"{good.sha256}  {archive_path(good)}\n"
    assert hashlib.sha256(archive.read(archive_path(good))).hexdigest() == good.sha256


def test_an_empty_export_still_writes_its_headers(db, tmp_path):
    result, archive = write(tmp_path, [])
    assert (result.count, result.counts, result.problems) == (0, {}, [])
    assert manifest(archive) == []
    assert archive.read("SHA256SUMS") == b""
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("register.xlsx"))).active
    assert sheet.max_row == 1


def test_abandon_closes_every_handle_even_when_one_fails(db, tmp_path, monkeypatch):
    writer = RegisterExport(tmp_path, situations={}, outcomes={})

    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(writer.workbook, "close", broken)
    writer.abandon()

    assert writer._manifest.closed
    assert writer.checksums.closed
    assert writer.archive.fp is None
