"""The rank grid: one group and year entered as a whole; the change is computed."""

import pytest
from django.urls import reverse

from assessments.models import MonitoringRank
from assessments.services.evidence import ranks_set
from tests.factories import make_unit


@pytest.fixture
def counties(world):
    return [world.county_a, make_unit("丙县", kind="county", parent=world.city, code="370125")]


def _url(group="county", year=2024):
    return reverse("assessments:ranks-enter") + f"?group={group}&year={year}"


@pytest.mark.django_db
def test_rank_grid_saves_and_list_shows_change(client, world, personas, counties):
    a, c = counties
    ranks_set(actor=personas.admin, year=2023, group="county", ranks={a.pk: 1, c.pk: 2})
    client.force_login(personas.clerk_city)
    response = client.get(_url())
    assert [(r["unit"].name, r["previous"]) for r in response.context["rows"]] == [
        ("甲县", 1),
        ("丙县", 2),
    ]
    response = client.post(
        _url(), {f"rank-{a.pk}": "2", f"rank-{c.pk}": "1", f"score-{c.pk}": "93.5"}
    )
    assert response.status_code == 302
    assert sorted(
        MonitoringRank.objects.filter(year=2024).values_list("unit__name", "rank", "score")
    ) == [("丙县", 1, 93.5), ("甲县", 2, None)]
    listing = client.get(reverse("assessments:entry", args=["ranks"]) + "?year=2024")
    shown = [(row["cells"][3].text, str(row["cells"][6].text)) for row in listing.context["rows"]]
    assert shown == [("丙县", "进1位"), ("甲县", "退1位")]


@pytest.mark.django_db
def test_rank_grid_refuses_gaps_and_keeps_input(client, world, personas, counties):
    a, c = counties
    client.force_login(personas.clerk_city)
    response = client.post(_url(), {f"rank-{a.pk}": "1", f"rank-{c.pk}": "3"})
    assert response.status_code == 200
    assert response.context["errors"] == ["名次缺失：2。"]
    assert [r["rank"] for r in response.context["rows"]] == ["1", "3"]
    response = client.post(_url(), {f"rank-{a.pk}": "x"})
    assert response.context["rows"][0]["problem"] == "请填写从 1 开始的名次。"
    assert not MonitoringRank.objects.exists()


@pytest.mark.django_db
def test_rank_grid_by_persona(client, world, personas, counties):
    for user in (personas.hr_a1, personas.auditor, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(_url()).status_code == 404
    client.force_login(personas.clerk_a)  # county A's department sees only county A
    response = client.get(_url())
    assert [r["unit"].name for r in response.context["rows"]] == ["甲县"]
    response = client.get(_url(group="district"))
    assert response.context["rows"] == []
    client.force_login(personas.clerk_city)
    assert client.get(_url(group="nonsense")).status_code == 404


@pytest.mark.django_db
def test_partial_jurisdiction_cannot_replace_a_wider_ranking(client, world, personas, counties):
    a, c = counties
    ranks_set(actor=personas.admin, year=2024, group="county", ranks={a.pk: 1, c.pk: 2})
    client.force_login(personas.clerk_a)  # covers county A only
    response = client.post(_url(), {f"rank-{a.pk}": "1"})
    assert response.status_code == 200
    assert response.context["errors"] == [
        "本类别本年度的排名包含您管辖范围以外的单位；只有覆盖全部这些单位的组织部门才能替换。"
    ]
    assert sorted(MonitoringRank.objects.values_list("unit__name", "rank")) == [
        ("丙县", 2),
        ("甲县", 1),
    ]


@pytest.mark.django_db
def test_rank_grid_query_count_pinned(client, world, personas, counties, django_assert_num_queries):
    client.force_login(personas.clerk_city)
    client.get(_url())
    with django_assert_num_queries(12):
        assert len(client.get(_url()).context["rows"]) == 2
    for i in range(5):
        make_unit(f"新县{i}", kind="county", parent=world.city)
    with django_assert_num_queries(12):
        assert len(client.get(_url()).context["rows"]) == 7
