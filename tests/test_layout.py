"""Tests mirror the code: every module with logic has tests/<app>/<path>/test_<module>.py.

Modules that only declare (app configs, URL tables, choices, exceptions, model and admin
declarations, task wrappers, template tag registrations) are tested through the code that
uses them and need no module of their own (THIN). BACKLOG lists, by name, the modules with
logic that were written before this rule and still lack their test module: it may only
shrink. A new module without its test module fails here, and so does a BACKLOG entry that
has gained one (strike it).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("core", "cadres", "tolerance", "assessments", "clarifications", "promotions",
        "register", "workbench", "demo")

# Declarations only: tested through their users.
THIN_NAMES = {"apps", "urls", "enums", "errors", "signals", "admin", "tasks", "beat_tasks"}
THIN_PARTS = {"migrations", "models", "templatetags", "management"}


def _thin(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    return (
        path.name == "__init__.py"
        or path.stem in THIN_NAMES
        or path.stem.endswith("_urls")
        or bool(THIN_PARTS & set(rel.parts))
    )


def test_module_of(path: Path) -> Path:
    rel = path.relative_to(ROOT)
    return ROOT / "tests" / rel.parent / f"test_{path.stem}.py"


test_module_of.__test__ = False  # a helper, not a test


def untested_modules() -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not _thin(path) and not test_module_of(path).exists():
                found.append(str(path.relative_to(ROOT)))
    return found


BACKLOG = {
    line.strip()
    for line in (ROOT / "tests" / "layout_backlog.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def test_every_module_with_logic_has_its_test_module():
    assert sorted(set(untested_modules()) - BACKLOG) == []


def test_the_backlog_only_shrinks():
    # An entry that has its test module now, or names a module that is gone: strike it.
    assert sorted(BACKLOG - set(untested_modules())) == []


def test_the_check_sees_a_module_without_tests():
    paging = ROOT / "core" / "paging.py"
    assert test_module_of(paging) == ROOT / "tests" / "core" / "test_paging.py"
    assert not _thin(paging)
    assert _thin(ROOT / "core" / "apps.py")
    assert _thin(ROOT / "tolerance" / "models" / "case.py")
