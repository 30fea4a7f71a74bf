"""The report pages: who reaches them, the subtree chosen, the figures and charts, and a
constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.enums import RankGroup
from assessments.models import DetectionPolicy, Incident, MonitoringRank
from tests.assessments.test_reports import _load
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

REPORTS = ["report-distribution", "report-detection", "report-ranks", "report-incidents"]


@pytest.mark.parametrize("name", REPORTS)
def test_reports_need_login_and_readable_units(client, personas, name):
    url = reverse(f"assessments:{name}")
    assert client.get(url).status_code == 302
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.clerk_a)
    assert client.get(url).status_code == 200


def test_the_distribution_of_a_chosen_subtree(client, world, personas):
    units = _load(world)  # four townships of county A, six cadres each, 2021–2024
    client.force_login(personas.clerk_city)
    url = reverse("assessments:report-distribution")

    everything = client.get(url, {"year": "2021"}).context
    county_a = client.get(url, {"year": "2021", "root": str(world.county_a.pk)}).context
    county_b = client.get(url, {"year": "2021", "root": str(world.county_b.pk)}).context
    unknown = client.get(url, {"year": "2021", "root": "x1"}).context

    assert (everything["root"], county_a["root"], unknown["root"]) == (
        None, world.county_a.pk, None
    )
    assert [name for _pk, name in everything["roots"]] == ["济南市", "乙区", "甲县"]  # by path
    assert {r.unit_id for r in county_a["rows"]} >= set(units.values())
    assert not {r.unit_id for r in county_b["rows"]} & set(units.values())
    assert county_a["totals"] == {"excellent": 4, "competent": 20, "basic": 0,
                                  "incompetent": 0, "not_graded": 0}
    assert county_a["over"] == 2  # 轮流单位 and 择优单位: two excellent of six
    assert county_a["chart"]["quota"] == [r.quota.allowed for r in county_a["rows"]]
    assert county_a["chart_capped"] is False


def test_the_rank_report_charts_five_years_with_gaps(client, world, personas):
    other = make_unit("县乙", kind="county", parent=world.city)
    for year, unit, rank in ((2022, world.county_a, 2), (2024, world.county_a, 1),
                             (2023, other, 1), (2024, other, 2)):
        MonitoringRank.objects.create(unit=unit, year=year, group=RankGroup.COUNTY, rank=rank)
    client.force_login(personas.clerk_city)

    context = client.get(reverse("assessments:report-ranks"), {"year": "2024"}).context

    [chart] = context["charts"]
    assert (chart["group"], chart["years"]) == ("county", [2020, 2021, 2022, 2023, 2024])
    lines = {line["label"]: line["data"] for line in chart["lines"]}
    assert lines == {"甲县": [None, None, 2, None, 1], "县乙": [None, None, None, 1, 2]}
    assert [(r.unit_name, r.year) for r in context["rows"]] == [("甲县", 2024), ("县乙", 2024)]


def test_the_incident_report_counts_per_county_year_and_kind(client, world, personas):
    for day, kind in ((dt.date(2024, 5, 1), "work_safety"), (dt.date(2024, 6, 1), "mass"),
                      (dt.date(2022, 1, 9), "work_safety")):
        Incident.objects.create(kind=kind, occurred_on=day, unit=world.township_a1,
                                severity="serious", title=f"{kind}{day}")
    client.force_login(personas.clerk_city)

    context = client.get(reverse("assessments:report-incidents"), {"year": "2024"}).context

    assert context["years_shown"] == [2020, 2021, 2022, 2023, 2024]
    row = next(r for r in context["table"] if r["name"] == "甲县")
    assert row["per_year"] == [0, 0, 1, 0, 2]
    assert row["total"] == 3
    kinds = [k for k, _label in context["kinds"]]
    assert row["per_kind"][kinds.index("work_safety")] == 2
    assert row["per_kind"][kinds.index("mass")] == 1
    assert context["chart"]["years"][-1] == {"label": "2024", "data": [
        r["per_year"][-1] for r in context["table"]
    ]}


def test_without_thresholds_in_force_the_detection_report_flags_nothing(
    client, world, personas
):
    _load(world)
    client.force_login(personas.clerk_city)
    url = reverse("assessments:report-detection")

    flagged = client.get(url, {"year": "2024"}).context
    assert flagged["thresholds"].from_year <= 2024
    found = flagged["found"]
    assert [unit.name for unit, _finding in found.rotating] == ["轮流单位"]
    assert [unit.name for unit, _finding in found.uniform] == ["一律称职"]

    DetectionPolicy.objects.all().delete()
    bare = client.get(url, {"year": "2024"}).context
    assert "thresholds" not in bare and "found" not in bare


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("report-distribution", 12),  # …and one for the units' jurisdictions
        ("report-detection", 14),  # …and one for the jurisdiction of the units shown
        ("report-ranks", 9),
        ("report-incidents", 10),
    ],
)
def test_report_query_counts_pinned(
    client, world, personas, name, queries, django_assert_num_queries
):
    client.force_login(personas.clerk_city)
    url = reverse(f"assessments:{name}") + "?year=2024"
    _load(world)
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)
    _load(world)  # twice the units, cadres and grades
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


