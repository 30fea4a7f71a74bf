"""System checks of the document policy (core.checks): typos in DOCUMENT_SIGNOFF_KINDS or
DOCUMENT_SIGNING_ROLES fail at start-up."""

from __future__ import annotations

from core.checks import document_signoff_policy
from core.drafts import SOURCES


def test_the_shipped_policy_passes():
    assert document_signoff_policy() == []


def test_the_policy_check_names_unknown_kinds_roles_and_missing_sources(settings, monkeypatch):
    settings.DOCUMENT_SIGNOFF_KINDS = ["tolerance_ruling", "memo"]
    settings.DOCUMENT_SIGNING_ROLES = {"appeal_decision": ["approving_leader", "chef"], "x": []}
    monkeypatch.delitem(SOURCES, "tolerance_ruling")
    assert [error.id for error in document_signoff_policy()] == [
        "core.E102", "core.E101", "core.E104", "core.E103", "core.E104"
    ]


def test_each_error_says_what_is_wrong(settings):
    settings.DOCUMENT_SIGNOFF_KINDS = ["memo"]
    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": ["chef", "approving_leader"]}
    assert [(e.id, e.msg) for e in document_signoff_policy()] == [
        ("core.E101", "DOCUMENT_SIGNOFF_KINDS names an unknown kind 'memo'"),
        ("core.E104", "DOCUMENT_SIGNING_ROLES['tolerance_ruling'] names no role or unknown "
                      "roles ['chef']"),
    ]
