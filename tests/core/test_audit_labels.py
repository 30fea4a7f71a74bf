"""Every action code the code base can write has a name in the auditors' language.

The codes are read from the source (the first argument of every `audit.record` /
`audit.record_many` call, and the `action=` strings handed down to them); codes built with
an f-string are expanded from what the code declares (a workflow's transitions, a kind's
choices, the audited admins). A code built in a way this test does not know fails it, so a
new kind of code cannot slip past unlabelled.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.utils import translation

from cadres.enums import MoveType
from clarifications.models import Petition
from core.admin_audit import audit_name
from core.audit_display import action_label
from core.drafts import METHODS as DRAFT_METHODS
from promotions.models import ExceptionalRequest, Proposal
from tolerance.models import Case
from tolerance.models.case import NoteKind

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "tests", "var", "bench", "migrations", "node_modules", "static"}


def _transitions(model) -> set[str]:
    field = model._meta.get_field("state")
    return {t.name for t in field.get_all_transitions(model)}


def _audited_admins() -> set[str]:
    names = set()
    for model, model_admin in admin.site._registry.items():
        if getattr(model_admin, "audits_writes", False):
            names.add(audit_name(model))
        if getattr(model_admin, "audit_name", ""):
            names.add(model_admin.audit_name)
    return names


def _admin_codes() -> set[str]:
    verbs = ("create", "update", "delete")
    return {f"{name}.{verb}" for name in _audited_admins() for verb in verbs}


EXPANSIONS = {
    "promotions.proposal.": lambda: _transitions(Proposal),
    "promotions.exceptional.": lambda: _transitions(ExceptionalRequest),
    "clarifications.petition.": lambda: _transitions(Petition),
    "document.draft.": lambda: set(DRAFT_METHODS),
    "tolerance.case.": lambda: _transitions(Case),
    "tolerance.note.": lambda: set(NoteKind.values),
    "cadre.move.": lambda: set(MoveType.values),
}


def _sources():
    for path in ROOT.rglob("*.py"):
        if SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _codes_of(
    node, where: str, found: dict[str, str], unknown: list[str], names: dict | None = None
) -> None:
    if isinstance(node, ast.Name) and names and node.id in names:
        found.setdefault(names[node.id], where)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        found.setdefault(node.value, where)
    elif isinstance(node, ast.IfExp):
        _codes_of(node.body, where, found, unknown)
        _codes_of(node.orelse, where, found, unknown)
    elif isinstance(node, ast.JoinedStr):
        head = node.values[0]
        if isinstance(head, ast.Constant) and head.value in EXPANSIONS:
            for rest in EXPANSIONS[head.value]():
                found.setdefault(head.value + rest, where)
        elif isinstance(head, ast.FormattedValue) and "audit_name" in ast.unparse(head):
            for code in _admin_codes():
                found.setdefault(code, where)
        else:
            unknown.append(f"{where}: {ast.unparse(node)}")
    elif isinstance(node, ast.Name) and node.id == "action":
        pass  # a parameter or local: its values are collected where they are written
    else:
        unknown.append(f"{where}: {ast.unparse(node)}")


def action_codes() -> tuple[dict[str, str], list[str]]:
    found: dict[str, str] = {}
    unknown: list[str] = []
    for path, tree in _sources():
        rel = path.relative_to(ROOT)
        names = {  # module constants: ACTION = "tolerance.case.deadline_recompute"
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("record", "record_many") and node.args:
                    _codes_of(node.args[0], where, found, unknown, names)
                for keyword in node.keywords:
                    if keyword.arg == "action" and name not in ("record", "record_many"):
                        if isinstance(keyword.value, ast.Constant) and "." in str(
                            keyword.value.value
                        ):
                            _codes_of(keyword.value, where, found, unknown)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                value = node.value
                if isinstance(value, ast.Constant | ast.IfExp | ast.JoinedStr) and "." in (
                    ast.unparse(value)
                ):
                    _codes_of(value, where, found, unknown)
    return found, unknown


def test_scanner_finds_the_codes_it_should():
    found, unknown = action_codes()
    assert unknown == []
    for code in (
        "tolerance.queue.export",  # a literal
        "api.token.rotate",  # a branch of a conditional
        "assessment.ranks.set",  # handed down as action=
        "calendar_year.update",  # assigned to `action`
        "tolerance.case.accept",  # a workflow transition
        "cadre.move.transferred",  # a choice
        "assessment.quota_policy.delete",  # an audited admin
    ):
        assert code in found, code
    assert len(found) > 120


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_action_code_has_a_label(language):
    found, _unknown = action_codes()
    with translation.override(language):
        missing = sorted(
            f"{code} ({where})" for code, where in found.items() if not action_label(code)
        )
    assert missing == []


def test_labels_are_chinese_for_chinese_readers():
    found, _unknown = action_codes()
    with translation.override("zh-hans"):
        untranslated = sorted(
            f"{code}: {action_label(code)}"
            for code in found
            if re.search("[A-Za-z]{2,}", re.sub("Excel|LRMX|API", "", action_label(code)))
        )
    assert untranslated == []


def test_service_codes_are_not_named_as_administration_edits():
    with translation.override("zh-hans"):
        assert action_label("promotions.proposal.create") == "提出调整建议"
        assert action_label("promotions.proposal.update") == "调整建议：在后台修改"
