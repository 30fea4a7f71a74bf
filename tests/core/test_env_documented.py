"""Every environment variable the settings (and gunicorn's config) read is in
.env.example and in the README's table of settings."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "config" / "settings").glob("*.py")), ROOT / "config" / "gunicorn.py"]
READS = re.compile(
    r"""(?:\benv(?:\.[a-z]+)?|Env\(\)\.[a-z]+|os\.environ\.get|os\.environ\[|getenv)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        found |= set(READS.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_scan_finds_the_settings():
    found = variables_read()
    assert {"DJANGO_SECRET_KEY", "SITE_URL", "TRUSTED_PROXY_COUNT", "GUNICORN_TIMEOUT"} <= found
    assert len(found) > 40


def test_every_variable_is_in_the_example_file():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    assert sorted(variables_read() - listed) == []


def test_every_variable_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("Settings read from the environment", 1)[1].split("\n\n**", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}
    assert sorted(variables_read() - documented) == []
