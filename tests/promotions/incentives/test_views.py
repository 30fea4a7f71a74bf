"""Bonus allocation page and outstanding principals' ranking: personas, Chinese text,
query counts pinned at two sizes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import MonitoringRank, PovertyTarget, TargetAssessment
from cadres.enums import PostType, Rank
from promotions.incentives.allocation import bonus_allocate
from promotions.models import BonusAllocation
from tests.factories import CadreFactory, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(world):
    MonitoringRank.objects.create(unit=world.county_a, year=2022, group="county", rank=4)
    MonitoringRank.objects.create(unit=world.county_a, year=2023, group="county", rank=2)
    MonitoringRank.objects.create(unit=world.county_b, year=2023, group="district", rank=1)
    return world.county_a


def page_url(unit, year=2023):
    return reverse("promotions:bonus-unit", args=[unit.pk, year])


def test_bonus_unit_page_for_staff_404_for_others(client, ranked, county, world, personas):
    for user in (county.clerk, county.auditor, county.clerk_city, personas.admin):
        client.force_login(user)
        response = client.get(page_url(ranked))
        assert response.status_code == 200
        assert response.context["computed"].yuan == Decimal(700_000)
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(page_url(ranked)).status_code == 404
    client.force_login(county.clerk)
    assert client.get(page_url(world.county_b)).status_code == 404
    assert client.get(reverse("promotions:bonus-unit", args=[987654, 2023])).status_code == 404
    assert client.get(page_url(ranked, 1900)).status_code == 404


def test_bonus_unit_page_shows_the_computation_in_chinese(client, ranked, county):
    client.force_login(county.clerk)
    html = client.get(page_url(ranked)).content.decode()
    assert "甲县：2023年度奖金及分配" in html
    assert "第2名（前10名）" in html
    assert "50 + 10 ×（2）" in html
    assert "70 万元 = 700,000.00 元" in html
    assert "已分配 0.00 元" in html
    assert "尚未分配。" in html


def test_allocate_through_the_form_and_refusal_shown(client, ranked, county):
    client.force_login(county.clerk)
    url = page_url(ranked)
    client.post(
        url,
        {"action": "allocate", "cadre": county.secretary.pk, "amount": "500000", "reason": "统筹"},
    )
    response = client.post(
        url,
        {"action": "allocate", "cadre": county.deputy.pk, "amount": "200000.01", "reason": "分管"},
        follow=True,
    )
    assert (
        "分配合计将达700,000.01元，超过奖金700,000.00元（尚余200,000.00元）。"
        in response.content.decode()
    )
    assert list(BonusAllocation.objects.values_list("cadre_id", "amount")) == [
        (county.secretary.pk, Decimal("500000.00"))
    ]
    allocation = BonusAllocation.objects.get()
    client.post(url, {"action": "withdraw", "allocation": allocation.pk, "reason": "重新分配"})
    assert BonusAllocation.objects.count() == 0


def test_auditor_sees_but_may_not_allocate(client, ranked, county):
    client.force_login(county.auditor)
    response = client.get(page_url(ranked))
    assert response.context["may_allocate"] is False
    assert 'name="cadre"' not in response.content.decode()  # no allocation form
    post = client.post(
        page_url(ranked),
        {"action": "allocate", "cadre": county.deputy.pk, "amount": "1", "reason": "x"},
    )
    assert post.status_code == 404
    assert BonusAllocation.objects.count() == 0


def test_a_unit_outside_the_top_has_nothing_to_allocate(client, world, county):
    MonitoringRank.objects.create(unit=world.county_a, year=2023, group="county", rank=11)
    client.force_login(county.clerk)
    response = client.get(page_url(world.county_a))
    assert response.context["computed"] is None
    assert "该单位未进入2023年度前列名次，没有可分配的奖金。" in response.content.decode()


@pytest.mark.parametrize(("extra", "more_cadres"), [(0, 0), (4, 40)])
def test_bonus_unit_page_query_count_pinned(
    client, ranked, county, world, django_assert_num_queries, extra, more_cadres
):
    bonus_allocate(
        ranked, actor=county.clerk, year=2023, cadre=county.secretary, amount="1000", reason="a"
    )
    for i in range(extra):
        cadre = CadreFactory(name=f"干部{i}", unit=world.township_a1)
        bonus_allocate(
            ranked, actor=county.clerk, year=2023, cadre=cadre, amount="1000", reason="b"
        )
    for i in range(more_cadres):  # cadres of the unit nobody has chosen: never loaded
        CadreFactory(name=f"未选{i}", unit=world.township_a1)
    client.force_login(county.clerk)
    url = page_url(ranked)
    client.get(url)
    # session, user, groups, authorities + root units, the unit, may allocate, policy,
    # ranks, allocations, which of their cadres the reader may see; the page's navigation
    # (authorities again). The cadre is chosen by type-ahead: no list of the unit's cadres.
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["allocations"]) == 1 + extra
    body = response.content.decode()
    assert re.search(r'<select[^>]*name="cadre"[^>]*>\s*<option value="">—</option>\s*</select>',
                     body)
    assert 'data-picker="/workbench/pick/cadres/"' in body
    assert "未选" not in body


def test_bonus_page_links_the_units_the_user_reaches(client, ranked, county):
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:bonus"), {"year": 2023})
    assert response.context["reachable"] == {ranked.pk}
    assert page_url(ranked) in response.content.decode()


# --------------------------------------------------------------- outstanding principals


@pytest.fixture
def counties(world, county):
    """Three counties and one district ranked in 2022 and 2023, with their results."""
    c2 = make_unit("丙县", kind="county", parent=world.city)
    c3 = make_unit("丁县", kind="county", parent=world.city)
    CadreFactory(name="丙县书记", unit=c2, post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_CHIEF)
    CadreFactory(name="丙县县长", unit=c2, post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_CHIEF)
    CadreFactory(name="丁县书记", unit=c3, post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_CHIEF)
    CadreFactory(
        name="乙区书记", unit=world.county_b, post_type=PostType.LEADERSHIP, rank=Rank.COUNTY_CHIEF
    )
    for unit, group, before, now, grade in (
        (world.county_a, "county", 3, 1, "excellent"),
        (c2, "county", 1, 2, "good"),
        (c3, "county", 2, 3, None),
        (world.county_b, "district", 1, 1, "average"),
    ):
        MonitoringRank.objects.create(unit=unit, year=2022, group=group, rank=before)
        MonitoringRank.objects.create(unit=unit, year=2023, group=group, rank=now)
        if grade:
            TargetAssessment.objects.create(unit=unit, year=2023, grade=grade)
    PovertyTarget.objects.create(unit=c2, year=2023, target=100, achieved=90)
    return c2, c3


def test_outstanding_ranking_breaks_each_score_down(
    client, counties, county, world, city_under_seed_003
):
    client.force_login(county.clerk_city)
    response = client.get(reverse("promotions:outstanding"), {"year": 2023})
    rows = [
        (r.place, r.name, str(r.score.total), r.chosen) for r, _seen, _p in response.context["rows"]
    ]
    # 甲县: excellent 100, 1st of 3 → 100, up 2 → 70: (4000 + 3000 + 700) / 80 = 96.25
    # 乙区: average 50, 1st of 1 → 100, level → 50: (2000 + 3000 + 500) / 80 = 68.75
    # 丙县: good 80, 2nd of 3 → 50, down 1 → 40, missed 0: (3200+1500+400+0) / 100 = 51.00
    # 丁县: no target grade → not ranked
    assert rows == [
        (1, "县委书记", "96.25", True),
        (2, "乙区书记", "68.75", True),
        (3, "丙县书记", "51.00", True),
        (3, "丙县县长", "51.00", True),
        (None, "丁县书记", "None", False),
    ]
    html = response.content.decode()
    assert "第1名（共3个）" in html
    assert "上年第3名，本年第1名：50 + 10 ×（2）" in html
    assert "无减贫任务：不计入" in html
    assert "考核结果不全" in html


def test_outstanding_hides_names_outside_the_jurisdiction(client, counties, county):
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:outstanding"), {"year": 2023})
    seen = {r.name: visible for r, visible, _p in response.context["rows"]}
    assert seen == {
        "县委书记": True,
        "乙区书记": False,
        "丙县书记": False,
        "丙县县长": False,
        "丁县书记": False,
    }
    assert "（不在您的管辖范围内）" in response.content.decode()


def test_outstanding_404_for_non_staff(client, counties, personas):
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(reverse("promotions:outstanding")).status_code == 404


@pytest.mark.parametrize("more", [0, 5])
def test_outstanding_query_count_pinned(
    client, counties, county, world, django_assert_num_queries, more
):
    for i in range(more):
        unit = make_unit(f"新县{i}", kind="county", parent=world.city)
        CadreFactory(name=f"新县书记{i}", unit=unit, post_type=PostType.LEADERSHIP, rank=105)
        MonitoringRank.objects.create(unit=unit, year=2023, group="county", rank=4 + i)
        TargetAssessment.objects.create(unit=unit, year=2023, grade="good")
    client.force_login(county.clerk)
    url = reverse("promotions:outstanding")
    client.get(url, {"year": 2023})
    # session, user, groups, policy, ranks, grades, poverty, principals, their names,
    # which of them the user sees (with the authorities and their root units)
    with django_assert_num_queries(16):
        response = client.get(url, {"year": 2023})
    assert len(response.context["rows"]) == 5 + more


def test_allocations_to_cadres_outside_the_readers_jurisdiction_show_no_name(
    client, ranked, county
):
    bonus_allocate(
        ranked, actor=county.clerk, year=2023, cadre=county.deputy, amount="1000", reason="分管"
    )
    client.force_login(county.clerk_city)  # covers the county's units, not its county-managed
    html = client.get(page_url(ranked)).content.decode()
    assert "管理权限范围外的干部" in html and "副县长" not in html
    client.force_login(county.clerk)
    html = client.get(page_url(ranked)).content.decode()
    assert "副县长" in html and "管理权限范围外的干部" not in html
