"""Assessment fixtures: a township with cadres, its HR officer, helpers to grade."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assessments.services.grades import GradeInput, unit_grades_enter
from cadres.models import Cadre
from core.enums import Role
from core.models import User
from tests.factories import CadreFactory, make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures reused here


@dataclass
class Township:
    cadres: list[Cadre]  # township A1: 张三 (world.cadre_a1) and 9 more, county-managed
    hr: User  # HR officer of township A1
    hr_b: User  # HR officer of township B1
    county_clerk: User  # county A org department (county-managed cadres)


@pytest.fixture
def township(world) -> Township:
    extra = [CadreFactory(name=f"干部{i:02d}", unit=world.township_a1) for i in range(1, 10)]
    return Township(
        cadres=[world.cadre_a1, *extra],
        hr=make_user("hr_town", Role.UNIT_HR, unit=world.township_a1),
        hr_b=make_user("hr_town_b", Role.UNIT_HR, unit=world.township_b1),
        county_clerk=make_user("clerk_county", Role.INTAKE_CLERK, authorities=[world.county_a_org]),
    )


def grade_all(unit, actor, year, grades, cadres):
    """Enter grades (a list in the order of `cadres`) through the service."""
    return unit_grades_enter(
        unit,
        actor=actor,
        year=year,
        entries=[GradeInput(c.pk, g) for c, g in zip(cadres, grades, strict=True)],
    )
