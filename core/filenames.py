"""File names that every system can create: for entries of exported archives and for
downloads (Windows being the strictest: no <>:"/\\|?*, no control characters, no trailing
dot or space, no device names such as CON or LPT1, and a bounded length)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
MAX_NAME = 120  # characters, extension included; leaves room for the folders in a ZIP


def safe_name(name: str, *, fallback: str = "file", max_length: int = MAX_NAME) -> str:
    """`name` with every forbidden character replaced by "_", cut to `max_length`
    characters keeping the extension, never empty, never a reserved device name."""
    cleaned = FORBIDDEN.sub("_", name).strip().rstrip(". ")
    if not cleaned.strip("_"):
        cleaned = fallback
    path = PurePosixPath(cleaned)
    stem, suffix = path.stem, path.suffix if len(path.suffix) <= 10 else ""
    if stem.split(".")[0].upper() in RESERVED:
        stem = f"_{stem}"
    stem = stem[: max(1, max_length - len(suffix))].rstrip(". ") or fallback
    return f"{stem}{suffix}"
