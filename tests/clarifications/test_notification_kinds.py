"""clarifications.notification_kinds: petition notifications as read."""

from __future__ import annotations

from django.utils import translation

from clarifications.notification_kinds import KINDS
from core.notifications import heading, render


def test_petition_steps_name_the_petition_and_who_took_the_step():
    assert [kind.code for kind in KINDS] == [
        "clarifications.petition.verifying", "clarifications.petition.concluded"
    ]
    params = {"ref": "XF2026-00003", "by": "王核实"}
    with translation.override("zh-hans"):
        assert render("clarifications.petition.concluded", params).subject == (
            "信访举报件XF2026-00003：王核实已办结"
        )
        assert heading("clarifications.petition", "XF2026-00003") == "信访举报件XF2026-00003"
    with translation.override("en"):
        assert render("clarifications.petition.verifying", params).subject == (
            "Petition XF2026-00003: verification started by 王核实"
        )
