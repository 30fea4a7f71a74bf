"""The demo data set: realistic, valid, deterministic, idempotent, and safe in production."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from cadres.enums import AuthorityKind, ManagementLevel, Rank
from cadres.models import Authority, Cadre, ListMembership, PositionRecord, TalentList, Unit
from cadres.permissions import (
    authority_covers,
    can_reveal_national_id,
    changeable_cadres,
    visible_cadres,
)
from cadres.rules import parse_id_number, pinyin_keys
from cadres.services import AUDITED_FIELDS, validate_cadre_values
from core.enums import Role
from core.models import AuditEvent, User
from demo import cadres_data as demo_data
from demo.cadres_build import unit_specs

SIZE = 80
DEMO_USERNAMES = [row[0] for row in demo_data.DEMO_USERS]


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--cadres", str(SIZE), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


@pytest.fixture
def seeded(db, debug):
    return seed()


def test_seed_demo_creates_the_province(seeded):
    assert "Seeded 110 units, 9 authorities, 80 cadres" in seeded
    assert Unit.objects.count() == len(unit_specs()) == 110
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    root = Unit.objects.get(depth=1)
    assert (root.name, Unit.objects.get_children(root).get().name) == ("山东省", "济南市")
    names = set(Unit.objects.values_list("name", flat=True))
    assert {
        "平阴县",
        "商河县",
        "历下区",
        "市中区",
        "槐荫区",
        "济南市委组织部",
        "平阴县财政局",
        "济南高新技术产业开发区",
        "济南城市建设集团有限公司",
        "济南职业学院",
        "平阴县洪范池镇",
        "洪范池镇书院村",
    } <= names
    assert Cadre.objects.count() == SIZE
    assert TalentList.objects.count() == 7
    assert Authority.objects.count() == 9
    assert AuditEvent.objects.filter(action="demo.seed").count() == 1


def test_seed_demo_cadres_pass_validation(seeded):
    for cadre in Cadre.objects.all():
        values = {field: getattr(cadre, field) for field in AUDITED_FIELDS}
        assert validate_cadre_values(values) == {}, cadre.name
        info = parse_id_number(cadre.national_id)
        assert (info.birth_date, info.gender) == (cadre.birth_date, cadre.gender)
        assert cadre.national_id.startswith("3701")
        assert (cadre.name_pinyin, cadre.name_initials) == pinyin_keys(cadre.name)
    assert len(set(Cadre.objects.values_list("national_id", flat=True))) == SIZE


def test_seed_demo_names_include_rare_characters(seeded):
    rare = [
        n
        for n in Cadre.objects.values_list("name", flat=True)
        if re.search(f"[{demo_data.RARE_CHARS}]", n)
    ]
    assert len(rare) >= 2
    assert all(
        pinyin_keys(name)[0].isascii() and len(pinyin_keys(name)[1]) == len(name) for name in rare
    )


def test_seed_demo_management_level_follows_rank_and_is_covered(seeded):
    organizations = list(
        Authority.objects.filter(kind=AuthorityKind.ORGANIZATION).prefetch_related("root_units")
    )
    for cadre in Cadre.objects.select_related("unit"):
        level = cadre.management_level
        if cadre.rank >= Rank.INSPECTOR_2:
            assert level == ManagementLevel.PROVINCE
        elif cadre.rank >= Rank.RESEARCHER_4:
            assert level == ManagementLevel.CITY
        else:
            assert level == ManagementLevel.COUNTY
        covering = [
            a.name
            for a in organizations
            if authority_covers(a, unit_path=cadre.unit.path, management_level=level)
        ]
        assert len(covering) == 1, (cadre.name, cadre.unit.name, covering)


def test_seed_demo_position_histories_are_consistent(seeded):
    histories = {}
    for record in PositionRecord.objects.order_by("cadre_id", "start_date"):
        histories.setdefault(record.cadre_id, []).append(record)
    moves = Counter()
    for cadre in Cadre.objects.all():
        history = histories[cadre.pk]
        assert 2 <= len(history) <= 5
        assert [r.end_date for r in history[:-1]] == [r.start_date for r in history[1:]]
        assert all(
            a.start_date < b.start_date for a, b in zip(history[:-1], history[1:], strict=True)
        )
        current = history[-1]
        assert (current.end_date, current.unit_id, current.title, current.rank) == (
            None,
            cadre.unit_id,
            cadre.position,
            cadre.rank,
        )
        assert cadre.rank_since == next(
            r.start_date
            for i, r in enumerate(history)
            if all(x.rank == cadre.rank for x in history[i:])
        )
        assert history[0].start_date >= cadre.work_start_date
        moves.update(r.move for r in history)
    assert {"promoted", "lateral"} <= set(moves)


def test_seed_demo_default_size_has_all_moves_and_lists(db, debug):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert Cadre.objects.count() == 600
    assert set(PositionRecord.objects.values_list("move", flat=True)) >= {
        "appointed",
        "promoted",
        "exceptional",
        "rank_advanced",
        "lateral",
        "to_non_leadership",
    }
    assert set(ListMembership.objects.values_list("talent_list__code", flat=True)) == set(
        demo_data.TALENT_LISTS
    )
    assert set(Cadre.objects.values_list("management_level", flat=True)) == {
        "province",
        "city",
        "county",
    }


def test_seed_demo_one_user_per_role(seeded):
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert sorted(users) == sorted(DEMO_USERNAMES)
    roles = Counter(role for u in users.values() for role in u.roles)
    assert roles == Counter({role: 1 for role in Role.values})
    assert users["admin"].is_superuser and not users["clerk"].is_superuser
    assert [a.name for a in users["clerk"].authorities.all()] == ["中共济南市委组织部"]
    assert [a.name for a in users["discipline"].authorities.all()] == ["济南市纪委监委"]
    assert users["hr"].unit.name.endswith("镇")
    assert users["cadre"].cadre.unit == users["hr"].unit
    assert users["cadre"].full_name == users["cadre"].cadre.name


def test_seed_demo_users_scopes(seeded):
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    city_managed = Cadre.objects.filter(management_level="city").count()
    assert visible_cadres(users["clerk"]).count() == city_managed > 0
    assert changeable_cadres(users["auditor"]).count() == 0
    assert visible_cadres(users["auditor"]).count() == city_managed
    assert list(visible_cadres(users["cadre"])) == [users["cadre"].cadre]
    hr_unit = users["hr"].unit
    assert set(visible_cadres(users["hr"])) == set(
        Cadre.objects.filter(unit__path__startswith=hr_unit.path)
    )
    assert users["auditor"].has_perm("core.view_auditevent")
    assert not users["auditor"].has_perm("cadres.change_cadre")
    assert users["clerk"].has_perm("cadres.change_cadre")


def test_seed_demo_only_administrators_see_full_id_numbers(seeded):
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    revealing = {
        name for name, user in users.items() if user.has_perm("cadres.reveal_national_id")
    }
    assert revealing == {"admin"}
    assert not Group.objects.filter(permissions__codename="reveal_national_id").exists()
    some_cadre = visible_cadres(users["clerk"]).first()
    assert can_reveal_national_id(users["clerk"], some_cadre) is False
    assert can_reveal_national_id(users["investigator"], some_cadre) is False
    assert can_reveal_national_id(users["admin"], some_cadre) is True
    assert users["clerk"].has_perm("cadres.change_cadre")
    assert users["investigator"].has_perm("cadres.view_cadre")


def test_seed_demo_logins_work_and_are_printed_in_debug(seeded, client):
    assert f"password for all: {demo_data.DEFAULT_DEMO_PASSWORD}" in seeded
    for username, role, _name, _scope in demo_data.DEMO_USERS:
        assert re.search(rf"^  {username} +{role} ", seeded, re.M), username
    response = client.post(
        "/accounts/login/",
        {"username": "clerk", "password": demo_data.DEFAULT_DEMO_PASSWORD},
    )
    assert (response.status_code, response.url) == (302, "/")


def test_seed_demo_is_idempotent(seeded):
    before = (
        Unit.objects.count(),
        Cadre.objects.count(),
        PositionRecord.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )
    out = seed()
    assert "already present (80 cadres); nothing changed" in out
    assert "(as seeded, unless changed since)" in out
    assert (
        Unit.objects.count(),
        Cadre.objects.count(),
        PositionRecord.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_seed_demo_reset_is_deterministic(seeded):
    first = list(
        Cadre.objects.order_by("national_id").values_list(
            "name", "national_id", "unit__code", "position", "rank_since"
        )
    )
    hr_unit = User.objects.get(username="hr").unit.code
    out = seed("--reset")
    assert "Seeded 110 units" in out
    again = list(
        Cadre.objects.order_by("national_id").values_list(
            "name", "national_id", "unit__code", "position", "rank_since"
        )
    )
    assert again == first
    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == 9
    assert User.objects.get(username="hr").unit.code == hr_unit
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_seed_demo_other_seed_other_people(seeded):
    first = set(Cadre.objects.values_list("national_id", flat=True))
    seed("--reset", "--seed", "7")
    assert set(Cadre.objects.values_list("national_id", flat=True)).isdisjoint(first)


@pytest.mark.django_db
def test_seed_demo_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        seed()
    assert (Unit.objects.count(), User.objects.filter(username__in=DEMO_USERNAMES).count()) == (
        0,
        0,
    )


@pytest.mark.django_db
def test_seed_demo_forced_without_debug_prints_no_password(settings):
    settings.DEBUG = False
    out = seed("--force")
    assert demo_data.DEFAULT_DEMO_PASSWORD not in out
    assert "unusable passwords" in out
    assert Cadre.objects.count() == SIZE
    users = User.objects.filter(username__in=DEMO_USERNAMES)
    assert users.count() == 9
    assert not any(u.has_usable_password() for u in users)
    with pytest.raises(CommandError, match="refused with DEBUG off"):
        seed("--force", "--reset")
    assert Cadre.objects.count() == SIZE


def test_seed_demo_leaves_real_data_alone(world, debug):
    out = seed()
    assert "holds units that are not demo data; nothing seeded" in out
    assert (Unit.objects.count(), Cadre.objects.count(), AuditEvent.objects.count()) == (6, 3, 0)
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


@pytest.mark.django_db
def test_seed_demo_too_few_cadres_refused(debug):
    with pytest.raises(CommandError, match="at least 20"):
        seed("--cadres", "5")
