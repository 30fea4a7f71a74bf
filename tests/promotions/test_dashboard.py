"""The dashboard's figures: proposals per area and year, promotions and down-adjustments
per year, commendations per year; what the user may see only; query counts pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import TargetAssessment
from cadres.enums import MoveType
from cadres.services import cadre_move
from promotions.dashboard import figures
from promotions.incentives.commendations import commendation_create
from promotions.triggers.scan import scan
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def move(cadre, actor, kind, on):
    return cadre_move(
        cadre,
        actor=actor,
        move=kind,
        on=on,
        unit=cadre.unit,
        title="新职务",
        rank=cadre.rank + 5 if kind != MoveType.DEMOTED else cadre.rank - 5,
    )


def commend(actor, year, **subject):
    return commendation_create(
        actor=actor,
        kind="outstanding",
        year=year,
        granted_on=dt.date(year, 7, 1),
        granted_by="中共甲县县委",
        citation="事迹",
        **subject,
    )


@pytest.fixture
def history(world, county, personas):
    """County A: a target proposal in 2023; 2022 one promotion, 2023 one exceptional
    promotion and one demotion; commendations 2023 (cadre, team) and 2024 (cadre).
    County B: one promotion in 2023 (outside county A's jurisdiction)."""
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    admin = personas.admin
    move(world.cadre_a1, admin, MoveType.PROMOTED, dt.date(2022, 3, 1))
    move(county.deputy, admin, MoveType.EXCEPTIONAL_PROMOTION, dt.date(2023, 4, 1))
    other = CadreFactory(name="降职者", unit=world.township_a1, rank=65)
    move(other, admin, MoveType.DEMOTED, dt.date(2023, 9, 1))
    move(world.cadre_b1, admin, MoveType.PROMOTED, dt.date(2023, 5, 1))
    commend(county.clerk, 2023, cadre=world.cadre_a1)
    commend(county.clerk, 2023, unit=world.township_a1, team_name="专班")
    commend(county.clerk, 2024, cadre=county.deputy)


def test_figures_for_county_a_staff(history, county):
    found = figures(county.clerk)
    assert found.years == [2022, 2023, 2024]
    assert ("年度目标责任考核", [0, 1, 0]) in [(str(label), n) for label, n in found.grid]
    assert found.moves == {"promoted": [1, 0, 0], "exceptional": [0, 1, 0], "down": [0, 1, 0]}
    assert found.commended == {"cadres": [0, 1, 1], "teams": [0, 1, 0]}
    assert found.totals == {"promoted": 1, "exceptional": 1, "down": 1, "cadres": 2, "teams": 1}


def test_figures_for_the_whole_city(history, personas):
    found = figures(personas.admin)
    assert found.moves["promoted"] == [1, 1, 0]
    assert found.totals["promoted"] == 2


def test_chart_data_has_the_series(history, county):
    chart = figures(county.clerk).chart()
    assert chart["years"] == [2022, 2023, 2024]
    assert [(s["key"], s["label"], s["data"]) for s in chart["moves"]] == [
        ("promoted", "提拔", [1, 0, 0]),
        ("exceptional", "破格提拔", [0, 1, 0]),
        ("down", "能下调整", [0, 1, 0]),
    ]
    assert [(s["label"], s["data"]) for s in chart["commended"]] == [
        ("表彰干部", [0, 1, 1]),
        ("表彰团队", [0, 1, 0]),
    ]


def test_page_renders_charts_and_404_for_others(client, history, county, personas):
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:dashboard"))
    html = response.content.decode()
    assert 'id="promotions-data"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "js/promotions-charts.js" in html
    assert "各年度提拔与能下调整" in html
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(reverse("promotions:dashboard")).status_code == 404


@pytest.mark.parametrize("more", [0, 5])
def test_page_query_count_pinned(
    client, history, world, county, personas, django_assert_num_queries, more
):
    for i in range(more):
        cadre = CadreFactory(name=f"提拔{i}", unit=world.township_a1, rank=65)
        move(cadre, personas.admin, MoveType.PROMOTED, dt.date(2020 + i, 6, 1))
        commend(county.clerk, 2020 + i, cadre=cadre)
    client.force_login(county.clerk)
    url = reverse("promotions:dashboard")
    client.get(url)
    # session, user, groups; proposals per area, per state, executed; moves (with the
    # cadre scope's authorities and root units); commendations (with the incentive scope's
    # authorities and root units); the navigation's
    with django_assert_num_queries(13):
        response = client.get(url)
    assert sum(response.context["chart"]["moves"][0]["data"]) == 1 + more
