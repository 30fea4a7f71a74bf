"""A kind of import registered as an app registers one (core.imports), for the tests of
core.imports and its page: a "lines" file, one row per line, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import imports
from core.enums import Role
from core.imports import ImportKind, ImportOutcome, import_request
from core.models import ImportJob
from core.uploads import UploadRejected
from tests.factories import make_user
from tests.importing import private_media  # noqa: F401 - autouse where imported

__all__ = ["clerk", "kind", "private_media"]  # the fixtures

KIND = "tests.lines"


def _check(data: bytes, options: dict) -> None:
    if not data.startswith(b"LINES"):
        raise UploadRejected("不是行文件。")


def _run(run) -> ImportOutcome:
    """Each line after the first is a row; a line "bad" is an error; all or nothing."""
    lines = run.data.decode().splitlines()[1:]
    for done in range(len(lines)):
        run.progress(done, len(lines))
    run.progress(len(lines), len(lines))
    errors = [[n, "行", line, "坏行"] for n, line in enumerate(lines, start=2) if line == "bad"]
    if errors:
        return ImportOutcome(errors=errors)
    if "boom" in lines:
        raise RuntimeError("importer broke")
    if "disk" in lines:
        raise OSError("disk full")
    return ImportOutcome(counts={"written": len(lines)}, details=[[line] for line in lines])


@pytest.fixture
def kind(monkeypatch):
    monkeypatch.setitem(imports.KINDS, KIND, None)  # removed again after the test
    del imports.KINDS[KIND]  # registered below as an app does
    registered = ImportKind(
        label="行文件导入",
        may_import=lambda user: user.has_role(Role.ADMIN, Role.INTAKE_CLERK),
        check=_check,
        run=_run,
        back_url="home",
        counts=(("written", "写入行数"),),
        detail_headers=lambda: ["行"],
    )
    imports.register_import_kind(KIND, registered)
    return registered


@pytest.fixture
def clerk(db):
    return make_user("import_clerk", Role.INTAKE_CLERK)


def upload(content: bytes, name: str = "rows.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def queued(user, content: bytes = b"LINES\na\nb\n", **options) -> ImportJob:
    """A job recorded as the request records it; its task not run."""
    return import_request(user, KIND, upload(content), options=options)


def stored(name: str) -> bool:
    return bool(name) and ImportJob._meta.get_field("upload").storage.exists(name)
