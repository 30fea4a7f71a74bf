"""Every persona of the workbench tests: tests/conftest.py's, plus the tolerance roles."""

from __future__ import annotations

import pytest

from core.enums import Role
from tests.factories import make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)

PERSONAS = (
    "admin", "clerk_a", "clerk_city", "discipline", "hr_a1", "cadre_a1", "auditor", "outsider",
)


@pytest.fixture
def everyone(personas, world) -> dict:
    """Name → user, one of each role (and the outsider); county A staff unless named city."""
    people = {name: getattr(personas, name) for name in PERSONAS}
    a = [world.county_a_org]
    people["investigator"] = make_user("w_inv", Role.INVESTIGATOR, authorities=a)
    people["committee"] = make_user("w_member", Role.COMMITTEE_MEMBER, authorities=a)
    people["leader"] = make_user("w_leader", Role.APPROVING_LEADER, authorities=a)
    people["city_auditor"] = make_user("city_auditor", Role.AUDITOR, authorities=[world.city_org])
    return people
