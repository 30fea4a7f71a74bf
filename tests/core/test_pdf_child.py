"""The sandbox's child process (core.pdf_child), run as core.pdf_sandbox runs it."""

from __future__ import annotations

import subprocess
import sys

from core.pdf_sandbox import ROOT, _child_env, _request
from tests.pdftext import flat_text


def run_child(html: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "core.pdf_child"],
        input=_request(html, subset_fonts=True),
        capture_output=True,
        cwd=ROOT,
        env={**_child_env(), **env},
        timeout=120,
        check=False,
    )


def test_child_answers_the_pdf_on_standard_output():
    html = '<!doctype html><html lang="zh-Hans"><body><p>澄清正名通知书</p></body></html>'
    result = run_child(html)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF")
    assert flat_text(result.stdout) == "澄清正名通知书"


def test_child_never_reads_the_project_settings():
    """A settings module named in the environment is not imported: the child configures
    its own minimal Django from the request."""
    result = run_child(
        "<!doctype html><html><body><p>x</p></body></html>",
        DJANGO_SETTINGS_MODULE="no.such.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF")
