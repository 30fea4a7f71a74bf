"""The house plan on the import graph (pyproject.toml [tool.importlinter] and
scripts/import_graph.py): it holds today, and each rule fails when it is broken.

The failing cases run the same contracts on a small tree made for the test, with one import
that breaks a rule: a check that cannot fail would prove nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
sys.path.insert(0, str(ROOT / "scripts"))

import import_graph  # noqa: E402  (scripts/ is no package)


def _lint(cwd: Path, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter's tool, our own files
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(cwd)},
    )


def test_the_project_keeps_every_contract():
    result = _lint(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_the_project_has_no_import_circle_longer_than_two_files():
    assert import_graph.circles(import_graph.build_graph()) == []


@pytest.fixture
def tree(tmp_path):
    """The project's root packages, empty, and the project's own contracts."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in config["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    pyproject = (ROOT / "pyproject.toml").read_text()
    start = pyproject.index("[tool.importlinter]")
    (tmp_path / "pyproject.toml").write_text(pyproject[start:])
    return tmp_path


def _module(tree: Path, path: str, body: str) -> None:
    (tree / path).write_text(textwrap.dedent(body))


@pytest.mark.parametrize(
    ("path", "body", "broken"),
    [
        # core reaches up to a workflow app (inside a function: it counts too)
        (
            "core/tools.py",
            "def f():\n    from tolerance import x\n",
            ["Floors: each app imports only the floors below it", "core names no workflow app"],
        ),
        # an app imports the register
        (
            "promotions/views.py",
            "import register\n",
            [
                "Floors: each app imports only the floors below it",
                "No app imports register (only the site shell: workbench and config)",
            ],
        ),
        # tolerance imports clarifications
        (
            "tolerance/effects.py",
            "from clarifications import queries\n",
            [
                "Floors: each app imports only the floors below it",
                "tolerance does not import clarifications",
            ],
        ),
        # two apps of one floor import each other's floor the wrong way round
        (
            "cadres/views.py",
            "import assessments\n",
            ["Floors: each app imports only the floors below it"],
        ),
    ],
)
def test_a_broken_contract_fails_the_check(tree, path, body, broken):
    assert _lint(tree, tree / "pyproject.toml").returncode == 0
    _module(tree, path, body)
    result = _lint(tree, tree / "pyproject.toml")
    assert result.returncode == 1
    assert sorted(
        line.rsplit(" ", 1)[0] for line in result.stdout.splitlines() if line.endswith(" BROKEN")
    ) == sorted(broken)


def test_a_circle_of_three_files_fails_and_a_pair_is_allowed(tmp_path, monkeypatch):
    package = tmp_path / "loop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "service.py").write_text("def run():\n    from . import tasks\n")
    (package / "tasks.py").write_text("from . import service\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = import_graph.build_graph(("loop",))
    assert import_graph.strongly_connected(graph) == [["loop.service", "loop.tasks"]]
    assert import_graph.circles(graph) == []
    (package / "helpers.py").write_text("from . import service\n")
    (package / "tasks.py").write_text("from . import helpers\n")
    graph = import_graph.build_graph(("loop",))
    assert import_graph.circles(graph) == [["loop.helpers", "loop.service", "loop.tasks"]]
