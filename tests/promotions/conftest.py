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


@dataclass
class Exceptional:
    cadre: Cadre  # section chief of township A1, under 3 years in rank (seed 000's 谢允岗)
    leader: User  # county A approving leader
    cadre_user: User  # the cadre's own login


@pytest.fixture
def exc(world) -> Exceptional:
    from django.utils import timezone

    today = timezone.localdate()
    cadre = CadreFactory(
        name="谢允岗",
        unit=world.township_a1,
        position="社会事务科科长",
        post_type=PostType.LEADERSHIP,
        rank=Rank.SECTION_CHIEF,
        rank_since=today.replace(year=today.year - 2, day=1),
    )
    return Exceptional(
        cadre=cadre,
        leader=make_user("p_leader", Role.APPROVING_LEADER, authorities=[world.county_a_org]),
        cadre_user=make_user("p_xie", Role.CADRE, cadre=cadre),
    )


def request_for(exc: Exceptional, actor: User, **kw):
    from promotions.exceptional.services import exceptional_create

    args = {
        "actor": actor,
        "target_title": "社区服务中心主任",
        "target_rank": Rank.COUNTY_DEPUTY,
        "situation": "outstanding_results",
        "reasons": "负责整村拆迁，工作实绩突出，群众基础较好。",
    }
    args.update(kw)
    return exceptional_create(exc.cadre, **args)


@pytest.fixture
def seeded_promotion_policy(transactional_db):
    """The seed policy of the data migration, which an earlier transaction test's flush removed
    (serialized_rollback would restore it but clashes with recreated content types)."""
    from tests.policy_support import reseed_shipped_measures

    reseed_shipped_measures()  # does nothing when the versions exist


@pytest.fixture
def city_under_seed_003(world):
    """济南市's shipped up/down measure has none of seed 003's trigger areas or bonus (its
    seed is silent on them); tests of that arithmetic publish, as an administrator of the
    test city would, a version that adopts seed 003's numbers."""
    import datetime as dt

    from django.utils import timezone

    from promotions.models import PromotionPolicy
    from promotions.policy_data import DEFAULT_CONTENT

    return PromotionPolicy.objects.create(
        jurisdiction_code=world.city.code,
        jurisdiction_name=world.city.name,
        code="test-city-seed003",
        title="测试市推进领导干部能上能下办法",
        issuer="测试",
        effective_from=dt.date(2016, 1, 2),
        status="published",
        published_at=timezone.now(),
        content=DEFAULT_CONTENT,
    )
