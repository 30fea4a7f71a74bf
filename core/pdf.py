"""Rendering Django templates to PDF with WeasyPrint, with the project's Chinese fonts.

`render_pdf(template_name, context)` is the one entry point other apps use for rulings,
notices and forms. Templates extend ``pdf/base.html`` (A4, ``lang="zh-Hans"``, the serif
and sans font stacks of core.fonts). Resources load only from the static files and the
font directories (``file:`` and ``data:`` URLs): a document never fetches from the network.

One FontConfiguration and the parsed font CSS are kept per thread, so a worker loads the
font files once rather than for every document. WeasyPrint itself is imported on first
use: importing it costs about a second, which web processes that never render should not pay.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import functools
import logging
import re
import shutil
import threading
import weakref
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import fonts

_local = threading.local()
_fetcher_class = None
# Every live FontConfiguration, for the clean-up at exit. Weak: when a thread ends, its
# configuration goes with it and WeasyPrint removes its font copies itself.
_font_configs: weakref.WeakSet = weakref.WeakSet()
_font_configs_lock = threading.Lock()

logger = logging.getLogger(__name__)

# WeasyPrint logs every rendering step at INFO; keep its warnings (missing resources).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _local_only_fetcher_class():
    global _fetcher_class
    if _fetcher_class is not None:
        return _fetcher_class
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serve ``data:`` URLs, static files and font files; refuse everything else."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols=("file", "data"))
            self._roots = [r.resolve() for r in roots]

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"PDF resources must be local: {url}")
            path = unquote(parts.path)
            if path.startswith(settings.STATIC_URL):
                found = finders.find(path[len(settings.STATIC_URL) :])
                if not found:
                    raise ValueError(f"No static file {path}")
                path = str(found)
            resolved = Path(path).resolve()
            if not any(resolved.is_relative_to(root) for root in self._roots):
                raise ValueError(f"PDF resource outside the allowed directories: {resolved}")
            return super().fetch(resolved.as_uri(), headers)

    _fetcher_class = LocalOnlyFetcher
    return LocalOnlyFetcher


def local_only_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher limited to ``roots`` (plus ``data:`` and static URLs)."""
    return _local_only_fetcher_class()(roots)


def static_root() -> Path:
    return Path(settings.STATICFILES_DIRS[0])


def _allowed_roots() -> list[Path]:
    roots = [Path(d) for d in settings.STATICFILES_DIRS] + fonts.font_dirs()
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return roots


def _resources(*, subset: bool = True):
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    key = ("subset" if subset else "full", tuple(settings.PDF_FONT_DIRS))
    cache = getattr(_local, "resources", None)
    if cache is None or cache[0] != key:
        # Templates never name font files: serif by default, class "sans" for 黑体-like text.
        rules = fonts.font_css(subset=subset)
        if not fonts.harfbuzz_subset_available():
            logger.warning(
                "libharfbuzz-subset0 is missing: WeasyPrint will embed fonts with "
                "fontTools, about 50 times slower (apt-get install libharfbuzz-subset0)."
            )
        fetcher = local_only_fetcher(_allowed_roots())
        font_config = FontConfiguration()
        with _font_configs_lock:
            _font_configs.add(font_config)
        css = CSS(string=rules, font_config=font_config, url_fetcher=fetcher)
        cache = (key, (font_config, css, fetcher))
        _local.resources = cache
    return cache[1]


@atexit.register
def _remove_font_copies() -> None:
    """WeasyPrint copies each font into a temporary folder; its __del__ cannot remove it
    at interpreter exit, so the folders are removed here."""
    with _font_configs_lock:
        for font_config in list(_font_configs):
            folder, font_config._folder = getattr(font_config, "_folder", None), None
            if folder:
                shutil.rmtree(folder, ignore_errors=True)


def html_to_pdf(html: str, *, subset_fonts: bool = True) -> bytes:
    """PDF bytes for an HTML document (``subset_fonts=False`` only for measurements).

    With ``PDF_RENDER_ISOLATED`` (the default outside tests) the document is rendered by a
    child process bounded in time and memory (core.pdf_sandbox); else in this process.
    """
    if settings.PDF_RENDER_ISOLATED:
        from .pdf_sandbox import render_isolated

        return render_isolated(html, subset_fonts=subset_fonts)
    return html_to_pdf_in_process(html, subset_fonts=subset_fonts)


# A template may name, in ``<meta name="pdf-fit" content="fit-1 fit-2">``, classes that
# tighten its layout (GB/T 9704 7.3.5.1: line and character spacing may be adjusted so the
# end of a document does not spill onto a page of its own). They are tried in order on
# the root element while the document has more than one page and at most FIT_MAX_PAGES;
# the first that saves a page is kept, else the document as first laid out.
FIT_META = re.compile(r'<meta name="pdf-fit" content="([a-z0-9 -]*)">')
FIT_MAX_PAGES = 3


def fit_classes(html: str) -> list[str]:
    match = FIT_META.search(html)
    return match[1].split() if match else []


def with_root_class(html: str, name: str) -> str:
    """The HTML with ``name`` added to the class of its root element (pdf/base.html)."""
    return html.replace('<html lang="zh-Hans">', f'<html lang="zh-Hans" class="{name}">', 1)


def html_to_pdf_in_process(html: str, *, subset_fonts: bool = True) -> bytes:
    from weasyprint import HTML

    font_config, font_css, fetcher = _resources(subset=subset_fonts)

    def layout(source: str):
        document = HTML(string=source, base_url=static_root().as_uri() + "/", url_fetcher=fetcher)
        return document.render(stylesheets=[font_css], font_config=font_config)

    rendered = layout(html)
    if 1 < len(rendered.pages) <= FIT_MAX_PAGES:
        for name in fit_classes(html):
            tighter = layout(with_root_class(html, name))
            if len(tighter.pages) < len(rendered.pages):
                rendered = tighter
                break
    return rendered.write_pdf()


_drafting: contextvars.ContextVar[bool] = contextvars.ContextVar("pdf_drafting", default=False)


@contextlib.contextmanager
def as_draft():
    """Render every PDF inside as a draft: the base template watermarks it 草稿."""
    token = _drafting.set(True)
    try:
        yield
    finally:
        _drafting.reset(token)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (extending ``pdf/base.html``) to PDF bytes (a draft inside
    ``as_draft()``)."""
    context = {**context, "pdf_draft": _drafting.get()}
    return html_to_pdf(render_to_string(template_name, context))


# --- the documents' own conventions ---------------------------------------------------------

# Documents are in Simplified Chinese whatever language the user reads the site in.
DOCUMENT_LANGUAGE = "zh-hans"
# The letterhead (发文机关标志) fills at most the type area: 156 mm = 442 pt.
LETTERHEAD_WIDTH_PT = 442
LETTERHEAD_MAX_PT = 32


def in_chinese(func):
    """Run `func` with Simplified Chinese active: documents never follow the user's language."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(DOCUMENT_LANGUAGE):
            return func(*args, **kwargs)

    return wrapper


def letterhead_size(name: str) -> float:
    """Font size (pt) that keeps the authority's name on one line of the type area."""
    return round(min(LETTERHEAD_MAX_PT, LETTERHEAD_WIDTH_PT / (max(len(name), 1) * 1.12)), 1)
