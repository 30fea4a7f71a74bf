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


JINAN_TOWNSHIP_BASIS = "测试：济南市乡镇（街道）优秀等次比例20%（管理员录入）"


@pytest.fixture(autouse=True)
def jinan_township_quota(db):
    """The test world's units are in 济南市, whose shipped quota row (migration 0005) is the
    seed-silent 15% default; these tests exercise the township arithmetic at 20%, as an
    administrator of 济南市 entering its own measure would."""
    from decimal import Decimal

    from assessments.models import QuotaPolicy

    return QuotaPolicy.objects.get_or_create(
        jurisdiction_code="3701", unit_kind="township", from_year=2018,
        defaults={"jurisdiction_name": "济南市", "share": Decimal("0.200"),
                  "basis": JINAN_TOWNSHIP_BASIS},
    )[0]


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
