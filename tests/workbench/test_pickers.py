from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CadreFactory, make_unit
from workbench.pickers import PICK_LIMIT


def pick(client, kind, q):
    response = client.get(reverse("workbench:pick", args=[kind]), {"q": q})
    assert response.status_code == 200
    return [row["text"].split(" · ")[0] for row in response.json()["results"]]


@pytest.mark.django_db
def test_cadre_picker_finds_by_pinyin_within_jurisdiction(client, world, personas):
    client.force_login(personas.clerk_a)
    assert pick(client, "cadres", "zs") == ["张三"]
    assert pick(client, "cadres", "张") == ["张三"]
    assert pick(client, "cadres", "ww") == []  # 王五 is the city's
    client.force_login(personas.clerk_city)
    assert pick(client, "cadres", "ww") == ["王五"]
    assert pick(client, "cadres", "zs") == []
    client.force_login(personas.outsider)
    assert pick(client, "cadres", "zs") == []


@pytest.mark.django_db
def test_unit_picker_finds_by_name_or_code_within_jurisdiction(client, world, personas):
    client.force_login(personas.clerk_a)
    names = pick(client, "units", "城关")
    assert names == ["甲县城关镇（37012401）"]
    assert pick(client, "units", "370124")[:1] == ["甲县（370124）"]
    client.force_login(personas.outsider)
    assert pick(client, "units", "城关") == []


@pytest.mark.django_db
def test_picker_answers_nothing_without_text_and_404_for_other_kinds(client, personas):
    client.force_login(personas.clerk_a)
    assert client.get(reverse("workbench:pick", args=["cadres"])).json() == {"results": []}
    assert client.get(reverse("workbench:pick", args=["users"])).status_code == 404
    client.logout()
    assert client.get(reverse("workbench:pick", args=["cadres"])).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 60])
def test_cadre_picker_query_count_is_constant(
    client, world, personas, django_assert_num_queries, more
):
    for i in range(more):
        CadreFactory(name=f"张{i:02d}", unit=world.township_a1)
    client.force_login(personas.clerk_a)
    pick(client, "cadres", "张")  # the session
    # session, user, roles, authorities with their root units (2), the matching cadres
    with django_assert_num_queries(6):
        found = pick(client, "cadres", "张")
    assert len(found) == min(1 + more, PICK_LIMIT)


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 60])
def test_unit_picker_query_count_is_constant(
    client, world, personas, django_assert_num_queries, more
):
    for i in range(more):
        make_unit(f"城关社区{i:02d}", parent=world.township_a1)
    client.force_login(personas.clerk_a)
    pick(client, "units", "城关")
    # session, user, roles, authorities with their root units (2), the matching units
    with django_assert_num_queries(6):
        found = pick(client, "units", "城关")
    assert len(found) == min(1 + more, PICK_LIMIT)
