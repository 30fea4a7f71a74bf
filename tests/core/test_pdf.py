"""PDF rendering with the project's Chinese fonts (core.fonts, core.pdf, the subset script)."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from core import fonts
from core.pdf import html_to_pdf, in_chinese, letterhead_size, local_only_fetcher, render_pdf

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import make_font_subset  # noqa: E402

RARE_NAME = "刘䶮㛃"  # U+4DAE and U+36C3: outside GB 2312
COMMON_NAME = "张三丰"


def pdftotext(content: bytes) -> str:
    command = ["pdftotext", "-", "-"]
    result = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603
    return result.stdout.decode()


def embedded_fonts(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    command = ["pdffonts", str(path)]
    out = subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603
    return sorted(line.split()[0].split("+", 1)[1] for line in out.splitlines()[2:])


def page(text: str, css_class: str = "") -> str:
    return (
        f'<!doctype html><html lang="zh-Hans"><body><p class="{css_class}">{text}</p></body></html>'
    )


def test_setup_made_the_gb2312_subsets():
    """scripts/make_font_subset.py ran (setup): every subset has GB 2312 and no rare chars."""
    gb2312 = make_font_subset.gb2312_codepoints()
    assert len(gb2312) == 7445
    for _collection, _family, stem in make_font_subset.FACES:
        path = Path(settings.PDF_FONT_DIRS[0]) / f"{stem}{make_font_subset.SUFFIX}"
        with TTFont(str(path)) as font:
            cmap = set(font.getBestCmap())
            assert gb2312 <= cmap
            assert not {ord(c) for c in "䶮㛃堃昇喆赟"} & cmap
            assert font["name"].getDebugName(6) == f"{stem}-GB2312"


def test_render_pdf_without_fonts_raises(settings, tmp_path):
    settings.PDF_FONT_DIRS = [str(tmp_path)]
    with pytest.raises(fonts.FontsMissing):
        render_pdf("pdf/base.html", {})


def test_common_name_uses_only_the_subset(tmp_path):
    content = html_to_pdf(page(COMMON_NAME))
    assert content.startswith(b"%PDF-")
    assert pdftotext(content).strip() == COMMON_NAME
    assert embedded_fonts(content, tmp_path) == ["Cadre-Serif"]


def test_rare_characters_fall_back_to_the_full_font(tmp_path):
    content = html_to_pdf(page(RARE_NAME))
    assert pdftotext(content).strip() == RARE_NAME
    assert embedded_fonts(content, tmp_path) == ["Cadre-Serif", "Noto-Serif-CJK-SC"]


def test_sans_class_and_bold_use_their_faces(tmp_path):
    content = html_to_pdf(page(f"<b>{COMMON_NAME}</b>", css_class="sans"))
    assert embedded_fonts(content, tmp_path) == ["Cadre-Sans-Bold"]


def test_render_pdf_renders_a_template():
    content = render_pdf("pdf/base.html", {})
    assert content.startswith(b"%PDF-")


def test_fetcher_refuses_network_and_foreign_files(tmp_path):
    fetcher = local_only_fetcher([tmp_path])
    with pytest.raises(ValueError, match="must be local"):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError, match="outside the allowed directories"):
        fetcher.fetch("file:///etc/passwd")
    (tmp_path / "ok.css").write_text("p{}")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()).read() == b"p{}"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_fetcher_maps_static_urls(settings):
    fetcher = local_only_fetcher([Path(d) for d in settings.STATICFILES_DIRS])
    response = fetcher.fetch(f"file://{settings.STATIC_URL}css/app.css")
    assert response.read() == (Path(settings.STATICFILES_DIRS[0]) / "css/app.css").read_bytes()


def test_font_copies_are_reused_per_thread_and_removed_with_it():
    from core import pdf

    html_to_pdf(page(COMMON_NAME))
    font_config = pdf._local.resources[1][0]
    html_to_pdf(page(COMMON_NAME))
    assert pdf._local.resources[1][0] is font_config  # fonts loaded once per thread
    folders = []

    def render_in_thread():
        html_to_pdf(page(COMMON_NAME))
        folders.append(pdf._local.resources[1][0]._folder)

    thread = threading.Thread(target=render_in_thread)
    thread.start()
    thread.join()
    gc.collect()
    assert folders[0] != font_config._folder
    assert not folders[0].exists()  # the thread's font copies went with the thread
    assert font_config._folder.exists()


def test_font_subset_rebuilds_only_missing_or_stale_faces(tmp_path, monkeypatch, capsys):
    source, fandol, out = tmp_path / "noto", tmp_path / "fandol", tmp_path / "fonts"
    source.mkdir()
    fandol.mkdir()
    for collection, _family, _stem in make_font_subset.FACES:
        (source / collection).write_bytes(b"ttc")
    for face, _family, _stem in make_font_subset.FANDOL_FACES:
        (fandol / face).write_bytes(b"otf")
    built = []

    def fake_subset(src, family, stem, out_dir, points):
        built.append(stem)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"{stem}{make_font_subset.SUFFIX}").write_bytes(b"otf")

    monkeypatch.setattr(make_font_subset, "make_subset", fake_subset)
    monkeypatch.setattr(make_font_subset, "check", lambda *args: 7445)
    args = ["--source-dir", str(source), "--fandol-dir", str(fandol), "--out-dir", str(out)]
    faces = make_font_subset.FACES + make_font_subset.FANDOL_FACES
    stems = [stem for _c, _f, stem in faces]

    assert make_font_subset.main(args) == 0
    assert built == stems
    built.clear()
    (out / f"{stems[1]}{make_font_subset.SUFFIX}").unlink()  # a half-built var/fonts
    (out / f"{stems[5]}{make_font_subset.SUFFIX}").unlink()
    assert make_font_subset.main(args) == 0
    assert built == [stems[1], stems[5]]
    built.clear()
    capsys.readouterr()
    assert make_font_subset.main(args) == 0
    assert built == []
    assert capsys.readouterr().out.count(": up to date") == 7


def test_font_subset_names_the_missing_package(tmp_path, capsys):
    args = ["--source-dir", str(tmp_path), "--fandol-dir", str(tmp_path)]
    args += ["--out-dir", str(tmp_path)]
    assert make_font_subset.main(args) == 1
    assert "apt-get install fonts-noto-cjk" in capsys.readouterr().err


def test_font_subset_second_run_writes_nothing():
    """scripts/_common.sh runs the helper on every dev.sh/test.sh, before the tests: the subset
    is built, and a second run rewrites nothing (its speed is a measurement, not a test)."""
    out = Path(settings.PDF_FONT_DIRS[0])
    faces = make_font_subset.FACES + make_font_subset.FANDOL_FACES
    targets = [out / f"{stem}{make_font_subset.SUFFIX}" for _c, _f, stem in faces]
    sources = [make_font_subset.DEFAULT_SOURCE / c for c, _f, _s in make_font_subset.FACES] + [
        make_font_subset.FANDOL_SOURCE / c for c, _f, _s in make_font_subset.FANDOL_FACES
    ]
    assert all(s.is_file() for s in sources), "fonts-noto-cjk or texlive-lang-chinese missing"
    assert all(
        t.is_file() and t.stat().st_mtime >= s.stat().st_mtime
        for t, s in zip(targets, sources, strict=True)
    ), "the font subset is not built: run scripts/test.sh, which builds it first"
    before = [t.stat().st_mtime_ns for t in targets]
    command = [sys.executable, str(ROOT / "scripts" / "make_font_subset.py"), "--out-dir", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.count(": up to date") == 7
    assert [t.stat().st_mtime_ns for t in targets] == before


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("中共甲县县委组织部", 32),
        ("中共济南市历城区委组织部", 32),
        ("济南市历城区纪律检查委员会监察委员会派驻机构", 17.9),
    ],
)
def test_letterhead_fits_the_type_area(name, size):
    assert letterhead_size(name) == size


def test_documents_speak_chinese_whatever_the_reader_speaks():
    from django.utils import translation

    @in_chinese
    def language():
        return translation.get_language()

    with translation.override("en"):
        assert language() == "zh-hans"
        assert translation.get_language() == "en"


def test_fit_classes_are_read_from_the_template_meta():
    from core.pdf import fit_classes, with_root_class

    html = '<html lang="zh-Hans"><head><meta name="pdf-fit" content="fit-1 fit-2"></head>'
    assert fit_classes(html) == ["fit-1", "fit-2"]
    assert fit_classes('<html lang="zh-Hans"><head></head>') == []
    assert with_root_class(html, "fit-2").startswith('<html lang="zh-Hans" class="fit-2">')


def test_a_document_spilling_onto_a_last_page_is_laid_out_tighter_to_save_it():
    """Three lines too many for one page at 40 pt; the fit class (30 pt) saves the page, a
    class that saves nothing is passed over."""
    from core.pdf import html_to_pdf_in_process
    from tests.pdftext import page_count

    lines = "".join(f"<p>第{n}行</p>" for n in range(22))
    html = (
        '<html lang="zh-Hans"><head><meta name="pdf-fit" content="same tight">'
        "<style>@page { size: A4; margin: 20mm } html { line-height: 40pt }"
        " html.tight { line-height: 30pt } p { margin: 0 }</style></head>"
        f"<body>{lines}</body></html>"
    )
    assert page_count(html_to_pdf_in_process(html.replace("same tight", ""))) == 2
    assert page_count(html_to_pdf_in_process(html)) == 1
