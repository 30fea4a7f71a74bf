"""Set-based reports agree with the pure rules (their pages: test_report_views.py)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.enums import Grade, RankGroup
from assessments.models import AnnualAssessment, MonitoringRank
from assessments.reports import distribution, rank_history, rotating_units, uniform_units
from assessments.rules import (
    RotationPolicy,
    UniformityPolicy,
    by_unit,
    detect_everyone_competent,
    detect_rotating_excellent,
)
from cadres.models import Unit
from tests.factories import CadreFactory, make_unit

ROTATION = RotationPolicy(
    window_years=4, max_awards_per_person=1, min_rotating_awards=3, min_coverage=Decimal("0.5")
)
UNIFORMITY = UniformityPolicy(
    min_years=3, min_participants=5, max_below_competent=0, min_competent_share=Decimal("0.8")
)

E, C, B, N = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.NOT_GRADED

PATTERNS = {
    # unit name → rows per year 2021..2024 (cadre index → grade)
    "轮流单位": [[E, E, C, C, C, C], [E, C, E, C, C, C], [E, C, C, E, C, C], [E, C, C, C, E, C]],
    "择优单位": [[E, E, C, C, C, C], [E, E, C, C, C, C], [E, C, E, C, C, C], [E, E, C, C, C, C]],
    "一律称职": [[C] * 6, [E] + [C] * 5, [C] * 5 + [N], [C] * 6],
    "有区分": [[C] * 6, [C] * 6, [E] + [C] * 4 + [B], [C] * 6],
}


def _load(world):
    units = {}
    for name, years in PATTERNS.items():
        unit = make_unit(name, kind="township", parent=world.county_a)
        cadres = [CadreFactory(unit=unit) for _ in range(6)]
        AnnualAssessment.objects.bulk_create(
            AnnualAssessment(cadre=c, unit=unit, year=2021 + i, grade=g)
            for i, row in enumerate(years)
            for c, g in zip(cadres, row, strict=True)
        )
        units[name] = unit.pk
    return units


@pytest.mark.django_db
@pytest.mark.parametrize("window", [2, 3, 4])
def test_sql_detections_match_pure_rules(world, window):
    units = _load(world)
    grades = by_unit(AnnualAssessment.objects.values_list("unit_id", "year", "cadre_id", "grade"))
    policy = replace(ROTATION, window_years=window, min_rotating_awards=window - 1)
    expected = sorted(
        pk
        for pk in units.values()
        if detect_rotating_excellent(grades[pk], end_year=2024, policy=policy).flagged
    )
    assert rotating_units(None, end_year=2024, policy=policy) == expected
    expected_u = sorted(
        pk
        for pk in units.values()
        if detect_everyone_competent(grades[pk], end_year=2024, policy=UNIFORMITY).flagged
    )
    assert uniform_units(None, end_year=2024, policy=UNIFORMITY) == expected_u


@pytest.mark.django_db
def test_detections_name_the_expected_units(world):
    units = _load(world)
    assert rotating_units(None, end_year=2024, policy=ROTATION) == [units["轮流单位"]]
    assert uniform_units(None, end_year=2024, policy=UNIFORMITY) == [units["一律称职"]]
    scoped = Unit.objects.filter(pk=units["择优单位"])
    assert rotating_units(scoped, end_year=2024, policy=ROTATION) == []


@pytest.mark.django_db
def test_distribution_counts_and_quota(world):
    units = _load(world)
    rows = distribution(Unit.objects.all(), [2021])
    row = next(r for r in rows if r.unit_id == units["轮流单位"])
    assert row.counts == {
        "excellent": 2,
        "competent": 4,
        "basic": 0,
        "incompetent": 0,
        "not_graded": 0,
    }
    assert (row.quota.allowed, row.over) == (1, True)  # 20% of 6 = 1.2 → 1


@pytest.mark.django_db
def test_rank_history_change_computed(world):
    for year, ranks in ((2023, (1, 2)), (2024, (2, 1))):
        MonitoringRank.objects.create(
            unit=world.county_a, year=year, group=RankGroup.COUNTY, rank=ranks[0]
        )
        other = Unit.objects.filter(name="县乙").first() or make_unit(
            "县乙", kind="county", parent=world.city
        )
        MonitoringRank.objects.create(unit=other, year=year, group=RankGroup.COUNTY, rank=ranks[1])
    rows = rank_history(Unit.objects.all(), [2024])
    assert [
        (r.unit_name, r.change.previous, r.change.current, r.change.direction) for r in rows
    ] == [("县乙", 2, 1, "up"), ("甲县", 1, 2, "down")]


@pytest.mark.django_db
def test_incident_list_query_count(client, world, personas, django_assert_num_queries):
    from assessments.services.evidence import incidents_create

    def add(n):
        incidents_create(
            [
                (
                    {
                        "kind": "work_safety",
                        "occurred_on": dt.date(2024, 5, 1),
                        "unit": world.county_a,
                        "severity": "serious",
                        "title": f"事故{i}",
                    },
                    [(world.cadre_a1.pk, "principal")],
                )
                for i in range(n)
            ],
            actor=personas.admin,
        )

    client.force_login(personas.clerk_a)
    add(2)
    url = reverse("assessments:incidents")
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["incidents"]) == 2
    add(5)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["incidents"]) == 7
