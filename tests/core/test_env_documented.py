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


# Settings that Django or Django REST framework define themselves.
FRAMEWORK_SETTINGS = {"LANGUAGE_COOKIE_NAME", "NON_FIELD_ERRORS_KEY"}
APPS = ["core", "cadres", "tolerance", "assessments", "clarifications", "promotions",
        "register", "workbench", "config"]
SETTING_READS = re.compile(
    r"""\bsettings\.([A-Z][A-Z0-9_]+)|getattr\(\s*settings,\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def settings_read_in_code() -> set[str]:
    found: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.parent.name == "settings":
                continue
            for plain, fetched in SETTING_READS.findall(path.read_text(encoding="utf-8")):
                found.add(plain or fetched)
    return found


def test_every_setting_read_in_code_is_declared_in_the_base_settings():
    declared = set(
        re.findall(
            r"^([A-Z][A-Z0-9_]+)\s*[:=]",
            (ROOT / "config" / "settings" / "base.py").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    read = settings_read_in_code()
    assert {"REGISTER_EXPORT_INLINE_MAX", "DOCUMENT_VERIFY_PER_MINUTE"} <= read
    assert sorted(read - declared - FRAMEWORK_SETTINGS) == []


def test_no_setting_is_read_with_a_default_of_its_own():
    # A default in the code hides the setting from base.py and the README.
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"getattr\(\s*settings,\s*[\"'][A-Z][A-Z0-9_]+[\"']\s*,", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
