"""The electronic seal (电子印章) an authority may upload for its official documents.

GB/T 9704 7.3.5.1: the seal presses over 署名 and 成文日期. Where the authority has
uploaded a seal image, every document it issues prints it there (templates/pdf/official.html
through the ``seal_data_uri`` filter); otherwise the place is left blank for the physical
seal. A draft (草稿) never carries the seal.

The upload is checked by its content, not its name: a PNG (signature, chunk checksums,
IHDR, IEND) whose background is transparent (an alpha channel or a tRNS chunk), at most
MAX_SEAL_BYTES, each side between MIN_SIDE and MAX_SIDE pixels and nearly square (a seal
is round or square). The file is stored under a name carrying its SHA-256, so the admin's
audit row (core.admin_audit) names exactly which image was set or removed.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import struct
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.uploads import UploadRejected

logger = logging.getLogger(__name__)

MAX_SEAL_BYTES = 512 * 1024
MIN_SIDE = 200
MAX_SIDE = 2000
MAX_ASPECT = 1.25
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour types with an alpha channel: grey + alpha (4), RGBA (6).
ALPHA_TYPES = frozenset({4, 6})


@dataclass(frozen=True)
class SealImage:
    width: int
    height: int
    sha256: str


def _chunks(data: bytes):
    """(type, payload) of each chunk, checksums verified; UploadRejected when damaged."""
    position = len(PNG_SIGNATURE)
    while position < len(data):
        if position + 8 > len(data):
            raise UploadRejected(_("The seal image is damaged."))
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 8 + length + 4
        if end > len(data):
            raise UploadRejected(_("The seal image is damaged."))
        payload = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + payload) != crc:
            raise UploadRejected(_("The seal image is damaged."))
        yield kind, payload
        position = end
        if kind == b"IEND":
            return
    raise UploadRejected(_("The seal image is damaged."))


def check_seal_png(data: bytes) -> SealImage:
    """The seal's size and digest, or UploadRejected saying what is wrong (pure)."""
    if len(data) > MAX_SEAL_BYTES:
        raise UploadRejected(
            _("The seal image is larger than %(kb)d KB.") % {"kb": MAX_SEAL_BYTES // 1024}
        )
    if not data.startswith(PNG_SIGNATURE):
        raise UploadRejected(_("The seal image must be a PNG file."))
    header = None
    transparent = False
    for kind, payload in _chunks(data):
        if header is None:
            if kind != b"IHDR" or len(payload) != 13:
                raise UploadRejected(_("The seal image is damaged."))
            header = struct.unpack(">IIBB", payload[:10])
        elif kind == b"tRNS":
            transparent = True
    width, height, _depth, colour = header
    if colour in ALPHA_TYPES:
        transparent = True
    if not transparent:
        raise UploadRejected(
            _("The seal image has no transparent background (a PNG with an alpha channel).")
        )
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise UploadRejected(
            _("The seal image must be between %(low)d and %(high)d pixels on each side.")
            % {"low": MIN_SIDE, "high": MAX_SIDE}
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise UploadRejected(_("The seal image must be about as wide as it is high."))
    return SealImage(width, height, hashlib.sha256(data).hexdigest())


def seal_filename(authority_pk: int | None, image: SealImage) -> str:
    return f"authority-{authority_pk or 'new'}-{image.sha256[:16]}.png"


def seal_data_uri(authority) -> str:
    """A ``data:`` URI of the authority's seal for the PDF, or "" (none, or unreadable:
    the document then leaves the place blank for the physical seal, and says so in the log)."""
    seal = getattr(authority, "seal", None)
    if not seal:
        return ""
    try:
        with seal.open("rb") as handle:
            data = handle.read(MAX_SEAL_BYTES + 1)
        check_seal_png(data)
    except (OSError, UploadRejected) as error:
        logger.warning("Seal of authority %s not printed: %s", authority.pk, error)
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
