import pytest

from assessments.permissions import (
    evidence_units,
    evidence_writable_units,
    gradable_cadres,
    gradable_units,
    visible_assessments,
)
from assessments.services.grades import GradeInput, unit_grades_enter


@pytest.mark.django_db
def test_gradable_units_by_persona(world, personas):
    assert set(gradable_units(personas.hr_a1)) == {world.township_a1}
    assert set(gradable_units(personas.clerk_a)) == {world.county_a, world.township_a1}
    for user in (personas.cadre_a1, personas.outsider, personas.auditor, personas.discipline):
        assert not gradable_units(user).exists()
    assert gradable_units(personas.admin).count() == 6


@pytest.mark.django_db
def test_gradable_cadres_follow_management_level(world, personas):
    assert set(gradable_cadres(personas.hr_a1)) == {world.cadre_a1}
    assert set(gradable_cadres(personas.clerk_city)) == {world.cadre_city}


@pytest.mark.django_db
def test_visible_assessments_cadre_sees_only_own(world, personas):
    for cadre, unit in ((world.cadre_a1, world.township_a1), (world.cadre_b1, world.township_b1)):
        unit_grades_enter(
            unit, actor=personas.admin, year=2024, entries=[GradeInput(cadre.pk, "competent")]
        )
    assert [a.cadre for a in visible_assessments(personas.cadre_a1)] == [world.cadre_a1]
    assert [a.cadre for a in visible_assessments(personas.hr_a1)] == [world.cadre_a1]
    assert visible_assessments(personas.outsider).count() == 0
    assert visible_assessments(personas.discipline).count() == 2


@pytest.mark.django_db
def test_evidence_units_by_persona(world, personas):
    assert set(evidence_units(personas.auditor)) == {world.county_a, world.township_a1}
    assert set(evidence_units(personas.hr_a1)) == {world.township_a1}
    assert not evidence_units(personas.cadre_a1).exists()
    assert not evidence_units(personas.outsider).exists()
    assert not evidence_writable_units(personas.auditor).exists()
    assert not evidence_writable_units(personas.discipline).exists()
    assert not evidence_writable_units(personas.hr_a1).exists()
    assert set(evidence_writable_units(personas.clerk_a)) == {world.county_a, world.township_a1}
