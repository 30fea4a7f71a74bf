"""Who may view, change and reveal which cadre: every persona against every cadre.

The world (tests/conftest.py) holds three cadres: 张三 (county-managed, county A township),
李四 (county-managed, district B street) and 王五 (city-managed, city bureau). Each row names
how the cadre relates to the persona: "own" record, "in" its jurisdiction, or "out" of it.

Actions go through the same path the views use:
- view:   get_cadre_for_user(user, pk) finds the cadre (else 404);
- change: get_cadre_for_user(..., for_change=True) finds it AND cadre_update succeeds
          (else 404 and PermissionDenied, with nothing written);
- reveal: the cadre is visible AND cadre_reveal_national_id returns the full number.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cadres.models import Cadre
from cadres.permissions import (
    can_change_cadre,
    can_reveal_national_id,
    changeable_cadres,
    get_cadre_for_user,
    visible_cadres,
)
from cadres.services import cadre_reveal_national_id, cadre_update
from core.enums import Role
from core.models import AuditEvent

from ..factories import make_user

T, F = True, False

# persona, cadre, relation, view, change, reveal
MATRIX = [
    ("admin", "cadre_a1", "in", T, T, T),
    ("admin", "cadre_b1", "in", T, T, T),
    ("admin", "cadre_city", "in", T, T, T),
    ("clerk_a", "cadre_a1", "in", T, T, F),
    ("clerk_a", "cadre_b1", "out", F, F, F),  # another county
    ("clerk_a", "cadre_city", "out", F, F, F),  # city-managed: not county A's level
    ("clerk_a_reveal", "cadre_a1", "in", T, T, T),
    ("clerk_a_reveal", "cadre_b1", "out", F, F, F),  # the permission does not widen reach
    ("clerk_a_reveal", "cadre_city", "out", F, F, F),
    ("clerk_city", "cadre_a1", "out", F, F, F),  # county-managed
    ("clerk_city", "cadre_b1", "out", F, F, F),
    ("clerk_city", "cadre_city", "in", T, T, F),
    ("discipline", "cadre_a1", "in", T, F, F),  # discipline staff read, never edit
    ("discipline", "cadre_b1", "in", T, F, F),
    ("discipline", "cadre_city", "in", T, F, F),
    ("hr_a1", "cadre_a1", "in", T, T, F),
    ("hr_a1", "cadre_b1", "out", F, F, F),
    ("hr_a1", "cadre_city", "out", F, F, F),
    ("cadre_a1", "cadre_a1", "own", T, F, F),
    ("cadre_a1", "cadre_b1", "out", F, F, F),
    ("cadre_a1", "cadre_city", "out", F, F, F),
    ("auditor", "cadre_a1", "in", T, F, F),  # read-only
    ("auditor", "cadre_b1", "out", F, F, F),
    ("auditor", "cadre_city", "out", F, F, F),
    ("outsider", "cadre_a1", "out", F, F, F),
    ("outsider", "cadre_b1", "out", F, F, F),
    ("outsider", "cadre_city", "out", F, F, F),
]
PERSONAS = sorted({row[0] for row in MATRIX})
CADRES = ["cadre_a1", "cadre_b1", "cadre_city"]


def persona(personas, world, name):
    if name == "clerk_a_reveal":
        user = make_user("clerk_a_reveal", Role.INTAKE_CLERK, authorities=[world.county_a_org])
        user.user_permissions.add(Permission.objects.get(codename="reveal_national_id"))
        return user
    return getattr(personas, name)


def may_view(user, cadre) -> bool:
    try:
        return get_cadre_for_user(user, cadre.pk) == cadre
    except Http404:
        return False


def may_change(user, cadre) -> bool:
    try:
        found = get_cadre_for_user(user, cadre.pk, for_change=True) == cadre
    except Http404:
        found = False
    assert can_change_cadre(user, cadre) is found
    events = AuditEvent.objects.count()
    try:
        cadre_update(cadre, actor=user, changes={"position": "矩阵测试"})
    except PermissionDenied:
        assert AuditEvent.objects.count() == events
        assert Cadre.objects.get(pk=cadre.pk).position == cadre.position
        return False
    assert found, "the service allowed a change the access helper refuses"
    assert AuditEvent.objects.filter(action="cadre.update").count() == 1
    return True


def may_reveal(user, cadre) -> bool:
    if not may_view(user, cadre):
        return False
    try:
        number = cadre_reveal_national_id(cadre, actor=user)
    except PermissionDenied:
        assert can_reveal_national_id(user, cadre) is False
        return False
    assert number == cadre.national_id
    return True


def test_matrix_is_complete():
    assert sorted((row[0], row[1]) for row in MATRIX) == sorted(
        (p, c) for p in PERSONAS for c in CADRES
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "target", "relation", "view", "change", "reveal"),
    MATRIX,
    ids=[f"{row[0]}-{row[1]}-{row[2]}" for row in MATRIX],
)
def test_permission_matrix(world, personas, who, target, relation, view, change, reveal):
    user = persona(personas, world, who)
    cadre = getattr(world, target)
    assert (may_view(user, cadre), may_reveal(user, cadre), may_change(user, cadre)) == (
        view,
        reveal,
        change,
    )
    assert AuditEvent.objects.filter(action="cadre.national_id.reveal").count() == int(reveal)


@pytest.mark.django_db
@pytest.mark.parametrize("who", PERSONAS)
def test_lists_agree_with_matrix(world, personas, who):
    user = persona(personas, world, who)
    rows = [row for row in MATRIX if row[0] == who]
    expected_view = sorted(getattr(world, row[1]).pk for row in rows if row[3])
    expected_change = sorted(getattr(world, row[1]).pk for row in rows if row[4])
    assert sorted(visible_cadres(user).values_list("pk", flat=True)) == expected_view
    assert sorted(changeable_cadres(user).values_list("pk", flat=True)) == expected_change


@pytest.mark.django_db
def test_outsider_sees_nothing(world, personas):
    outsider = personas.outsider
    assert list(visible_cadres(outsider)) == []
    assert list(changeable_cadres(outsider)) == []
    for cadre in (world.cadre_a1, world.cadre_b1, world.cadre_city):
        with pytest.raises(Http404):
            get_cadre_for_user(outsider, cadre.pk)
        assert can_reveal_national_id(outsider, cadre) is False


@pytest.mark.django_db
@pytest.mark.parametrize("who", PERSONAS)
def test_missing_cadre_is_404_for_everyone(world, personas, who):
    user = persona(personas, world, who)
    with pytest.raises(Http404):
        get_cadre_for_user(user, 987654)
    with pytest.raises(Http404):
        get_cadre_for_user(user, 987654, for_change=True)


@pytest.mark.django_db
def test_inactive_user_loses_everything(world, personas):
    clerk = personas.clerk_a
    clerk.is_active = False
    clerk.save()
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert list(visible_cadres(clerk)) == []
    assert list(changeable_cadres(clerk)) == []
    assert can_reveal_national_id(clerk, world.cadre_a1) is False
