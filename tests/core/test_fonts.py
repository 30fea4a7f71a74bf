"""Chinese fonts for PDF rendering (core.fonts): found by path, subset first then the full
font, the GB/T 9704 faces falling back to the serif stack, and a loud failure naming the
setup step when none is there."""

from __future__ import annotations

import logging

import pytest

from core import fonts


def touch_subsets(directory, specs=fonts.FACE_SPECS):
    for spec in specs:
        (directory / spec.subset_file).write_bytes(b"x")


def test_font_css_subset_first_then_the_installed_full_font():
    faces = fonts.find_faces()
    assert [(f.family, f.weight, f.is_subset, f.by_name, f.path.name) for f in faces] == [
        ("Cadre Serif", 400, True, False, "NotoSerifCJKsc-Regular-GB2312.otf"),
        ("Noto Serif CJK SC", 400, False, True, "NotoSerifCJK-Regular.ttc"),
        ("Cadre Serif", 700, True, False, "NotoSerifCJKsc-Bold-GB2312.otf"),
        ("Noto Serif CJK SC", 700, False, True, "NotoSerifCJK-Bold.ttc"),
        ("Cadre Sans", 400, True, False, "NotoSansCJKsc-Regular-GB2312.otf"),
        ("Noto Sans CJK SC", 400, False, True, "NotoSansCJK-Regular.ttc"),
        ("Cadre Sans", 700, True, False, "NotoSansCJKsc-Bold-GB2312.otf"),
        ("Noto Sans CJK SC", 700, False, True, "NotoSansCJK-Bold.ttc"),
        ("Cadre FangSong", 400, True, False, "FandolFang-Regular-GB2312.otf"),
        ("Cadre Title Song", 400, True, False, "FandolSong-Bold-GB2312.otf"),
        ("Cadre Kai", 400, True, False, "FandolKai-Regular-GB2312.otf"),
    ]
    css = fonts.font_css()
    assert css.count("@font-face") == 7  # the subsets; fontconfig already has the full fonts
    assert 'html { font-family: "Cadre Serif", "Noto Serif CJK SC", serif; }' in css
    # GB/T 9704 faces, then the serif stack for characters outside GB 2312
    stack = '"Cadre Serif", "Noto Serif CJK SC", serif'
    assert f'.fangsong {{ font-family: "Cadre FangSong", {stack}; }}' in css
    assert f'.title-face {{ font-family: "Cadre Title Song", {stack}; }}' in css
    assert f'.kai {{ font-family: "Cadre Kai", {stack}; }}' in css
    assert '.sans { font-family: "Cadre Sans", "Noto Sans CJK SC", sans-serif; }' in css


def test_font_css_full_font_unknown_to_fontconfig_gets_an_alias(tmp_path):
    for spec in fonts.FACE_SPECS:
        (tmp_path / spec.subset_file).write_bytes(b"x")
        for full in spec.full_files[:1]:
            (tmp_path / full).write_bytes(b"x")  # e.g. NotoSerifCJKsc-Regular.otf
    css = fonts.font_css([tmp_path])
    assert css.count("@font-face") == 11
    full = (tmp_path / "NotoSerifCJKsc-Bold.otf").as_uri()
    assert (
        f'@font-face {{ font-family: "Cadre Serif Full"; src: url("{full}"); '
        "font-weight: 700; font-style: normal; }"
    ) in css
    assert 'html { font-family: "Cadre Serif", "Cadre Serif Full", serif; }' in css


def test_font_css_without_any_font_fails_loudly(tmp_path):
    with pytest.raises(fonts.FontsMissing) as exc:
        fonts.font_css([tmp_path])
    message = str(exc.value)
    assert f"No Chinese font for PDF style 'Cadre Serif' in {tmp_path}." in message
    assert "apt-get install fonts-noto-cjk" in message
    assert "scripts/make_font_subset.py" in message


def test_font_css_subset_only_warns_about_rare_characters(tmp_path, caplog):
    for spec in fonts.FACE_SPECS:
        (tmp_path / spec.subset_file).write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="core.fonts"):
        css = fonts.font_css([tmp_path])
    assert css.count("@font-face") == 7
    assert 'html { font-family: "Cadre Serif", serif; }' in css
    assert "characters outside GB2312 will be missing" in caplog.text


def test_font_css_without_document_faces_warns_and_falls_back(tmp_path, caplog):
    for spec in fonts.FACE_SPECS[:4]:
        (tmp_path / spec.subset_file).write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="core.fonts"):
        css = fonts.font_css([tmp_path])
    assert '.fangsong { font-family: "Cadre Serif", serif; }' in css
    assert "no Cadre FangSong face" in caplog.text
    assert "texlive-lang-chinese" in caplog.text


def test_harfbuzz_subsetting_is_available():
    """Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: ~11 s per CJK PDF."""
    assert fonts.harfbuzz_subset_available() is True


def test_full_fonts_alone_warn_that_the_subsets_are_missing(tmp_path, caplog):
    for spec in fonts.FACE_SPECS[:4]:
        (tmp_path / spec.full_files[0]).write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="core.fonts"):
        css = fonts.font_css([tmp_path])
    assert 'html { font-family: "Cadre Serif Full", serif; }' in css
    assert '.sans { font-family: "Cadre Sans Full", sans-serif; }' in css
    assert "no GB2312 subset for Cadre Serif" in caplog.text
    assert "no GB2312 subset for Cadre Sans" in caplog.text


def test_subsets_can_be_left_out_to_measure_the_full_fonts(tmp_path):
    touch_subsets(tmp_path)
    (tmp_path / "NotoSerifCJKsc-Regular.otf").write_bytes(b"x")
    faces = fonts.find_faces([tmp_path], subset=False)
    assert [(f.family, f.weight, f.is_subset) for f in faces] == [
        ("Cadre Serif Full", 400, False)
    ]


def test_a_missing_sans_style_fails_even_with_the_serif_there(tmp_path):
    touch_subsets(tmp_path, fonts.FACE_SPECS[:2])
    with pytest.raises(fonts.FontsMissing, match="No Chinese font for PDF style 'Cadre Sans'"):
        fonts.font_css([tmp_path])


def test_the_first_candidate_found_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (second / "NotoSerifCJKsc-Regular.otf").write_bytes(b"x")
    (second / "NotoSerifCJK-Regular.ttc").write_bytes(b"x")
    (first / "NotoSerifCJK-Regular.ttc").write_bytes(b"x")
    found = fonts._first(fonts.FACE_SPECS[0].full_files, [first, second])
    assert found == second / "NotoSerifCJKsc-Regular.otf"  # the better name, then the dir
    assert fonts._first(("nothing.otf",), [first, second]) is None


def test_a_face_known_to_fontconfig_needs_no_font_face_rule(tmp_path):
    path = tmp_path / "x.otf"
    assert fonts.FontFace(fonts.SERIF, "Noto Serif CJK SC", 400, path, False, True).css() == ""
    assert fonts.FontFace(fonts.SERIF, fonts.SERIF, 700, path, True).css() == (
        f'@font-face {{ font-family: "Cadre Serif"; src: url("{path.as_uri()}"); '
        "font-weight: 700; font-style: normal; }"
    )
