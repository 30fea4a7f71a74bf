"""Checking uploaded files by their content, not their name.

Every upload path calls one of these before parsing anything. Each raises
`UploadRejected` with a translated message; nothing is written before the check passes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ZIP_MEMBERS = 20_000
MAX_COMPRESSION_RATIO = 200


class UploadRejected(ValueError):
    pass


@dataclass(frozen=True)
class ZipMember:
    name: str
    size: int


def read_upload(upload, *, max_bytes: int | None = None) -> bytes:
    """The whole upload as bytes, refusing anything over the size limit."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    if not data:
        raise UploadRejected(_("The file is empty."))
    return data


def safe_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip after refusing path traversal, encryption and decompression bombs."""
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRejected(_("The file is not a zip archive."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError):
        raise UploadRejected(_("The zip archive is damaged.")) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UploadRejected(_("The zip archive holds too many files."))
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            message = _("The zip archive holds an unsafe path: %(name)s")
            raise UploadRejected(message % {"name": name})
        if info.flag_bits & 0x1:
            raise UploadRejected(_("Encrypted zip archives are not accepted."))
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > settings.UPLOAD_MAX_UNZIPPED_BYTES or ratio > MAX_COMPRESSION_RATIO:
            raise UploadRejected(_("The zip archive expands too much (a decompression bomb?)."))
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read one member, never more than its declared size (guards lying headers)."""
    info = archive.getinfo(name)
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise UploadRejected(_("The zip archive is damaged."))
    return data


def check_xlsx(data: bytes) -> None:
    """An .xlsx is a zip holding the Office Open XML workbook parts."""
    try:
        archive = safe_zip(data)
    except UploadRejected:
        raise UploadRejected(_("The file is not an Excel .xlsx workbook.")) from None
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRejected(_("The file is not an Excel .xlsx workbook."))


# Attachment types accepted as evidence: detected from the bytes, never from the name.
ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


# Markup that a browser sniffing content could run as a page: refused inside images and
# near the start of a PDF (PNG+HTML and PDF+HTML polyglots), whatever the declared type.
_MARKUP_RE = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|object|embed|svg|meta|a\s+href|img\s)",
    re.IGNORECASE,
)
PDF_SNIFF_BYTES = 1024


def _holds_markup(data: bytes, media_type: str) -> bool:
    if media_type == "application/pdf":
        return bool(_MARKUP_RE.search(data[:PDF_SNIFF_BYTES]))
    return bool(_MARKUP_RE.search(data))


def check_attachment(data: bytes) -> tuple[str, str]:
    """(media type, extension) of an accepted attachment, judged by content; else rejected."""
    import filetype

    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(safe_zip(data).namelist())
        except UploadRejected:
            names = set()
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            return kind, "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return kind, "xlsx"
        raise UploadRejected(
            _("Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted.")
        )
    guess = filetype.guess(data)
    if guess is None or guess.mime not in ATTACHMENT_TYPES:
        raise UploadRejected(
            _("Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted.")
        )
    if _holds_markup(data, guess.mime):
        raise UploadRejected(_("The file holds web page markup and is not accepted."))
    return guess.mime, ATTACHMENT_TYPES[guess.mime]
