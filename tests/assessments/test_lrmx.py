"""年度考核结果 of the .lrmx export: every year's grade, oldest first, in one query."""

import pytest

from assessments.enums import Grade
from assessments.lrmx import annual_results
from assessments.models import AnnualAssessment

pytestmark = pytest.mark.django_db


def grade(cadre, year, value):
    return AnnualAssessment.objects.create(cadre=cadre, year=year, unit=cadre.unit, grade=value)


def test_each_cadre_reads_year_by_year(world, django_assert_num_queries):
    a1, b1 = world.cadre_a1, world.cadre_b1
    grade(a1, 2022, Grade.EXCELLENT)
    grade(a1, 2021, Grade.COMPETENT)
    grade(a1, 2023, Grade.NOT_GRADED)
    grade(b1, 2023, Grade.BASIC)

    with django_assert_num_queries(1):
        results = annual_results([a1.pk, b1.pk, world.cadre_city.pk])

    assert results == {
        a1.pk: "2021年度：称职；2022年度：优秀；2023年度：不定等次。",
        b1.pk: "2023年度：基本称职。",
    }


def test_the_labels_are_chinese_whatever_the_active_language(world):
    from django.utils import translation

    grade(world.cadre_a1, 2024, Grade.EXCELLENT)
    with translation.override("en"):
        assert annual_results([world.cadre_a1.pk]) == {world.cadre_a1.pk: "2024年度：优秀。"}
