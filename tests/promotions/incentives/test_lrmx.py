"""奖惩情况 of the .lrmx export: one line per commendation, oldest first, one query."""

import datetime as dt

import pytest

from promotions.incentives.enums import CommendationKind
from promotions.incentives.lrmx import commendation_lines
from promotions.models import Commendation

pytestmark = pytest.mark.django_db


def commend(cadre, kind, on, by, ref=""):
    return Commendation.objects.create(
        kind=kind, year=on.year, granted_on=on, granted_by=by, document_ref=ref,
        citation="表现突出", cadre=cadre, unit=cadre.unit,
    )


def test_each_commendation_is_a_line_with_its_reference(world, django_assert_num_queries):
    a1, b1 = world.cadre_a1, world.cadre_b1
    commend(a1, CommendationKind.MERIT_THIRD, dt.date(2024, 11, 2), "中共甲县县委")
    commend(a1, CommendationKind.COMMENDED, dt.date(2023, 3, 15), "中共甲县县委",
            "甲发〔2023〕1号")
    commend(b1, CommendationKind.COMMENDED, dt.date(2022, 1, 5), "乙区人民政府")
    team = Commendation.objects.create(
        kind=CommendationKind.TITLE, year=2024, granted_on=dt.date(2024, 1, 1),
        granted_by="济南市", citation="集体", team_name="攻坚组", unit=world.township_a1,
    )

    with django_assert_num_queries(1):
        lines = commendation_lines([a1.pk, b1.pk, world.cadre_city.pk])

    assert lines == {
        a1.pk: "2023.03 中共甲县县委嘉奖（甲发〔2023〕1号）\n2024.11 中共甲县县委记三等功",
        b1.pk: "2022.01 乙区人民政府嘉奖",
    }
    assert team.cadre_id is None


def test_no_cadres_no_lines(world):
    assert commendation_lines([]) == {}
