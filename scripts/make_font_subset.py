"""Make GB2312-coverage subsets of the CJK faces used for PDF rendering.

Noto Serif/Sans CJK SC (fonts-noto-cjk) and, for the GB/T 9704 official documents, the
Fandol 仿宋 (body), 宋 Bold (title, the closest free face to 小标宋) and 楷 (second-level
headings) from Debian's texlive-lang-chinese. Run once after installing both packages
(scripts/dev.sh and scripts/test.sh do all three):

    .venv/bin/python scripts/make_font_subset.py [--source-dir DIR] [--out-dir DIR] [--force]

Debian ships Noto CJK as .ttc collections holding the JP, KR, SC, TC and HK faces; this
picks the Simplified Chinese face by its family name, keeps every character of GB 2312
(6,763 hanzi plus symbols) together with ASCII, Latin-1 and the CJK/full-width punctuation
blocks, and writes one small OpenType file per face into var/fonts/. core.fonts uses these
first and the full collection as a fallback for rare characters (䶮, 㛃, 堃, 喆 ...).

The fonts are licensed under the SIL Open Font License 1.1 (no reserved font names); the
subsets are renamed ("... GB2312") so they are never confused with the full fonts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto")
FANDOL_SOURCE = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
DEFAULT_OUT = REPO / "var" / "fonts"

# (collection file, SC family name, output stem): the stems are what core.fonts looks for.
FACES = [
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Regular"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Bold"),
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Regular"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Bold"),
]
# Single-face OpenType files (the family is checked all the same).
FANDOL_FACES = [
    ("FandolFang-Regular.otf", "FandolFang", "FandolFang-Regular"),
    ("FandolSong-Bold.otf", "FandolSong", "FandolSong-Bold"),
    ("FandolKai-Regular.otf", "FandolKai", "FandolKai-Regular"),
]
PACKAGE = {DEFAULT_SOURCE: "fonts-noto-cjk", FANDOL_SOURCE: "texlive-lang-chinese"}
SUFFIX = "-GB2312.otf"

# Blocks kept whole besides GB 2312: ASCII and Latin-1, general punctuation, CJK symbols
# and punctuation (〇 、 。 《 》 【 】), enclosed numbers (①), full-width forms.
EXTRA_RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2000, 0x206F),
    (0x2100, 0x215F),
    (0x2160, 0x218F),
    (0x2460, 0x24FF),
    (0x2500, 0x25FF),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
]


def gb2312_codepoints() -> set[int]:
    """Every character encodable in GB 2312 (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    points: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            points.add(ord(char))
    return points


def wanted_codepoints() -> set[int]:
    points = gb2312_codepoints()
    for start, end in EXTRA_RANGES:
        points.update(range(start, end + 1))
    return points


def family_name(font: TTFont) -> str:
    name = font["name"]
    return str(name.getDebugName(16) or name.getDebugName(1) or "")


def sc_face_index(collection_path: Path, family: str) -> int:
    """Index of the face whose family is exactly `family` (not the Mono variant)."""
    if collection_path.suffix.lower() != ".ttc":
        with TTFont(str(collection_path), lazy=True) as font:
            if family_name(font) != family:
                raise SystemExit(f"{collection_path}: the face is not named {family!r}")
        return -1
    collection = TTCollection(str(collection_path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if family_name(font) == family:
                return index
    finally:
        collection.close()
    raise SystemExit(f"{collection_path}: no face named {family!r}")


def rename(font: TTFont, stem: str) -> None:
    """Give the subset its own names: '<family> GB2312', PostScript '<stem>-GB2312'."""
    table = font["name"]
    family = family_name(font)
    style = str(table.getDebugName(17) or table.getDebugName(2) or "Regular")
    new_family = f"{family} GB2312"
    for record in list(table.names):
        if record.nameID in (1, 16):
            table.setName(
                new_family, record.nameID, record.platformID, record.platEncID, record.langID
            )
        elif record.nameID == 4:
            table.setName(
                f"{new_family} {style}", 4, record.platformID, record.platEncID, record.langID
            )
        elif record.nameID == 6:
            table.setName(f"{stem}-GB2312", 6, record.platformID, record.platEncID, record.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [f"{stem}-GB2312"]


def make_subset(source: Path, family: str, stem: str, out_dir: Path, points: set[int]) -> Path:
    index = sc_face_index(source, family)
    font = TTFont(str(source), fontNumber=index, lazy=False)
    if "vhea" in font and "vmtx" not in font:  # a damaged vertical table would not save
        del font["vhea"]
    options = subset.Options()
    # Horizontal official documents: no locl (it would pull in the JP/KR/TC glyph variants).
    options.layout_features = ["ccmp", "kern", "vert", "vrt2"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = True
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    available = set(font.getBestCmap())
    subsetter.populate(unicodes=sorted(points & available))
    subsetter.subset(font)
    rename(font, stem)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}{SUFFIX}"
    # Written beside the directory, then moved in: var/fonts never holds half a font.
    handle, partial = tempfile.mkstemp(prefix=f".{stem}-", suffix=".part", dir=out_dir.parent)
    os.close(handle)
    try:
        font.save(partial)
        os.chmod(partial, 0o644)  # mkstemp makes it 0600; the web server's user must read it
        os.replace(partial, target)
    finally:
        font.close()
        if os.path.exists(partial):
            os.unlink(partial)
    return target


def check(target: Path, points: set[int], source: Path, family: str) -> int:
    """Every GB 2312 character the source face has must be in the subset."""
    with TTFont(str(target)) as written:
        have = set(written.getBestCmap())
    with TTFont(str(source), fontNumber=sc_face_index(source, family)) as full:
        full_cmap = set(full.getBestCmap())
    missing = (points & full_cmap) - have
    if missing:
        sample = "".join(chr(p) for p in sorted(missing)[:20])
        raise SystemExit(f"{target}: {len(missing)} characters missing, e.g. {sample}")
    return len(have)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--fandol-dir", type=Path, default=FANDOL_SOURCE)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)

    points = wanted_codepoints()
    faces = [(args.source_dir, *face, DEFAULT_SOURCE) for face in FACES] + [
        (args.fandol_dir, *face, FANDOL_SOURCE) for face in FANDOL_FACES
    ]
    for directory, collection, family, stem, default in faces:
        source = directory / collection
        if not source.is_file():
            print(
                f"error: {source} is missing; install it with "
                f"`apt-get install {PACKAGE[default]}`",
                file=sys.stderr,
            )
            return 1
        target = args.out_dir / f"{stem}{SUFFIX}"
        if not args.force and target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            print(f"{target.name}: up to date ({target.stat().st_size / 2**20:.1f} MB)")
            continue
        started = time.monotonic()
        make_subset(source, family, stem, args.out_dir, points)
        glyphs = check(target, points, source, family)
        print(
            f"{target.name}: {glyphs} characters, {target.stat().st_size / 2**20:.1f} MB, "
            f"{time.monotonic() - started:.0f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
