"""Uploads kept on the server while a form is corrected.

A browser never keeps a chosen file when a form comes back with errors. When a form with a
file field fails (a wrong date, a refusal by the service) but the file itself passed its
checks (core.uploads), the file is kept here: in private storage, under its owner, for
KEPT_UPLOAD_SECONDS, named by an unguessable token that the page sends back in a hidden
field next to the file input. Sent again without a new file, the form uses the kept one; a
new file replaces it. A token that is not the user's own live upload (another user's, one
past its time, a made-up one) gives no file: the field asks for the file again.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

KEPT_DIR = "kept-uploads"
TOKEN_SUFFIX = "__kept"  # noqa: S105 (a field name: "<file field's html name>__kept")
MAX_TOKENS = 20  # per field; more is not a form anyone filled in
MAX_PER_OWNER = 40  # kept files per person: the oldest give way (bounds what one can store)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class KeptUpload:
    token: str
    name: str
    size: int
    content_type: str


def _owner_dir(owner_id: int) -> str:
    return f"{KEPT_DIR}/{int(owner_id)}"


def _data_path(owner_id: int, token: str) -> str:
    return f"{_owner_dir(owner_id)}/{token}.bin"


def _meta_path(owner_id: int, token: str) -> str:
    return f"{_owner_dir(owner_id)}/{token}.json"


def _now() -> float:
    return timezone.now().timestamp()


def _expired(kept_at: float, now: float) -> bool:
    return now - kept_at > settings.KEPT_UPLOAD_SECONDS


def _remove(owner_id: int, token: str) -> None:
    for path in (_data_path(owner_id, token), _meta_path(owner_id, token)):
        default_storage.delete(path)


def _owner_metas(owner_id: int) -> list[tuple[float, str]]:
    """(kept_at, token) of each of the owner's kept uploads, oldest first."""
    if not default_storage.exists(_owner_dir(owner_id)):
        return []
    found = []
    for name in default_storage.listdir(_owner_dir(owner_id))[1]:
        token, _dot, suffix = name.rpartition(".")
        if suffix != "json" or not _TOKEN.match(token):
            continue
        with default_storage.open(_meta_path(owner_id, token), "rb") as handle:
            found.append((json.loads(handle.read()).get("kept_at", 0), token))
    return sorted(found)


def keep(owner, upload) -> KeptUpload:
    """Store `upload` (already checked) for `owner`; its token goes into the page. The
    owner's expired uploads go, and the oldest beyond MAX_PER_OWNER."""
    purge_expired(owner_id=owner.pk)
    kept_now = _owner_metas(owner.pk)
    for _kept_at, token in kept_now[: max(len(kept_now) - MAX_PER_OWNER + 1, 0)]:
        _remove(owner.pk, token)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    token = secrets.token_urlsafe(24)  # 32 characters, 192 random bits
    kept = KeptUpload(
        token=token,
        name=(getattr(upload, "name", "") or "")[-200:],
        size=len(data),
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
    )
    meta = {"name": kept.name, "size": kept.size, "content_type": kept.content_type,
            "kept_at": _now()}
    default_storage.save(_data_path(owner.pk, token), ContentFile(data))
    default_storage.save(_meta_path(owner.pk, token), ContentFile(json.dumps(meta).encode()))
    return kept


def find(owner, token: str) -> KeptUpload | None:
    """`owner`'s live kept upload named by `token`; None for anything else. An expired one is
    deleted on the way."""
    if owner is None or not owner.pk or not _TOKEN.match(token or ""):
        return None
    path = _meta_path(owner.pk, token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        meta = json.loads(handle.read())
    if _expired(meta["kept_at"], _now()) or not default_storage.exists(
        _data_path(owner.pk, token)
    ):
        _remove(owner.pk, token)
        return None
    return KeptUpload(token, meta["name"], meta["size"], meta["content_type"])


def reopen(owner, kept: KeptUpload) -> SimpleUploadedFile:
    """The kept file as an upload, as if chosen again; it remembers it was kept."""
    with default_storage.open(_data_path(owner.pk, kept.token), "rb") as handle:
        upload = SimpleUploadedFile(kept.name, handle.read(), kept.content_type)
    upload.kept = kept
    return upload


def discard(owner, token: str) -> None:
    if owner is not None and owner.pk and _TOKEN.match(token or ""):
        _remove(owner.pk, token)


def purge_expired(*, owner_id: int | None = None) -> int:
    """Delete the kept uploads past their time (of one owner, or of everyone)."""
    now = _now()
    if not default_storage.exists(KEPT_DIR):
        return 0
    owners = [owner_id] if owner_id is not None else [
        int(name) for name in default_storage.listdir(KEPT_DIR)[0] if name.isdigit()
    ]
    removed = 0
    for pk in owners:
        for kept_at, token in _owner_metas(pk):
            if _expired(kept_at, now):
                _remove(pk, token)
                removed += 1
    return removed


class KeepsUploads:
    """Form mixin: the file fields named in `kept_fields` survive a failed submission.

    The form takes `owner=` (the user filling it in). Bound, it first takes back the kept
    uploads named by the hidden tokens (unless a new file was chosen); when it comes back
    with errors, the uploads of its valid file fields are kept and `kept` maps each field
    to its KeptUploads, for the page to show and to send back. A view whose service refuses
    a valid form calls `keep_uploads()`; after success, `discard_kept()`.
    """

    kept_fields: tuple[str, ...] = ()
    lost_message = _("The file kept from your last attempt is no longer available: "
                     "choose it again.")

    def __init__(self, *args, owner=None, **kwargs):
        self.owner = owner
        self.kept: dict[str, list[KeptUpload]] = {}
        self._lost: list[str] = []
        super().__init__(*args, **kwargs)

    def _tokens(self, name: str) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        key = self.add_prefix(name) + TOKEN_SUFFIX
        return [t for t in (getlist(key) if getlist else [self.data.get(key)]) if t][:MAX_TOKENS]

    def _take_back_kept(self) -> None:
        files = self.files if isinstance(self.files, MultiValueDict) else MultiValueDict(
            {k: v if isinstance(v, list) else [v] for k, v in dict(self.files).items()}
        )
        files = files.copy()
        for name in self.kept_fields:
            key = self.add_prefix(name)
            tokens = self._tokens(name)
            if name not in self.fields or not tokens or any(files.getlist(key)):
                continue  # nothing kept, or a new choice replaces what was kept
            found = [find(self.owner, token) for token in tokens]
            if None in found:
                self._lost.append(name)
                continue
            files.setlist(key, [reopen(self.owner, kept) for kept in found])
        self.files = files

    def full_clean(self):
        if self.is_bound:
            self._lost = []
            self._take_back_kept()
        super().full_clean()
        if not self.is_bound:
            return
        for name in self._lost:
            self._errors.pop(name, None)  # "required" says less than why the file is gone
            self.add_error(name, self.lost_message)
        if self._errors:
            self.keep_uploads()
        restyle = getattr(self, "full_clean_style", None)
        if self._lost and restyle is not None:
            restyle()

    def keep_uploads(self) -> None:
        """Keep the uploads of the file fields that passed their checks."""
        if self.owner is None or not self.owner.pk:
            return
        for name in self.kept_fields:
            if name not in self.fields or name in self.errors or name in self.kept:
                continue
            uploads = [u for u in self.files.getlist(self.add_prefix(name)) if u]
            if uploads:
                self.kept[name] = [getattr(u, "kept", None) or keep(self.owner, u)
                                   for u in uploads]

    def discard_kept(self) -> None:
        """After success: the kept files are attached now, delete the copies."""
        for name in self.kept_fields:
            for upload in self.files.getlist(self.add_prefix(name)):
                kept = getattr(upload, "kept", None)
                if kept is not None:
                    discard(self.owner, kept.token)
