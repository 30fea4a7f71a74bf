"""Issued documents (文书): numbering, one-time storage with a hash, verification, access.

Every app that issues a formal document (acceptance and non-acceptance notices, tolerance
rulings, appeal decisions, adjustment proposals and decisions, clarification notices) calls
`document_issue` with a pure renderer `render(number, issued_on) -> (filename, content_type,
bytes)`. The number (文号, e.g. 甲组容〔2026〕7号) is allocated under a row lock on the
authority/year/series sequence, the renderer runs with that number, and the file is stored
once with its SHA-256. If anything fails, the whole transaction rolls back and the number is
not consumed, so numbers have no gaps and no duplicates.

Who may read a document is decided per kind by the app that owns the kind, through the
registry in core.document_access.

Documents are numbered per authority (cadres.Authority): that is core's one tie to a domain
app, and it lives in the schema (IssuedDocument and DocumentSequence point at the authority
by a foreign key named as a string). This module names Authority and Cadre for type
checking only, so core imports no domain app (the import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import mimetypes
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from . import audit
from .models import DocumentKind, DocumentSequence, IssuedDocument, User

if TYPE_CHECKING:  # annotations only: core never imports a domain app at run time
    from cadres.models import Authority, Cadre

__all__ = [
    "DocumentKind",
    "DocumentKeyConflict",
    "DocumentIntegrityError",
    "DocumentNumberTaken",
    "VerifyResult",
    "document_issue",
    "format_number",
    "normalize_number",
    "normalize_sha256",
    "verify_document",
    "read_document",
]

logger = logging.getLogger(__name__)

Renderer = Callable[[str, dt.date], tuple[str, str, bytes]]

_SHA256 = re.compile(r"[0-9a-f]{64}")
_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Brackets people type instead of the official 六角括号 〔〕.
_OPENING = str.maketrans({c: "〔" for c in "[［【(（"} | {c: "〕" for c in "]］】)）"})


class DocumentKeyConflict(ValueError):
    """The idempotency key already names a document of another kind, authority or series."""


class DocumentNumberTaken(ValueError):
    """Another authority already issued this number: their short names must differ."""


class DocumentIntegrityError(Exception):
    """The stored file no longer matches the SHA-256 recorded when it was issued."""


# --- pure helpers --------------------------------------------------------------------------


def format_number(short_name: str, series: str, year: int, seq: int) -> str:
    """The document number: 甲组 + 容 + 〔2026〕 + 7 + 号."""
    if not short_name or not series:
        raise ValueError("A document number needs the authority's short name and a series")
    if seq < 1:
        raise ValueError("Document serial numbers start at 1")
    return f"{short_name}{series}〔{year}〕{seq}号"


def normalize_number(text: str) -> str:
    """A number as typed by a person → the stored form (brackets and spaces tidied)."""
    return "".join(text.split()).translate(_OPENING)


def normalize_sha256(text: str) -> str | None:
    """Lower-case hex digest, or None when the text is not a SHA-256."""
    value = "".join(text.split()).lower()
    return value if _SHA256.fullmatch(value) else None


def sha256_of_chunks(chunks) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _clean_filename(filename: str) -> str:
    name = _CONTROL.sub("", PurePosixPath(filename.replace("\\", "/")).name).strip()
    if not name:
        raise ValueError("The renderer returned an empty file name")
    return name[:200]


def _storage_name(year: int, sha256: str, filename: str, content_type: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    if not _EXTENSION.fullmatch(suffix):
        suffix = mimetypes.guess_extension(content_type) or ""
    return f"documents/{year}/{sha256}{suffix}"


# --- issuing -------------------------------------------------------------------------------


def _existing(key: str, *, kind: str, authority: Authority, series: str) -> IssuedDocument | None:
    document = IssuedDocument.objects.filter(key=key).first()
    if document is None:
        return None
    if (document.kind, document.authority_id, document.series) != (kind, authority.pk, series):
        raise DocumentKeyConflict(
            f"Key {key!r} already names {document.number} "
            f"({document.kind}, authority {document.authority_id}, series {document.series})"
        )
    return document


def _lock_sequence(authority: Authority, year: int, series: str) -> DocumentSequence:
    """The sequence row, locked until the caller's transaction ends (created if new)."""
    lookup = {"authority": authority, "year": year, "series": series}
    sequence = DocumentSequence.objects.select_for_update().filter(**lookup).first()
    if sequence is not None:
        return sequence
    try:
        with transaction.atomic():
            DocumentSequence.objects.create(**lookup, last_number=0)
    except IntegrityError:
        pass  # a concurrent first issue created it; lock theirs
    return DocumentSequence.objects.select_for_update().get(**lookup)


def _store(name: str, content: bytes, written: list[str]) -> str:
    """Write the file once. The name holds the hash, so an existing file is the same file."""
    storage = IssuedDocument._meta.get_field("file").storage
    if storage.exists(name):
        return name
    saved = storage.save(name, ContentFile(content))
    written.append(saved)
    return saved


def _discard(written: list[str]) -> None:
    storage = IssuedDocument._meta.get_field("file").storage
    for name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not remove the orphaned document file %s", name)


_EMBEDDED_ISSUING = threading.Lock()


@contextmanager
def rendered_ahead(
    render: Renderer, *, authority: Authority, series: str, issued_on: dt.date | None = None
) -> Iterator[Renderer]:
    """Use around the caller's transaction that issues a document:

        with rendered_ahead(render, authority=..., series=...) as render, transaction.atomic():
            document_issue(..., render=render)

    On SQLite (the embedded default) a write transaction holds the lock of the whole
    database, and document_issue renders inside it: twenty rulings issued at once would make
    every other writer wait out twenty renderings. Here the file is rendered first, outside
    any transaction, for the number the sequence gives next, while document issuing in this
    process waits its turn (so that number is the one allocated; another process taking it
    meanwhile only means a second rendering). The write lock is then held for milliseconds.
    On PostgreSQL (one sequence row locked), or inside an enclosing transaction, the
    renderer is used as it is."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield render
        return
    on = issued_on or timezone.localdate()
    with _EMBEDDED_ISSUING:
        last = (
            DocumentSequence.objects.filter(authority=authority, year=on.year, series=series)
            .values_list("last_number", flat=True)
            .first()
        )
        number = format_number(authority.short_name, series, on.year, (last or 0) + 1)
        ahead = render(number, on)

        def rendered(number_now: str, on_now: dt.date) -> tuple[str, str, bytes]:
            if (number_now, on_now) == (number, on):
                return ahead
            return render(number_now, on_now)

        yield rendered


def document_issue(
    *,
    key: str,
    kind: str,
    authority: Authority,
    series: str,
    title: str,
    render: Renderer,
    subject: models.Model | None = None,
    cadre: Cadre | None = None,
    actor: User | None = None,
    issued_on: dt.date | None = None,
    supersedes: IssuedDocument | None = None,
    correction_reason: str = "",
) -> tuple[IssuedDocument, bool]:
    """Issue the document named by `key` once: (document, True), or (existing, False).

    Safe to call again for the same key (a redelivered task, a double click, two workers):
    the existing document is returned and `render` is not called. The number is allocated,
    the file rendered and stored, and the row and its audit written in one transaction
    while the sequence row is locked; a failure anywhere consumes no number.
    """
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind {kind!r}")
    if not key or len(key) > 200:
        raise ValueError("A document key is required (at most 200 characters)")
    if not series or len(series) > 8:
        raise ValueError("A document series is required (at most 8 characters)")
    if not title or len(title) > 200:
        raise ValueError("A document title is required (at most 200 characters)")

    existing = _existing(key, kind=kind, authority=authority, series=series)
    if existing is not None:
        return existing, False

    issued_on = issued_on or timezone.localdate()
    written: list[str] = []
    try:
        with transaction.atomic():
            sequence = _lock_sequence(authority, issued_on.year, series)
            # Another worker may have issued this key while we waited for the lock.
            existing = _existing(key, kind=kind, authority=authority, series=series)
            if existing is not None:
                return existing, False
            seq = sequence.last_number + 1
            number = format_number(authority.short_name, series, issued_on.year, seq)
            if IssuedDocument.objects.filter(number=number).exists():
                raise DocumentNumberTaken(
                    f"{number} was already issued by another authority; give "
                    f"{authority} a short name of its own"
                )
            filename, content_type, content = render(number, issued_on)
            if not isinstance(content, bytes) or not content:
                raise ValueError("The renderer returned no content")
            filename = _clean_filename(filename)
            sha256 = hashlib.sha256(content).hexdigest()
            stored = _store(
                _storage_name(issued_on.year, sha256, filename, content_type), content, written
            )
            DocumentSequence.objects.filter(pk=sequence.pk).update(last_number=seq)
            document = IssuedDocument.objects.create(
                number=number,
                authority=authority,
                year=issued_on.year,
                series=series,
                seq=seq,
                kind=kind,
                key=key,
                title=title,
                cadre=cadre,
                content_type=(
                    ContentType.objects.get_for_model(subject) if subject is not None else None
                ),
                object_id=subject.pk if subject is not None else None,
                subject_authority_id=getattr(subject, "authority_id", None),
                issued_on=issued_on,
                issued_by=actor if actor is not None and actor.pk else None,
                file=stored,
                sha256=sha256,
                size=len(content),
                content_type_header=content_type or "application/octet-stream",
                filename=filename,
                supersedes=supersedes,
                correction_reason=correction_reason,
            )
            audit.record(
                "document.issue",
                actor=actor,
                obj=document,
                after={
                    "number": number,
                    "kind": kind,
                    "title": title,
                    "cadre": cadre.pk if cadre is not None else None,
                    "issued_on": issued_on.isoformat(),
                    "sha256": sha256,
                    "size": len(content),
                    "key": key,
                    **({"supersedes": supersedes.number} if supersedes is not None else {}),
                },
                reason=correction_reason,
                authority_id=authority.pk,
            )
    except IntegrityError:
        # Only reachable when the same key raced in through a different sequence row.
        _discard(written)
        existing = _existing(key, kind=kind, authority=authority, series=series)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        _discard(written)
        raise
    return document, True


# --- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    status: Literal["genuine", "unknown", "mismatch"]
    document: IssuedDocument | None = None
    successor: IssuedDocument | None = None  # the correction that superseded a genuine one

    @property
    def genuine(self) -> bool:
        return self.status == "genuine"


def verify_document(number: str, sha256: str) -> VerifyResult:
    """Is this file (by its SHA-256) the document issued under this number?

    Only a genuine answer carries the document (and, when a correction superseded it, the
    successor); a mismatch says nothing about it.
    """
    document = (
        IssuedDocument.objects.select_related("authority", "supersedes")
        .filter(number=normalize_number(number))
        .first()
    )
    if document is None:
        return VerifyResult("unknown")
    digest = normalize_sha256(sha256) or ""
    if not hmac.compare_digest(document.sha256, digest):
        return VerifyResult("mismatch")
    successor = IssuedDocument.objects.filter(supersedes=document).first()
    return VerifyResult("genuine", document, successor)


def read_document(document: IssuedDocument) -> bytes:
    """The stored bytes, refused if they no longer match the hash taken at issue."""
    with document.file.open("rb") as handle:
        content = handle.read()
    if not hmac.compare_digest(hashlib.sha256(content).hexdigest(), document.sha256):
        raise DocumentIntegrityError(f"{document.number}: stored file does not match its hash")
    return content
