"""The child process of core.pdf_sandbox: ``python -m core.pdf_child``.

It reads a JSON request on standard input (the HTML and the few settings rendering needs),
bounds its own address space and CPU time, configures a minimal Django (no database, no
apps but staticfiles, never the project's settings module) and writes the PDF to standard
output. A module of its own so that the parent side (core.pdf_sandbox, called by core.pdf)
and the renderer it runs (core.pdf) do not import each other.
"""

from __future__ import annotations

import json
import resource
import sys

from django.conf import settings


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child() -> int:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    _limit(request["memory_mb"], request["cpu_seconds"])
    settings.configure(
        DEBUG=False,
        INSTALLED_APPS=["django.contrib.staticfiles"],
        STATIC_URL=request["static_url"],
        STATICFILES_DIRS=request["staticfiles_dirs"],
        STATIC_ROOT=request["static_root"] or None,
        PDF_FONT_DIRS=request["font_dirs"],
        PDF_RENDER_ISOLATED=False,
        USE_I18N=False,
    )
    import django

    django.setup()
    from core.pdf import html_to_pdf

    pdf = html_to_pdf(request["html"], subset_fonts=request["subset_fonts"])
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(_child())
    except MemoryError:
        print("MemoryError: the document needs more memory than allowed", file=sys.stderr)
        sys.exit(3)
