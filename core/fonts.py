"""Chinese fonts for PDF rendering: found by path, never by whatever happens to be installed.

Every PDF style (serif, sans; regular and bold) uses, in this order:

1. ``Cadre Serif`` / ``Cadre Sans``: a GB 2312 subset of Noto Serif/Sans CJK SC made by
   ``scripts/make_font_subset.py`` into ``var/fonts`` (2–3 MB, fast to load and embed);
2. the full Noto CJK SC font, for the rare characters outside GB 2312 that people's names
   do use (䶮, 㛃, 堃, 昇, 喆, 赟).

Official documents (GB/T 9704) add three faces, GB 2312 subsets of the Fandol fonts from
Debian's texlive-lang-chinese: ``Cadre FangSong`` (body, class ``fangsong``), ``Cadre Title
Song`` (masthead and title, class ``title-face``: Fandol 宋 Bold, the closest free face to
小标宋) and ``Cadre Kai`` (second-level headings, class ``kai``); each falls back to the serif
stack, so rare characters still print.

All are looked up in ``settings.PDF_FONT_DIRS`` (``var/fonts`` then the Debian
``fonts-noto-cjk`` directory). When neither is present for a style, `font_face_css` raises
`FontsMissing` naming the setup step, instead of letting WeasyPrint draw empty boxes.

The full font is a .ttc collection (JP, KR, SC, TC, HK faces) on Debian. When fontconfig
already indexes that very file, the CSS names it by its family (``Noto Serif CJK SC``):
the SC face exactly, and no copy. Otherwise it gets an ``@font-face`` under the alias
``Cadre Serif Full``; WeasyPrint then copies the file for each worker and fontconfig picks
the face by the document language, which is why PDF templates declare ``lang="zh-Hans"``.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SERIF = "Cadre Serif"
SANS = "Cadre Sans"
# GB/T 9704 official documents: body 仿宋, title and masthead 小标宋 (Fandol 宋 Bold is the
# closest free face), second-level headings 楷体 (first-level ones use SANS, a 黑体).
FANGSONG = "Cadre FangSong"
TITLE = "Cadre Title Song"
KAI = "Cadre Kai"
FULL_SUFFIX = " Full"
GENERIC = {SERIF: "serif", SANS: "sans-serif"}
# The document faces cover GB 2312 only; a rare character falls back to the serif stack
# (the full Noto Serif), so a name like 刘䶮 still prints.
FALLBACK = {FANGSONG: SERIF, TITLE: SERIF, KAI: SERIF}
# CSS selector for each document face.
DOCUMENT_SELECTORS = {FANGSONG: ".fangsong", TITLE: ".title-face", KAI: ".kai"}

SETUP_HINT = (
    "Install the fonts with `apt-get install fonts-noto-cjk texlive-lang-chinese` and run "
    "`.venv/bin/python scripts/make_font_subset.py` (scripts/dev.sh and scripts/test.sh do "
    "both, through scripts/_common.sh)."
)


class FontsMissing(RuntimeError):
    """No usable Chinese font for a PDF style; the message names the setup step."""


@dataclass(frozen=True)
class FaceSpec:
    family: str  # CSS family of the subset
    weight: int
    style: str  # fontconfig style of the full face
    system_family: str  # family name of the full face
    subset_file: str
    full_files: tuple[str, ...]  # candidates, best first


FACE_SPECS = (
    FaceSpec(SERIF, 400, "Regular", "Noto Serif CJK SC", "NotoSerifCJKsc-Regular-GB2312.otf",
             ("NotoSerifCJKsc-Regular.otf", "NotoSerifCJK-Regular.ttc")),
    FaceSpec(SERIF, 700, "Bold", "Noto Serif CJK SC", "NotoSerifCJKsc-Bold-GB2312.otf",
             ("NotoSerifCJKsc-Bold.otf", "NotoSerifCJK-Bold.ttc")),
    FaceSpec(SANS, 400, "Regular", "Noto Sans CJK SC", "NotoSansCJKsc-Regular-GB2312.otf",
             ("NotoSansCJKsc-Regular.otf", "NotoSansCJK-Regular.ttc")),
    FaceSpec(SANS, 700, "Bold", "Noto Sans CJK SC", "NotoSansCJKsc-Bold-GB2312.otf",
             ("NotoSansCJKsc-Bold.otf", "NotoSansCJK-Bold.ttc")),
    FaceSpec(FANGSONG, 400, "Regular", "FandolFang", "FandolFang-Regular-GB2312.otf", ()),
    FaceSpec(TITLE, 400, "Bold", "FandolSong", "FandolSong-Bold-GB2312.otf", ()),
    FaceSpec(KAI, 400, "Regular", "FandolKai", "FandolKai-Regular-GB2312.otf", ()),
)  # fmt: skip


@dataclass(frozen=True)
class FontFace:
    style_family: str  # SERIF or SANS: the style this face serves
    family: str  # the name CSS uses for it
    weight: int
    path: Path
    is_subset: bool
    by_name: bool = False  # fontconfig knows the file: no @font-face needed

    def css(self) -> str:
        if self.by_name:
            return ""
        return (
            f'@font-face {{ font-family: "{self.family}"; src: url("{self.path.as_uri()}"); '
            f"font-weight: {self.weight}; font-style: normal; }}"
        )


def font_dirs() -> list[Path]:
    return [Path(d) for d in settings.PDF_FONT_DIRS]


def _first(names: tuple[str, ...], dirs: list[Path]) -> Path | None:
    for name in names:
        for directory in dirs:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


@functools.lru_cache(maxsize=32)
def fontconfig_file(family: str, style: str) -> Path | None:
    """The file fontconfig (as WeasyPrint sees it) uses for this family and style."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcPatternAddString(pattern, b"style", style.encode())
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
    if match == ffi.NULL:
        return None
    try:
        value = ffi.new("FcChar8 **")
        fontconfig.FcPatternGetString(match, b"family", 0, value)
        if ffi.string(value[0]).decode() != family:
            return None
        fontconfig.FcPatternGetString(match, b"style", 0, value)
        if ffi.string(value[0]).decode() != style:
            return None
        fontconfig.FcPatternGetString(match, b"file", 0, value)
        return Path(ffi.string(value[0]).decode())
    finally:
        fontconfig.FcPatternDestroy(match)


def _full_face(spec: FaceSpec, path: Path) -> FontFace:
    known = fontconfig_file(spec.system_family, spec.style)
    if known is not None and known.resolve() == path.resolve():
        return FontFace(spec.family, spec.system_family, spec.weight, path, False, by_name=True)
    return FontFace(spec.family, spec.family + FULL_SUFFIX, spec.weight, path, False)


def find_faces(dirs: list[Path] | None = None, *, subset: bool = True) -> list[FontFace]:
    """The font files present, subset and full, for every style and weight.

    With ``subset=False`` the subsets are ignored (used to measure the full fonts alone).
    """
    dirs = font_dirs() if dirs is None else dirs
    faces: list[FontFace] = []
    for spec in FACE_SPECS:
        small = _first((spec.subset_file,), dirs) if subset else None
        if small:
            faces.append(FontFace(spec.family, spec.family, spec.weight, small, True))
        full = _first(spec.full_files, dirs)
        if full:
            faces.append(_full_face(spec, full))
    return faces


def check_faces(faces: list[FontFace], dirs: list[Path] | None = None) -> None:
    """Raise FontsMissing unless each style has a regular face; warn about weak setups."""
    dirs = font_dirs() if dirs is None else dirs
    for family in (SERIF, SANS):
        regular = [f for f in faces if f.style_family == family and f.weight == 400]
        if not regular:
            raise FontsMissing(
                f"No Chinese font for PDF style {family!r} in {', '.join(map(str, dirs))}. "
                + SETUP_HINT
            )
        if not any(f.is_subset for f in regular):
            logger.warning(
                "PDF fonts: no GB2312 subset for %s; using the full font. %s", family, SETUP_HINT
            )
        if all(f.is_subset for f in regular):
            logger.warning(
                "PDF fonts: no full font for %s; characters outside GB2312 will be missing. %s",
                family,
                SETUP_HINT,
            )


def _names(faces: list[FontFace], style_family: str) -> list[str]:
    names: list[str] = []
    for face in sorted(faces, key=lambda f: not f.is_subset):
        if face.style_family == style_family and face.family not in names:
            names.append(face.family)
    return names


def font_stack(faces: list[FontFace], style_family: str) -> str:
    """The CSS font-family list for a style: subset first, then the full font; a document
    face continues with its fallback style's stack."""
    names = _names(faces, style_family)
    base = FALLBACK.get(style_family)
    if base:
        names += [n for n in _names(faces, base) if n not in names]
        style_family = base
    return ", ".join([f'"{name}"' for name in names] + [GENERIC[style_family]])


def check_document_faces(faces: list[FontFace]) -> None:
    """Warn (documents fall back to the serif face) when a GB/T 9704 face is missing."""
    for family in FALLBACK:
        if not any(f.style_family == family for f in faces):
            logger.warning(
                "PDF fonts: no %s face; official documents use the serif face instead. "
                "Install texlive-lang-chinese and run scripts/make_font_subset.py.",
                family,
            )


def font_css(dirs: list[Path] | None = None, *, subset: bool = True) -> str:
    """@font-face rules and the serif (default) / ``.sans`` stacks, or FontsMissing."""
    faces = find_faces(dirs, subset=subset)
    check_faces(faces, dirs)
    check_document_faces(faces)
    rules = [css for face in faces if (css := face.css())]
    rules.append(f"html {{ font-family: {font_stack(faces, SERIF)}; }}")
    for family, selector in DOCUMENT_SELECTORS.items():
        rules.append(f"{selector} {{ font-family: {font_stack(faces, family)}; }}")
    rules.append(f".sans {{ font-family: {font_stack(faces, SANS)}; }}")
    return "\n".join(rules)


def harfbuzz_subset_available() -> bool:
    """WeasyPrint embeds fonts ~50x faster with libharfbuzz-subset than with fontTools."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
