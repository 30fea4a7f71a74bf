"""A small slice of a second province for the demo: 陕西省 → 西安市 → 蓝田县 with its
organization department, three cadres of a township and one case decided under 陕西省's own
measure (the shipped 《陕西省党政干部容错纠错办法（试行）》), so that a user sees two
jurisdictions side by side. Run by seed_demo_cases after the Jinan cases; idempotent (the
slice is written once, when no unit has code 61)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from cadres.enums import (
    AuthorityKind,
    Education,
    ManagementLevel,
    PostType,
    Rank,
    UnitKind,
)
from cadres.models import Authority, Cadre, PositionRecord, Unit
from cadres.rules import id_check_code
from core.enums import Role
from core.models import User
from demo.tolerance import DemoCases, Team, _findings
from tolerance.committee import committee_seat_add
from tolerance.enums import Outcome, StartedBy
from tolerance.models import Case

PROVINCE = ("61", "陕西省", UnitKind.PROVINCE)
CITY = ("6101", "西安市", UnitKind.CITY)
COUNTY = ("610122", "蓝田县", UnitKind.COUNTY)
TOWN = ("61012201", "蓝田县玉川镇", UnitKind.TOWNSHIP)
AUTHORITY = ("中共蓝田县委组织部", "蓝组")
STAFF = [
    ("lantian_clerk", Role.INTAKE_CLERK, "杜雅琴"),
    ("lantian_investigator", Role.INVESTIGATOR, "雷振华"),
    ("lantian_member1", Role.COMMITTEE_MEMBER, "党建民"),
    ("lantian_member2", Role.COMMITTEE_MEMBER, "惠丽娜"),
    ("lantian_leader", Role.APPROVING_LEADER, "屈国栋"),
]
CADRES = [  # name, gender, birth, post, rank
    ("樊志远", "M", dt.date(1979, 4, 12), "镇党委书记", Rank.SECTION_CHIEF),
    ("权晓燕", "F", dt.date(1984, 9, 3), "镇长", Rank.SECTION_CHIEF),
    ("寇文斌", "M", dt.date(1988, 1, 21), "副镇长", Rank.SECTION_DEPUTY),
]
# Shaanxi's measure: conditions SC1–SC3, exclusions X1–X3 and X5, situations SX-01….
EXEMPT_SX = _findings(
    situations=("SX-01",),
    conditions={c: "holds" for c in ("SC1", "SC2", "SC3")},
    exclusions={x: "absent" for x in ("X1", "X2", "X3", "X5")},
)


def already_seeded() -> bool:
    return Unit.objects.filter(code=PROVINCE[0]).exists()


def _unit(parent: Unit | None, code: str, name: str, kind: str) -> Unit:
    values = {"code": code, "name": name, "kind": kind}
    if parent is None:
        return Unit.objects.add_root(values)
    return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), values)


def _cadre(unit: Unit, index: int, name: str, gender: str, birth: dt.date, post: str,
           rank: int) -> Cadre:
    first17 = f"610122{birth:%Y%m%d}{(index * 2 + (1 if gender == 'M' else 0)):03d}"
    since = dt.date(2019, 3, 1)
    cadre = Cadre.objects.create(
        name=name, gender=gender, ethnicity="汉族", birth_date=birth,
        national_id=first17 + id_check_code(first17), native_place="陕西蓝田",
        party_join_date=dt.date(birth.year + 22, 7, 1),
        work_start_date=dt.date(birth.year + 22, 8, 1), education=Education.BACHELOR,
        unit=unit, position=post, post_type=PostType.LEADERSHIP, rank=rank, rank_since=since,
        management_level=ManagementLevel.COUNTY,
    )
    PositionRecord.objects.create(
        cadre=cadre, start_date=since, unit=unit, unit_name=unit.name, title=post, rank=rank,
        move="appointed",
    )
    return cadre


def seed_second_province(password: str | None) -> list[Case]:
    """The slice and its one case; [] when it is there already."""
    if already_seeded():
        return []
    with transaction.atomic():
        province = _unit(None, *PROVINCE)
        city = _unit(province, *CITY)
        county = _unit(city, *COUNTY)
        town = _unit(county, *TOWN)
        authority = Authority.objects.create(
            name=AUTHORITY[0], short_name=AUTHORITY[1], kind=AuthorityKind.ORGANIZATION,
            management_levels=[ManagementLevel.COUNTY],
        )
        authority.root_units.set([county])
        hashed = make_password(password)
        staff = {}
        for username, role, full_name in STAFF:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.full_name, user.is_active, user.password = full_name, True, hashed
            user.save()
            user.groups.set([Group.objects.get_or_create(name=role)[0]])
            user.authorities.set([authority])
            staff[username] = User.objects.get(pk=user.pk)
        team = Team(
            clerk=staff["lantian_clerk"],
            investigator=staff["lantian_investigator"],
            members=[staff["lantian_member1"], staff["lantian_member2"],
                     staff["lantian_leader"]],
            leader=staff["lantian_leader"],
        )
        for user in team.members:
            committee_seat_add(authority, user, actor=None,
                               title="主任" if user == team.leader else "委员")
        cadres = [_cadre(town, i, *row) for i, row in enumerate(CADRES)]
    demo = DemoCases(cadre_user=None, hr=None, county=team, city=team)
    case = demo.file(
        team.clerk, StartedBy.EX_OFFICIO_INSPECTION, [cadres[1]],
        "猕猴桃产业园土地流转补偿标准执行偏差",
        "在推进猕猴桃产业园建设中，为赶农时先行流转土地，补偿标准执行出现偏差，"
        "已全额补发并完善手续。",
        dt.date(2025, 9, 16), action="拟给予诫勉", action_by="县纪委监委",
    )
    case = demo.investigate(case, team)
    case = demo.refer(case, team, {cadres[1].pk: EXEMPT_SX})
    case = demo.decide(case, team, {cadres[1].pk: Outcome.EXEMPT})
    return [case]
