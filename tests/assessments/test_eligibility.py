"""What other apps ask of assessments: open warnings and annual grades, one query each."""

import datetime as dt

import pytest

from assessments.eligibility import OpenWarning, annual_grades, open_warnings
from assessments.enums import Dimension, Grade
from assessments.models import AnnualAssessment, CheckupWarning

pytestmark = pytest.mark.django_db


def warn(cadre, raised_on, dimension=Dimension.CONDUCT, resolved_on=None):
    return CheckupWarning.objects.create(
        cadre=cadre, dimension=dimension, raised_on=raised_on, reason=f"预警{raised_on}",
        resolved_on=resolved_on,
    )


def test_open_warnings_oldest_first_resolved_ones_left_out(world, django_assert_num_queries):
    a1, b1 = world.cadre_a1, world.cadre_b1
    later = warn(a1, dt.date(2025, 9, 1), Dimension.LAW)
    earlier = warn(a1, dt.date(2025, 3, 1))
    warn(a1, dt.date(2025, 1, 1), resolved_on=dt.date(2025, 2, 1))
    warn(b1, dt.date(2025, 4, 1), resolved_on=dt.date(2025, 5, 1))

    with django_assert_num_queries(1):
        found = open_warnings(iter([a1.pk, b1.pk, world.cadre_city.pk]))

    assert found == {
        a1.pk: [
            OpenWarning(earlier.pk, Dimension.CONDUCT, dt.date(2025, 3, 1), "预警2025-03-01"),
            OpenWarning(later.pk, Dimension.LAW, dt.date(2025, 9, 1), "预警2025-09-01"),
        ]
    }
    assert open_warnings([]) == {}


def test_annual_grades_by_cadre_and_year(world, django_assert_num_queries):
    a1, b1 = world.cadre_a1, world.cadre_b1
    for cadre, year, grade in [(a1, 2022, Grade.EXCELLENT), (a1, 2023, Grade.COMPETENT),
                               (a1, 2024, Grade.EXCELLENT), (b1, 2024, Grade.BASIC)]:
        AnnualAssessment.objects.create(cadre=cadre, year=year, unit=cadre.unit, grade=grade)

    with django_assert_num_queries(1):
        every_year = annual_grades((a1.pk, b1.pk))

    assert every_year == {
        a1.pk: {2022: "excellent", 2023: "competent", 2024: "excellent"},
        b1.pk: {2024: "basic"},
    }
    assert annual_grades([a1.pk, b1.pk], range(2023, 2025)) == {
        a1.pk: {2023: "competent", 2024: "excellent"},
        b1.pk: {2024: "basic"},
    }
    assert annual_grades([a1.pk], [2019]) == {}
    assert annual_grades([world.cadre_city.pk]) == {}
