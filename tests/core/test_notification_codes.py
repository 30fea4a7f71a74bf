"""Every notification code the code base sends is declared, and every declared kind is sent
and reads in Chinese for Chinese readers and in English for English ones.

The codes are read from the source: the string constants shaped like a code
(`app.noun.event`) in every module that sends notifications (imports notify, notify_many or
Message from core.notifications), except the action codes it hands to audit.record and the
task names it hands to enqueue. A code written there is thus checked whatever the way it
reaches notify (a literal, a table, a helper's argument).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from core.notifications import KINDS, LEGACY, TARGETS, heading, render

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "tests", "var", "bench", "migrations", "node_modules", "static"}
CODE = re.compile(r"^[a-z]+\.[a-z_]+\.[a-z_]+$")
SENDERS = {"notify", "notify_many", "Message"}
NOT_NOTIFICATIONS = {"record", "record_many", "enqueue", "delay", "apply_async"}


def _sends(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").endswith("notifications")
        and SENDERS & {alias.name for alias in node.names}
        for node in ast.walk(tree)
    )


def _excluded(tree: ast.Module) -> set[int]:
    """ids of the constants handed to audit.record, enqueue and the like."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in NOT_NOTIFICATIONS and node.args:
                skip |= {id(n) for n in ast.walk(node.args[0])}
    return skip


def sent_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(rel.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _sends(tree):
            continue
        skip = _excluded(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.match(node.value)
                and id(node) not in skip
            ):
                found.setdefault(node.value, f"{rel}:{node.lineno}")
    return found


def test_the_scanner_finds_codes_however_they_reach_notify():
    found = sent_codes()
    for code in (
        "tolerance.appeal.assigned",  # a literal argument
        "tolerance.case.accepted",  # a table of steps
        "tolerance.case.due_soon",  # a helper's argument
        "promotions.proposal.decided",  # a tuple assignment
        "core.calendar.missing",  # a module constant
    ):
        assert code in found, code
    assert "tolerance.appeal.assign" not in found  # an audit action code
    assert "tolerance.tasks.issue_case_notice" not in found  # a task name


def test_every_code_sent_is_declared():
    assert sorted(f"{code} ({where})" for code, where in sent_codes().items()
                  if code not in KINDS) == []


def test_every_declared_kind_is_sent():
    assert sorted(set(KINDS) - set(sent_codes()) - {LEGACY}) == []


def _sample(kind) -> dict:
    params = {}
    for name in kind.params:
        if name in kind.labels:
            params[name] = kind.labels[name].values[0]
        elif name in kind.formats:
            params[name] = 2027
        elif name == "fallback_years":
            params[name] = [2027]
        else:
            params[name] = "Q9"
    return params


DECLARED = sorted(code for code, kind in KINDS.items() if not kind.verbatim)


@pytest.mark.parametrize("code", DECLARED)
def test_every_kind_reads_in_chinese_and_in_english(code):
    params = _sample(KINDS[code])
    with translation.override("en"):
        english = render(code, params)
    with translation.override("zh-hans"):
        chinese = render(code, params)
    assert re.search("[A-Za-z]{3,}", english.subject), english
    for text in (chinese.subject, chinese.body):
        leftover = re.sub(r"Q9|RC\d+-\d+", "", text)
        assert not re.search("[A-Za-z]{2,}", leftover), (code, text)
    assert re.search("[\u4e00-\u9fff]", chinese.subject), chinese
    assert "Q9" in english.subject or "2027" in english.subject or not params


@pytest.mark.parametrize("model", sorted(TARGETS))
def test_every_group_heading_reads_in_chinese(model):
    with translation.override("zh-hans"):
        text = heading(model, "Q9")
    assert "Q9" in text and re.search("[\u4e00-\u9fff]", text)
    assert not re.search("[A-Za-z]{2,}", text.replace("Q9", ""))
