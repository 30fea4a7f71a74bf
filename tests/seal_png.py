"""PNG images for the electronic-seal tests, made here without an image library."""

from __future__ import annotations

import struct
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(width: int, height: int, *, colour: int = 6, trns: bool = False, ring=True) -> bytes:
    """A ``width`` × ``height`` PNG (8 bits): colour type 6 (RGBA) draws a red ring on a
    transparent ground; 2 (RGB) a red ring on white, with a tRNS chunk if asked."""
    channels = {6: 4, 2: 3}[colour]
    cx, cy, outer = width / 2, height / 2, min(width, height) / 2 - 1
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            distance = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
            inked = ring and outer * 0.86 <= distance <= outer
            if colour == 6:
                row += b"\xd4\x00\x00\xff" if inked else b"\x00\x00\x00\x00"
            else:
                row += b"\xd4\x00\x00" if inked else b"\xff\xff\xff"
        rows.append(bytes(row))
    assert all(len(r) == 1 + width * channels for r in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    extra = chunk(b"tRNS", b"\x00\xff\x00\xff\x00\xff") if trns else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
