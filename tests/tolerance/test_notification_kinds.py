"""tolerance.notification_kinds: the casework notifications as each reader sees them."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.notifications import heading, render
from tolerance.notification_kinds import KINDS, holiday_fallback


def shown(code: str, language: str, **params) -> tuple[str, str]:
    with translation.override(language):
        return tuple(render(code, params))


def test_every_kind_is_about_a_case():
    assert all(kind.params[0] == "ref" for kind in KINDS)
    with translation.override("en"):
        assert heading("tolerance.case", "RC2026-00001") == "Case RC2026-00001"


@pytest.mark.parametrize(
    "language,expected",
    [
        ("zh-hans", ("案件RC2026-00001：复核决定已作出：免除责任", "理由：事实清楚")),
        ("en", ("Case RC2026-00001: the appeal is decided: Exempted from responsibility",
                "Reasons: 事实清楚")),
    ],
)
def test_an_outcome_is_stored_as_its_code_and_read_as_its_label(language, expected):
    params = {"ref": "RC2026-00001", "outcome": "exempt", "reason": "事实清楚"}
    assert shown("tolerance.appeal.decided", language, **params) == expected


def test_the_steps_that_ask_someone_to_act_say_so():
    assert shown("tolerance.case.submitted", "zh-hans", ref="RC2026-00001") == (
        "案件RC2026-00001已提交，请审查是否受理", ""
    )
    assert shown("tolerance.case.appealed", "en", ref="RC2026-00001") == (
        "Case RC2026-00001 appealed: assign a reviewer", ""
    )


def test_the_holiday_fallback_warning_follows_the_reader():
    assert holiday_fallback({"fallback_years": []}) == ""
    with translation.override("en"):
        assert holiday_fallback({"fallback_years": [2027, 2028]}) == (
            "The official holiday schedules for 2027, 2028 have not been entered yet; this due "
            "date counts Monday to Friday as working days."
        )


def test_an_overdue_measure_names_its_owner_and_measure():
    params = {"ref": "RC2026-00001", "date": "2026-12-10", "owner": "城关镇财政所",
              "measure": "追回资金"}
    assert shown("tolerance.remedy.overdue", "zh-hans", **params) == (
        "案件RC2026-00001的纠错措施已超期：应于2026-12-10前完成，责任人：城关镇财政所",
        "措施：追回资金",
    )
