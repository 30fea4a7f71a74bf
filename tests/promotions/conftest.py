"""Promotions fixtures: county A's leaders, evidence helpers, org-department staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from assessments.models import Incident, IncidentLeader
from cadres.enums import PostType, Rank
from cadres.models import Cadre
from core.enums import Role
from core.models import User
from tests.factories import CadreFactory, make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures reused here


@dataclass
class County:
    secretary: Cadre  # principal leader of county A (highest leadership rank)
    deputy: Cadre  # leader in charge, lower rank
    clerk: User  # county A org department
    auditor: User  # county A auditor (reads only)
    clerk_city: User  # city org department: another authority, sees nothing of county A


@pytest.fixture
def county(world) -> County:
    return County(
        secretary=CadreFactory(
            name="县委书记",
            unit=world.county_a,
            position="县委书记",
            post_type=PostType.LEADERSHIP,
            rank=Rank.COUNTY_CHIEF,
        ),
        deputy=CadreFactory(
            name="副县长",
            unit=world.county_a,
            position="副县长",
            post_type=PostType.LEADERSHIP,
            rank=Rank.COUNTY_DEPUTY,
        ),
        clerk=make_user("p_clerk", Role.INTAKE_CLERK, authorities=[world.county_a_org]),
        auditor=make_user("p_auditor", Role.AUDITOR, authorities=[world.county_a_org]),
        clerk_city=make_user("p_clerk_city", Role.INTAKE_CLERK, authorities=[world.city_org]),
    )


def incident(unit, on: dt.date, severity: str, leaders, kind="work_safety", **kw) -> Incident:
    """An incident with its leaders [(cadre, role)] (evidence rows, entered as data)."""
    row = Incident.objects.create(
        kind=kind, occurred_on=on, unit=unit, severity=severity, title=f"{kind}{on}", **kw
    )
    for cadre, role in leaders:
        IncidentLeader.objects.create(incident=row, cadre=cadre, role=role)
    return row
