"""PDF rendering in a child process with a time and memory bound.

Why a subprocess and not (only) a Celery worker with a time limit and a memory cap per
child: the 任免审批表 is rendered inside the web request, and the embedded default runs every
task in-process, so a worker's limits would protect neither. A child process started for
each document holds every byte WeasyPrint allocates; the kernel stops it at
``PDF_RENDER_MEMORY_MB`` of address space (``RLIMIT_AS``) and at ``PDF_RENDER_CPU_SECONDS``
of CPU (``RLIMIT_CPU``), and the parent kills it after ``PDF_RENDER_TIMEOUT_SECONDS`` of
wall-clock time. Whatever the input, the web process or worker that asked only holds the
HTML it sent and the PDF it got back. Celery workers additionally recycle a child that
grew past ``CELERY_WORKER_MAX_MEMORY_PER_CHILD`` (settings), for everything else they do.

The child (``python -m core.pdf_child``) gets a JSON request on standard input: the
HTML and the few settings rendering needs (fonts, static directories); it configures a
minimal Django (no database, no apps but staticfiles) and answers the PDF on standard
output. It never reads the project's settings module or the environment's secrets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


class PdfRenderFailed(RuntimeError):
    """The document could not be rendered within its time and memory bounds."""


def _request(html: str, *, subset_fonts: bool) -> bytes:
    return json.dumps(
        {
            "html": html,
            "subset_fonts": subset_fonts,
            "font_dirs": [str(d) for d in settings.PDF_FONT_DIRS],
            "static_url": settings.STATIC_URL,
            "staticfiles_dirs": [str(d) for d in settings.STATICFILES_DIRS],
            "static_root": str(settings.STATIC_ROOT) if settings.STATIC_ROOT else "",
            "memory_mb": settings.PDF_RENDER_MEMORY_MB,
            "cpu_seconds": settings.PDF_RENDER_CPU_SECONDS,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def _child_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "FONTCONFIG_PATH", "FONTCONFIG_FILE")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PYTHONPATH"] = str(ROOT)
    return env


def render_isolated(html: str, *, subset_fonts: bool = True) -> bytes:
    """PDF bytes rendered by a bounded child process, or PdfRenderFailed."""
    try:
        result = subprocess.run(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "core.pdf_child"],
            input=_request(html, subset_fonts=subset_fonts),
            capture_output=True,
            timeout=settings.PDF_RENDER_TIMEOUT_SECONDS,
            cwd=ROOT,
            env=_child_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PdfRenderFailed(
            f"PDF rendering took longer than {settings.PDF_RENDER_TIMEOUT_SECONDS} s"
        ) from None
    if result.returncode != 0 or not result.stdout.startswith(b"%PDF"):
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        errors = [line for line in lines if "Error" in line] or lines or [""]
        detail = errors[-1:]
        raise PdfRenderFailed(
            f"PDF rendering failed (exit {result.returncode}, memory bound "
            f"{settings.PDF_RENDER_MEMORY_MB} MB): {detail[0][:300]}"
        )
    return result.stdout
