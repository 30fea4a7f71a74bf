"""The lock file the set-up scripts install from agrees with pyproject.toml's pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {
        _norm(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", text, re.M)
    }


def test_every_pin_of_pyproject_is_locked_at_the_same_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    wanted = dict(pin.split("==") for pin in pins)
    lock = locked()
    assert {_norm(n): v for n, v in wanted.items()} == {
        _norm(n): lock.get(_norm(n)) for n in wanted
    }


def test_every_locked_package_has_hashes_and_the_scripts_install_from_the_lock():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9_.\[\]-]+==)", text.split("\n\n", 1)[-1])
    assert len(locked()) > 60
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    assert "file://" not in text and "--find-links" not in text  # nothing machine-specific
    common = (ROOT / "scripts" / "_common.sh").read_text(encoding="utf-8")
    assert 'pip install -q --require-hashes -r requirements.lock' in common
    assert "pip install -q -e" not in common
