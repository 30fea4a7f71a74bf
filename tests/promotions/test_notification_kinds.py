"""promotions.notification_kinds: proposal and exceptional-request notifications as read."""

from __future__ import annotations

from django.utils import translation

from core.notifications import heading, render
from promotions.notification_kinds import KINDS, TARGETS


def test_a_decision_is_stored_as_its_code_and_read_as_its_label():
    params = {"name": "李四", "decision": "keep"}
    with translation.override("zh-hans"):
        assert render("promotions.proposal.decided", params).subject == (
            "李四的调整建议已研究决定：不予调整"
        )
    with translation.override("en"):
        assert render("promotions.proposal.decided", params).subject == (
            "Adjustment proposal for 李四 decided: Do not adjust"
        )


def test_a_rejection_quotes_its_reasons():
    with translation.override("zh-hans"):
        assert tuple(
            render("promotions.exceptional.rejected", {"name": "谢五", "reason": "条件不足"})
        ) == ("谢五的破格提拔申请未获批准", "理由：条件不足")


def test_groups_are_named_by_the_cadre():
    assert [target.model for target in TARGETS] == [
        "promotions.proposal", "promotions.exceptionalrequest"
    ]
    assert all(kind.params[0] == "name" for kind in KINDS)
    with translation.override("zh-hans"):
        assert heading("promotions.exceptionalrequest", "谢五") == "破格提拔：谢五"
