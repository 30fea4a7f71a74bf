"""Checking uploads by their content: size, emptiness, zip safety, workbook and attachment
types (the attacks themselves are in tests/security/test_uploads.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import (
    UploadRejected,
    check_attachment,
    check_xlsx,
    read_member,
    read_upload,
    safe_zip,
)

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


XLSX = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
DOCX = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def test_read_upload_returns_the_bytes():
    assert read_upload(SimpleUploadedFile("a.pdf", PDF)) == PDF


def test_read_upload_refuses_an_empty_file():
    with pytest.raises(UploadRejected) as refused:
        read_upload(SimpleUploadedFile("a.pdf", b""))
    assert str(refused.value) == "文件为空。"


def test_read_upload_refuses_more_than_the_limit():
    with pytest.raises(UploadRejected) as refused:
        read_upload(SimpleUploadedFile("a.pdf", b"x" * (2**20 + 1)), max_bytes=2**20)
    assert str(refused.value) == "文件超过 1 MB。"


def test_read_upload_takes_exactly_the_limit():
    assert len(read_upload(SimpleUploadedFile("a.pdf", b"x" * 2**20), max_bytes=2**20)) == 2**20


def test_safe_zip_opens_a_plain_archive_and_reads_a_member():
    archive = safe_zip(XLSX)
    assert sorted(archive.namelist()) == ["[Content_Types].xml", "xl/workbook.xml"]
    assert read_member(archive, "xl/workbook.xml") == b"<workbook/>"


@pytest.mark.parametrize("data", [PDF, b"PK\x03\x04 damaged"])
def test_safe_zip_refuses_what_is_not_a_sound_zip(data):
    with pytest.raises(UploadRejected):
        safe_zip(data)


def test_check_xlsx_accepts_a_workbook_and_refuses_a_document():
    check_xlsx(XLSX)
    with pytest.raises(UploadRejected) as refused:
        check_xlsx(DOCX)
    assert str(refused.value) == "该文件不是 Excel .xlsx 工作簿。"


@pytest.mark.parametrize(("data", "expected"), [
    (PDF, ("application/pdf", "pdf")),
    (JPEG, ("image/jpeg", "jpg")),
    (DOCX, ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")),
    (XLSX, ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")),
])
def test_check_attachment_names_the_type_by_content(data, expected):
    assert check_attachment(data) == expected


@pytest.mark.parametrize("data", [b"plain text", zip_of({"a.txt": b"x"})])
def test_check_attachment_refuses_other_types(data):
    with pytest.raises(UploadRejected) as refused:
        check_attachment(data)
    assert str(refused.value) == "只接受 PDF、JPEG、PNG、Word（.docx）和 Excel（.xlsx）文件。"
