"""奖惩情况 on the .lrmx export and the 任免审批表: commendations and the accountability
matters that count against the cadre (tolerance.lrmx)."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.lrmx import sources
from promotions.models import Commendation
from tolerance.enums import Outcome
from tolerance.lrmx import SanctionRow, sanction_line, sanction_lines
from tolerance.models import AccountabilityMatter

ROW = SanctionRow(dt.date(2025, 3, 10), "资金拨付偏差", "县纪委监委", "给予诫勉", "甲纪〔2025〕3号")


def test_sanction_line_names_month_matter_action_and_document():
    assert sanction_line(ROW) == "2025.03 因资金拨付偏差，县纪委监委给予诫勉（甲纪〔2025〕3号）"


def test_sanction_line_reduced_by_tolerance():
    row = SanctionRow(dt.date(2024, 11, 2), "项目延误", "县委", "通报批评", "")
    assert sanction_line(row, reduced_as="从轻处理") == (
        "2024.11 因项目延误，县委通报批评，经容错认定从轻处理"
    )


def matter(cadre, title, action, occurred_on, ref="") -> AccountabilityMatter:
    created = AccountabilityMatter.objects.create(
        title=title, description="经过。", occurred_on=occurred_on, action=action,
        action_by="县纪委监委", document_ref=ref,
    )  # fmt: skip
    created.cadres.add(cadre)
    return created


@pytest.mark.django_db
def test_export_fills_rewards_from_commendations_and_sanctions(flow, world):
    """A commendation, a matter that counts, one a tolerance conclusion reduced and one
    without an action: three lines, commendations first."""
    cadre = world.cadre_a1
    flow.decided(outcome=Outcome.LIGHTER, sign=False)  # the flow's matter, 2025.03
    matter(cadre, "项目验收把关不严", "给予诫勉", dt.date(2023, 6, 1), "甲纪〔2023〕5号")
    matter(cadre, "仅作记录的事项", "", dt.date(2024, 1, 1))
    Commendation.objects.create(
        kind="commended", year=2022, granted_on=dt.date(2022, 12, 20), granted_by="中共甲县县委",
        document_ref="甲发〔2022〕9号", citation="成绩突出", cadre=cadre, unit=cadre.unit,
    )  # fmt: skip
    text = sources.filled([cadre.pk])[cadre.pk]["JiangChengQingKuang"]
    assert text.splitlines() == [
        "2022.12 中共甲县县委嘉奖（甲发〔2022〕9号）",
        "2023.06 因项目验收把关不严，县纪委监委给予诫勉（甲纪〔2023〕5号）",
        "2025.03 因乡村振兴试点项目资金拨付偏差，县纪委监委拟给予诫勉，经容错认定从轻处理",
    ]


@pytest.mark.django_db
def test_a_matter_tolerance_exempted_is_not_a_sanction(flow, world):
    flow.decided(outcome=Outcome.EXEMPT, sign=False)
    assert sanction_lines([world.cadre_a1.pk]) == {}


@pytest.mark.django_db
def test_no_matters_no_line(world):
    assert sanction_lines([world.cadre_a1.pk, world.cadre_b1.pk]) == {}
