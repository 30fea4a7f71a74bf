"""Backup and restore, as documented in the README (scripts/backup.sh, scripts/restore.sh):
a database dump and the stored files, restored into an empty database and an empty media
directory, give the same cases and the same documents, whose files still match their
SHA-256 (core.documents.read_document checks it)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent, IssuedDocument
from tests.faults.conftest import ROOT, app_env, database_url
from tolerance.filing import attachment_add
from tolerance.models import Attachment, Case
from tolerance.models.case import AttachmentKind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Runs in a fresh process configured only by its environment: the restored instance.
READ_BACK = """
import hashlib, json, django
django.setup()
from core.documents import read_document
from core.models import AuditEvent, IssuedDocument
from tolerance.models import Attachment, Case
print(json.dumps({
    "cases": [[c.pk, c.reference, c.state] for c in Case.objects.order_by("pk")],
    "documents": [
        [d.number, d.sha256, hashlib.sha256(read_document(d)).hexdigest()]
        for d in IssuedDocument.objects.order_by("pk")
    ],
    "attachments": [
        [a.pk, a.sha256, hashlib.sha256(a.file.open("rb").read()).hexdigest()]
        for a in Attachment.objects.order_by("pk")
    ],
    "audit": AuditEvent.objects.count(),
}))
"""


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def run(args: list[str], env: dict[str, str], *, check: bool = True):
    result = subprocess.run(  # noqa: S603 (fixed test commands)
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def var_dir(settings, tmp_path) -> Path:
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(var / "media")},
        },
    }
    return var


@pytest.fixture
def empty_database():
    """An empty database next to the test database, dropped afterwards."""
    source = database_url()
    name = urlsplit(source).path.lstrip("/") + "_restore"
    admin = with_database(source, "postgres")
    env = {"PATH": "/usr/bin:/bin"}
    run(["psql", admin, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], env)
    run(["psql", admin, "-c", f'CREATE DATABASE "{name}"'], env)
    yield with_database(source, name)
    run(["psql", admin, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], env)


def test_backup_restored_into_an_empty_instance_is_the_same(
    flow, staff, var_dir, tmp_path, empty_database
):
    case = flow.fed_back()  # acceptance notice and ruling issued, as PDFs
    draft = flow.filed()
    attachment_add(
        draft,
        actor=staff.cadre,
        upload=SimpleUploadedFile("情况说明.pdf", PDF),
        kind=AttachmentKind.EVIDENCE,
    )
    expected = {
        "cases": [[c.pk, c.reference, c.state] for c in Case.objects.order_by("pk")],
        "documents": [
            [d.number, d.sha256, d.sha256] for d in IssuedDocument.objects.order_by("pk")
        ],
        "attachments": [[a.pk, a.sha256, a.sha256] for a in Attachment.objects.order_by("pk")],
        "audit": AuditEvent.objects.count(),
    }
    assert [row[0] for row in expected["cases"]] == [case.pk, draft.pk]
    assert len(expected["documents"]) == 2  # the acceptance notice and the ruling
    assert len(expected["attachments"]) == 1

    backup_dir = tmp_path / "backup"
    out = run(
        ["bash", "scripts/backup.sh", str(backup_dir)],
        app_env(var_dir, BACKUP_STAMP="test"),
    ).stdout.split()
    assert out == [str(backup_dir / "cadres-test.dump"), str(backup_dir / "media-test.tar.gz")]

    restored = tmp_path / "restored"
    restore_env = app_env(restored, DATABASE_URL=empty_database)
    run(["bash", "scripts/restore.sh", *out], restore_env)
    result = run([sys.executable, "-c", READ_BACK], restore_env)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected

    # The restored files are the same bytes as the originals.
    for document in IssuedDocument.objects.all():
        copy = restored / "media" / document.file.name
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == document.sha256

    # A second restore over the first is refused: backups are restored fresh, not merged.
    again = run(["bash", "scripts/restore.sh", *out], restore_env, check=False)
    assert again.returncode == 1
    assert "already has" in again.stderr


def test_restore_refuses_a_media_directory_with_files(tmp_path, empty_database, var_dir):
    out = run(
        ["bash", "scripts/backup.sh", str(tmp_path / "backup")],
        app_env(var_dir, BACKUP_STAMP="test"),
    ).stdout.split()
    restored = tmp_path / "restored"
    (restored / "media").mkdir(parents=True)
    (restored / "media" / "stray.pdf").write_bytes(PDF)
    result = run(
        ["bash", "scripts/restore.sh", *out],
        app_env(restored, DATABASE_URL=empty_database),
        check=False,
    )
    assert result.returncode == 1
    assert "already holds files" in result.stderr
