"""Factories for tests. Units are tree nodes, so they are created through treebeard."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import Group

from cadres.enums import AuthorityKind, ManagementLevel, PostType, Rank, UnitKind
from cadres.models import Authority, Cadre, Unit
from cadres.rules import id_check_code
from core.models import User

_serial = itertools.count(1)


def make_id_number(birth: dt.date, *, gender: str = "M", region: str = "370102") -> str:
    """A valid GB 11643 number for the birth date and gender (unique per call)."""
    seq = next(_serial) % 500
    gender_digit = 1 if gender == "M" else 0
    order = f"{seq:02d}{(seq % 5) * 2 + gender_digit}"[-3:]
    if int(order[-1]) % 2 != gender_digit:
        order = order[:2] + str(gender_digit)
    first17 = f"{region}{birth:%Y%m%d}{order}"
    return first17 + id_check_code(first17)


def make_unit(
    name: str,
    *,
    kind: str = UnitKind.DEPARTMENT,
    parent: Unit | None = None,
    code: str | None = None,
    **extra,
) -> Unit:
    code = code or f"U{next(_serial):06d}"
    if parent is None:
        return Unit.objects.add_root(dict(name=name, code=code, kind=kind, **extra))
    parent.refresh_from_db()
    return Unit.objects.add_child(parent, dict(name=name, code=code, kind=kind, **extra))


def make_authority(
    name: str,
    *,
    roots: list[Unit],
    levels: list[str],
    kind: str = AuthorityKind.ORGANIZATION,
    short_name: str | None = None,
) -> Authority:
    """Short names are unique (they go into document numbers): by default 组1, 组2, ..."""
    authority = Authority.objects.create(
        name=name,
        short_name=short_name or f"组{next(_serial)}",
        kind=kind,
        management_levels=levels,
    )
    authority.root_units.set(roots)
    return authority


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Iterator(["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十"])
    gender = "M"
    ethnicity = "汉族"
    birth_date = dt.date(1980, 5, 17)
    national_id = factory.LazyAttribute(lambda o: make_id_number(o.birth_date, gender=o.gender))
    position = "科员"
    post_type = PostType.NON_LEADERSHIP
    rank = Rank.PRINCIPAL_STAFF_4
    rank_since = dt.date(2018, 7, 1)
    management_level = ManagementLevel.COUNTY
    party_join_date = dt.date(2003, 6, 1)


def make_user(
    username: str,
    *roles: str,
    authorities=(),
    unit: Unit | None = None,
    cadre: Cadre | None = None,
    password: str = "pw-Secret-123",
) -> User:
    user = User.objects.create_user(
        username=username, password=password, full_name=username, unit=unit, cadre=cadre
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if authorities:
        user.authorities.set(authorities)
    return user


def fresh_user(user: User) -> User:
    """The same user as a new request would load it (nothing kept on the object)."""
    return User.objects.get(pk=user.pk)
