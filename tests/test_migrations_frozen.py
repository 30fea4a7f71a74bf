"""Data migrations carry their data inline: no migration imports the project's live code,
so a database built later gets the same content as one built when the migration was new."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = {"core", "cadres", "tolerance", "assessments", "clarifications", "promotions",
           "register", "workbench", "config"}


def live_imports(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.ImportFrom):
            names = ["(relative)"]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [f"{path.relative_to(root)}: {n}" for n in names
                  if n == "(relative)" or n.split(".")[0] in PROJECT]
    return found


def test_no_migration_imports_live_project_code():
    migrations = sorted(ROOT.glob("*/migrations/0*.py"))
    assert len(migrations) > 40
    assert [hit for path in migrations for hit in live_imports(path)] == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "0002_seed.py"
    sample.write_text("def seed(apps, schema_editor):\n    from promotions.policy_data import X\n")
    assert live_imports(sample, tmp_path) == ["0002_seed.py: promotions.policy_data"]
