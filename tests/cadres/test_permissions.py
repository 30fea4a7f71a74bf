import pytest
from django.http import Http404

from cadres.permissions import can_reveal_national_id, get_cadre_for_user, visible_cadres


def names(user):
    return sorted(visible_cadres(user).values_list("name", flat=True))


@pytest.mark.django_db
def test_visible_cadres_by_persona(world, personas):
    assert names(personas.admin) == ["张三", "李四", "王五"]
    assert names(personas.clerk_a) == ["张三"]
    assert names(personas.clerk_city) == ["王五"]
    assert names(personas.discipline) == ["张三", "李四", "王五"]
    assert names(personas.hr_a1) == ["张三"]
    assert names(personas.cadre_a1) == ["张三"]
    assert names(personas.auditor) == ["张三"]
    assert names(personas.outsider) == []


@pytest.mark.django_db
def test_get_cadre_for_user_outsider_gets_404(world, personas):
    with pytest.raises(Http404):
        get_cadre_for_user(personas.outsider, world.cadre_a1.pk)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.clerk_a, world.cadre_b1.pk)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.clerk_a, 999999)


@pytest.mark.django_db
def test_change_scope_excludes_readers(world, personas):
    with pytest.raises(Http404):
        get_cadre_for_user(personas.auditor, world.cadre_a1.pk, for_change=True)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.cadre_a1, world.cadre_a1.pk, for_change=True)
    with pytest.raises(Http404):
        get_cadre_for_user(personas.discipline, world.cadre_a1.pk, for_change=True)
    assert get_cadre_for_user(personas.hr_a1, world.cadre_a1.pk, for_change=True) == world.cadre_a1
    assert (
        get_cadre_for_user(personas.clerk_a, world.cadre_a1.pk, for_change=True) == world.cadre_a1
    )


@pytest.mark.django_db
def test_guardian_object_permission_grants_one_cadre(world, personas):
    from guardian.shortcuts import assign_perm

    assign_perm("cadres.view_cadre", personas.outsider, world.cadre_b1)
    assert names(personas.outsider) == ["李四"]
    assign_perm("cadres.reveal_national_id", personas.outsider, world.cadre_b1)
    assert can_reveal_national_id(personas.outsider, world.cadre_b1) is True
    assert can_reveal_national_id(personas.outsider, world.cadre_a1) is False
    assert can_reveal_national_id(personas.clerk_a, world.cadre_a1) is False
