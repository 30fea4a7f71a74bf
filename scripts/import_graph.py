"""The project's import graph, checked: no import circle longer than two files.

A service and its own task may import each other (the service enqueues the task, the task
runs the service): a circle of two files is allowed. Any longer circle fails the build:
it means a module low in the plan reaches up, and the next person to change it pays.
Every import counts, including those inside functions (grimp reads them all).

    .venv/bin/python scripts/import_graph.py          # exit 1 and the circles, if any
    .venv/bin/python scripts/import_graph.py --all    # also list the allowed pairs

The other rules of the plan (core names no workflow app, nobody imports register, tolerance
does not import clarifications, the layers) are import-linter contracts in pyproject.toml;
scripts/test.sh runs both before pytest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "core",
    "cadres",
    "tolerance",
    "assessments",
    "clarifications",
    "promotions",
    "register",
    "workbench",
    "config",
    "demo",
)
MAX_CIRCLE = 2


def _skipped(module: str) -> bool:
    return ".migrations." in module or module.endswith(".migrations")


def strongly_connected(graph) -> list[list[str]]:
    """Tarjan's algorithm over the modules (iterative: the graph is deep)."""
    modules = sorted(m for m in graph.modules if not _skipped(m))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0

    def successors(module: str) -> list[str]:
        return sorted(
            m for m in graph.find_modules_directly_imported_by(module) if not _skipped(m)
        )

    for start in modules:
        if start in index:
            continue
        work = [(start, iter(successors(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors(child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def build_graph(packages=PACKAGES):
    sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*packages, cache_dir=None)


def circles(graph, longer_than: int = MAX_CIRCLE) -> list[list[str]]:
    return [c for c in strongly_connected(graph) if len(c) > longer_than]


def _ties(graph, component: list[str]) -> list[str]:
    members = set(component)
    lines = []
    for module in component:
        for imported in sorted(graph.find_modules_directly_imported_by(module) & members):
            details = graph.get_import_details(importer=module, imported=imported)
            where = ", ".join(str(d["line_number"]) for d in details)
            lines.append(f"    {module} -> {imported} (line {where})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list the allowed pairs too")
    args = parser.parse_args(argv)
    graph = build_graph()
    every = strongly_connected(graph)
    bad = [c for c in every if len(c) > MAX_CIRCLE]
    if args.all:
        for component in every:
            if len(component) <= MAX_CIRCLE:
                print("allowed pair: " + " <-> ".join(component))
    for component in bad:
        print(f"import circle of {len(component)} files:")
        print("\n".join(_ties(graph, component)))
    if bad:
        print(f"{len(bad)} import circle(s) longer than {MAX_CIRCLE} files: break them.")
        return 1
    print(f"No import circle longer than {MAX_CIRCLE} files ({len(graph.modules)} modules).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
