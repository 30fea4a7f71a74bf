"""The grade sheet of one unit and year: who is on it, their grades and exemptions, grades
held by others, the quota check, the cost."""

from collections import Counter

import pytest

from assessments.enums import Grade
from assessments.models import AnnualAssessment
from assessments.sheets import GRADE_CHOICES, grade_sheet, sheet_cadres
from cadres.enums import CadreStatus, Rank, UnitKind
from cadres.models import Cadre
from core.enums import Role
from tests.factories import CadreFactory, make_unit, make_user
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db

E, C = Grade.EXCELLENT, Grade.COMPETENT


def grade(cadre, unit, year, value):
    return AnnualAssessment.objects.create(cadre=cadre, unit=unit, year=year, grade=value)


def test_the_roll_now_plus_those_graded_here_less_those_graded_elsewhere(township, world):
    unit = world.township_a1
    CadreFactory(name="镇长", unit=unit, rank=Rank.SECTION_CHIEF)
    retired = CadreFactory(name="退休干部", unit=unit, status=CadreStatus.RETIRED)
    left_after_grading = CadreFactory(name="已离任干部", unit=unit, status=CadreStatus.LEFT)
    grade(left_after_grading, unit, 2024, C)
    moved_in = township.cadres[1]
    grade(moved_in, world.township_b1, 2024, E)  # graded where they were that year

    names = [c.name for c in sheet_cadres(township.hr, unit, 2024)]

    assert names[0] == "镇长"  # the highest rank first, then by name
    assert "已离任干部" in names
    assert retired.name not in names and moved_in.name not in names
    assert len(names) == 1 + 1 + len(township.cadres) - 1
    assert names[1:] == sorted(names[1:])


def test_the_sheet_has_grades_exemptions_and_the_grades_of_others(
    township, world, flow, django_assert_num_queries
):
    unit = world.township_a1
    decided = flow.decided(outcome=Outcome.EXEMPT)  # 张三's matter of 2025: exempted
    grade(world.cadre_a1, unit, 2025, E)
    grade(township.cadres[1], unit, 2025, C)
    elsewhere_now = township.cadres[2]
    grade(elsewhere_now, unit, 2025, E)
    Cadre.objects.filter(pk=elsewhere_now.pk).update(unit=world.township_b1)

    grade_sheet(township.hr, unit, 2025)  # the user's roles and content types: cached
    # may grade here, the cadres, the records, exemptions (matters, cases, clearances),
    # the quota row (the unit's jurisdictions, the rows)
    with django_assert_num_queries(8):
        sheet = grade_sheet(township.hr, unit, 2025)

    by_name = {row.cadre.name: row for row in sheet.rows}
    assert elsewhere_now.name not in by_name
    assert sheet.others == Counter({E: 1})  # still counts against this unit's quota
    assert by_name["张三"].grade == E
    assert [e.case_id for e in by_name["张三"].exemptions] == [decided.pk]
    assert by_name[township.cadres[1].name].grade == C
    assert by_name[township.cadres[3].name].grade == ""
    assert by_name[township.cadres[3].name].record is None
    assert (sheet.unit, sheet.year, sheet.terms.share) == (unit, 2025, sheet.policy.share)
    check = sheet.check()
    assert (check.excellent, check.quota.participants) == (2, 3)
    assert sheet.pool is None


def test_a_sheet_without_cadres_asks_no_exemptions(world, django_assert_num_queries):
    empty = make_unit("新设镇", kind=UnitKind.TOWNSHIP, parent=world.county_a)
    hr = make_user("hr_empty", Role.UNIT_HR, unit=empty)
    grade_sheet(hr, empty, 2025)  # the user's roles and content types: cached

    with django_assert_num_queries(5):
        sheet = grade_sheet(hr, empty, 2025)

    assert sheet.rows == [] and sheet.others == Counter()


def test_someone_who_may_not_grade_sees_an_empty_sheet(township, world, personas):
    assert list(sheet_cadres(personas.outsider, world.township_a1, 2024)) == []
    assert list(sheet_cadres(township.hr_b, world.township_a1, 2024)) == []


def test_the_grade_choices_start_blank():
    assert GRADE_CHOICES[0] == ("", "—")
    assert [value for value, _label in GRADE_CHOICES[1:]] == list(Grade.values)
