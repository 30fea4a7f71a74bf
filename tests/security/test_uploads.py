"""Uploads are judged by their bytes: polyglots, renamed executables, oversize files and
zip bombs are refused before anything is stored; downloads are attachments with nosniff."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.uploads import UploadRejected, check_attachment, check_xlsx, read_upload, safe_zip
from tolerance.errors import CaseError
from tolerance.filing import attachment_add
from tolerance.models import Attachment
from tolerance.models.case import AttachmentKind


@pytest.fixture(autouse=True)
def english():
    """Match the English msgids (the product answers in Chinese by default)."""
    with translation.override("en"):
        yield


def png(extra_chunks: bytes = b"", trailer: bytes = b"") -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra_chunks
        + chunk(b"IDAT", pixels) + chunk(b"IEND", b"") + trailer
    )


def text_chunk(text: bytes) -> bytes:
    body = b"Comment\x00" + text
    return (
        struct.pack(">I", len(body)) + b"tEXt" + body
        + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    )


PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<html><body><script>fetch('/cadres/').then(r=>r.text()).then(alert)</script></body>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def zip_of(members: dict[str, bytes], *, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bomb() -> bytes:
    """A .docx-shaped archive whose document expands from ~100 KB to 100 MB."""
    return zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document>" + b" " * (100 * 2**20),
        }
    )


# --- the checks themselves --------------------------------------------------------------


def test_plain_files_are_accepted():
    assert check_attachment(png()) == ("image/png", "png")
    assert check_attachment(PDF) == ("application/pdf", "pdf")
    docx = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert check_attachment(docx)[1] == "docx"


@pytest.mark.parametrize(
    "data",
    [
        png(trailer=HTML),  # HTML after IEND
        png(extra_chunks=text_chunk(HTML)),  # HTML inside a text chunk
        png(extra_chunks=text_chunk(b"<svg onload=alert(1)>")),
        PDF.replace(b"\n1 0 obj", b"\n%<script>alert(1)</script>\n1 0 obj"),
    ],
    ids=["png-trailer", "png-text-chunk", "png-svg", "pdf-html-header"],
)
def test_polyglots_are_refused(data):
    with pytest.raises(UploadRejected, match="markup"):
        check_attachment(data)


@pytest.mark.parametrize(
    "data",
    [EXE, ELF, HTML, b"#!/bin/sh\nrm -rf /\n", b"GIF89a" + b"\x00" * 20],
    ids=["windows-exe", "elf", "html", "script", "gif"],
)
def test_other_types_are_refused_whatever_their_name(data):
    with pytest.raises(UploadRejected, match="Only PDF"):
        check_attachment(data)


def test_oversize_uploads_are_refused_before_reading(settings):
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(UploadRejected, match="larger than"):
        read_upload(upload, max_bytes=1024)


def test_oversize_upload_without_a_declared_size_is_cut_at_the_limit():
    class Stream(io.BytesIO):
        size = None

    with pytest.raises(UploadRejected, match="larger than"):
        read_upload(Stream(b"x" * 5000), max_bytes=4096)


def test_empty_upload_is_refused():
    with pytest.raises(UploadRejected, match="empty"):
        read_upload(SimpleUploadedFile("e.pdf", b""))


def test_zip_bomb_is_refused():
    bomb = docx_bomb()
    assert len(bomb) < 200_000
    with pytest.raises(UploadRejected, match="decompression bomb"):
        safe_zip(bomb)
    with pytest.raises(UploadRejected, match="Only PDF"):
        check_attachment(bomb)
    with pytest.raises(UploadRejected, match="not an Excel"):
        check_xlsx(bomb)


def test_zip_over_the_unzipped_total_is_refused(settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 1000
    spread = zip_of({f"part{i}.xml": bytes(range(256)) * 2 for i in range(3)}, level=0)
    with pytest.raises(UploadRejected, match="decompression bomb"):
        safe_zip(spread)


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/x", "/etc/passwd", "C:/Windows/x.dll", "a/../../b"]
)
def test_zip_with_unsafe_paths_is_refused(name):
    with pytest.raises(UploadRejected, match="unsafe path"):
        safe_zip(zip_of({name: b"x"}))


# --- through the service that stores case attachments ------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", png(trailer=HTML), "markup"),
        ("证明材料.pdf", EXE, "Only PDF"),
        ("report.docx", docx_bomb(), "Only PDF"),
        ("scan.pdf", PDF + b"0" * 4096, "larger than"),
    ],
    ids=["polyglot", "exe-as-pdf", "zip-bomb", "oversize"],
)
def test_attachment_add_refuses_and_stores_nothing(
    flow, staff, media, settings, name, data, message
):
    if message == "larger than":
        settings.ATTACHMENT_MAX_BYTES = 4096
    case = flow.filed()
    with pytest.raises(CaseError, match=message):
        attachment_add(
            case,
            actor=staff.cadre,
            upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
            kind=AttachmentKind.EVIDENCE,
        )
    assert Attachment.objects.filter(case=case).count() == 0
    assert stored_files(media) == []


def test_attachment_add_names_the_file_by_its_content(flow, staff, media):
    case = flow.filed()
    attachment = attachment_add(
        case,
        actor=staff.cadre,
        upload=SimpleUploadedFile("情况说明.exe", PDF, content_type="application/x-msdownload"),
        kind=AttachmentKind.EVIDENCE,
    )
    assert (attachment.filename, attachment.content_type) == ("情况说明.pdf", "application/pdf")
    assert [p.suffix for p in stored_files(media)] == [".pdf"]


def test_attachment_download_is_an_attachment_with_nosniff(client, flow, staff, media):
    case = flow.filed()
    attachment = attachment_add(
        case,
        actor=staff.cadre,
        upload=SimpleUploadedFile("a.png", png(), content_type="image/png"),
        kind=AttachmentKind.EVIDENCE,
    )
    client.force_login(staff.cadre)
    response = client.get(
        reverse("tolerance:attachment_download", args=[case.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="a.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == png()
