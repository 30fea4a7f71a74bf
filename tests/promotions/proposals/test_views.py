"""Pages: 404 for outsiders, pinned query counts, Chinese text, actions through the form."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments.models import AnnualAssessment, MonitoringRank, TargetAssessment
from promotions.models import Proposal
from promotions.triggers.scan import scan
from tests.factories import CadreFactory, make_unit

pytestmark = pytest.mark.django_db


def test_proposal_page_for_staff_and_auditor_404_for_others(client, proposal, county, personas):
    url = reverse("promotions:proposal", args=[proposal.pk])
    for user in (county.clerk, county.auditor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "年度目标责任考核等次" in response.content.decode() or response.context["clause"]
    for user in (county.clerk_city, personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(county.clerk)
    assert client.get(reverse("promotions:proposal", args=[proposal.pk + 99])).status_code == 404


def test_proposal_page_shows_evidence_in_chinese(client, proposal, county):
    client.force_login(county.clerk)
    html = client.get(reverse("promotions:proposal", args=[proposal.pk])).content.decode()
    assert "2023年目标责任考核：较差" in html
    assert "当年目标责任考核为“较差”" in html


def test_auditor_post_is_404_and_changes_nothing(client, proposal, county):
    client.force_login(county.auditor)
    url = reverse("promotions:proposal", args=[proposal.pk])
    assert client.post(url, {"action": "inspect"}).status_code == 404
    assert Proposal.objects.get().state == "proposed"


def test_decide_through_the_form(client, proposal, county):
    client.force_login(county.clerk)
    url = reverse("promotions:proposal", args=[proposal.pk])
    client.post(url, {"action": "decide", "decision": "keep", "reason": "客观原因"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision, proposal.decision_reason) == (
        "decided",
        "keep",
        "客观原因",
    )


def _offered(page) -> list[str]:
    return re.findall(r'name="action" value="(\w+)"', page.text)


def test_page_offers_what_the_state_machine_allows(client, proposal, county):
    client.force_login(county.clerk)
    url = reverse("promotions:proposal", args=[proposal.pk])
    assert _offered(client.get(url)) == ["inspect", "decide"]
    client.post(url, {"action": "decide", "decision": "keep", "reason": "客观原因"})
    assert _offered(client.get(url)) == []  # a decision to keep is not executed
    client.force_login(county.auditor)
    Proposal.objects.filter(pk=proposal.pk).update(state="proposed")
    assert _offered(client.get(url)) == []  # may see, may not act


def test_list_query_count_pinned(client, world, county, django_assert_num_queries):
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    client.force_login(county.clerk)
    url = reverse("promotions:proposals")
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 1
    for i in range(5):
        unit = make_unit(f"乡{i}", kind="township", parent=world.county_a)
        CadreFactory(name=f"镇长{i}", unit=unit, post_type="leadership", rank=65)
        TargetAssessment.objects.create(unit=unit, year=2023, grade="poor")
    scan(2023)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 6


def test_list_query_count_with_the_access_cache(
    client, world, county, settings, django_assert_num_queries
):
    """As in production: the user's roles, authorities and navigation come from the cache."""
    settings.ACCESS_CACHE_SECONDS = 60
    cache.clear()
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    client.force_login(county.clerk)
    url = reverse("promotions:proposals")
    client.get(url)
    # Session, user; the page of proposals with their cadres and units; the count.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["rows"]) == 1
    for i in range(5):
        unit = make_unit(f"乡{i}", kind="township", parent=world.county_a)
        CadreFactory(name=f"镇长{i}", unit=unit, post_type="leadership", rank=65)
        TargetAssessment.objects.create(unit=unit, year=2023, grade="poor")
    scan(2023)
    client.get(url)  # new units moved the cache's generation on: remembered again
    with django_assert_num_queries(4):
        response = client.get(url)
    assert [row["cadre"] for row in response.context["rows"]][:1] == ["镇长4"]
    assert len(response.context["rows"]) == 6
    cache.clear()


def test_list_hides_other_authorities(client, proposal, county):
    client.force_login(county.clerk_city)
    response = client.get(reverse("promotions:proposals"))
    assert list(response.context["page"].object_list) == []


def test_eligibility_page_explains(client, world, county):
    cadre = world.cadre_a1
    for year, grade in ((2023, "excellent"), (2024, "excellent"), (2025, "competent")):
        AnnualAssessment.objects.create(cadre=cadre, year=year, unit=cadre.unit, grade=grade)
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:eligibility", args=[cadre.pk]))
    assert response.context["explanation"].verdict == "priority"
    html = response.content.decode()
    assert "优先或破格提拔" in html
    assert "2023：优秀" in html


def test_eligibility_page_404_outside_jurisdiction(client, world, county, personas):
    client.force_login(county.clerk)
    url = reverse("promotions:eligibility", args=[world.cadre_b1.pk])
    assert client.get(url).status_code == 404
    client.force_login(personas.outsider)
    assert (
        client.get(reverse("promotions:eligibility", args=[world.cadre_a1.pk])).status_code == 404
    )


def test_dashboard_counts_by_area_and_year(client, proposal, county, personas):
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:dashboard"))
    assert response.context["years"] == [2023]
    assert ("年度目标责任考核", [1]) in [(str(a), n) for a, n in response.context["grid"]]
    client.force_login(personas.outsider)
    assert client.get(reverse("promotions:dashboard")).status_code == 404


def test_bonus_page_shows_each_computation(client, world, county):
    units = [world.county_a, world.county_b] + [
        make_unit(f"县{i}", kind="county", parent=world.city) for i in range(10)
    ]
    for year, order in ((2022, range(12)), (2023, [2, 0, 1, *range(3, 12)])):
        for place, index in enumerate(order, start=1):
            MonitoringRank.objects.create(unit=units[index], year=year, group="county", rank=place)
    client.force_login(county.clerk)
    response = client.get(reverse("promotions:bonus"), {"year": 2023})
    rows = response.context["groups"][0][1]
    assert [(r.rank, r.previous, r.bonus.amount, r.bonus.clause) for r in rows[:4]] == [
        (1, 3, 100, "first_place"),
        (2, 1, 40, "base"),
        (3, 2, 40, "base"),
        (4, 4, 50, "base"),
    ]
    assert (rows[-1].rank, rows[-1].bonus.clause, rows[-1].bonus.amount) == (10, "base", 50)


def test_scan_button_for_staff_only(client, world, county, personas):
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    client.force_login(personas.outsider)
    assert client.post(reverse("promotions:scan"), {"year": 2023}).status_code == 404
    client.force_login(county.clerk)
    client.post(reverse("promotions:scan"), {"year": 2023})
    assert Proposal.objects.count() == 1


def test_first_time_entrant_gets_100(client, world, county):
    units = [make_unit(f"区县{i}", kind="county", parent=world.city) for i in range(12)]
    for place, unit in enumerate(units, start=1):
        MonitoringRank.objects.create(unit=unit, year=2022, group="county", rank=place)
    for place, unit in enumerate([units[0], units[11], *units[1:11]], start=1):
        MonitoringRank.objects.create(unit=unit, year=2023, group="county", rank=place)
    client.force_login(county.clerk)
    rows = client.get(reverse("promotions:bonus"), {"year": 2023}).context["groups"][0][1]
    assert (rows[1].rank, rows[1].previous, rows[1].bonus.amount, rows[1].bonus.clause) == (
        2,
        12,
        100,
        "first_entry",
    )


def test_proposal_list_searched_and_exported(client, proposal, county):
    import io

    import openpyxl

    from core.models import AuditEvent

    client.force_login(county.clerk)
    initials = proposal.cadre.name_initials
    params = {"q": initials}
    page = client.get(reverse("promotions:proposals"), params).context["page"]
    assert [p.id for p in page.rows] == [proposal.pk]
    nothing = client.get(reverse("promotions:proposals"), {"q": "qqq"}).context["page"]
    assert nothing.rows == []
    response = client.get(reverse("promotions:proposals-export"), params)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0] == ["年度", "干部", "单位", "调整情形", "办理状态", "决定"]
    assert rows[1][:3] == [2023, proposal.cadre.name, proposal.unit.name]
    assert len(rows) == 2
    event = AuditEvent.objects.get(action="promotions.proposal.export")
    assert event.after == {"filters": params, "rows": 1}


def test_proposal_list_sorted_by_its_headers_and_exported_in_that_order(client, proposal, county):
    import io

    import openpyxl

    client.force_login(county.clerk)
    url = reverse("promotions:proposals")
    response = client.get(url, {"sort": "state"})
    assert response.context["sort"]["state"]["state"] == "asc"
    assert response.context["sort"]["state"]["url"] == "?sort=-state"
    assert [p.id for p in response.context["page"].rows] == [proposal.pk]
    exported = client.get(reverse("promotions:proposals-export"), {"sort": "-year"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    assert [row[1].value for row in book.active.iter_rows(min_row=2)] == [proposal.cadre.name]


def test_export_query_count_pinned(client, world, county, django_assert_num_queries):
    import io

    import openpyxl

    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    client.force_login(county.clerk)
    url = reverse("promotions:proposals-export")
    client.get(url)

    def exported_rows() -> int:
        # session, user, groups, authorities; the proposals (their cadres and units joined);
        # the audit row (savepoint, insert, release)
        with django_assert_num_queries(EXPORT_QUERIES):
            response = client.get(url, {"sort": "-year"})
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return book.active.max_row - 1

    assert exported_rows() == 1
    for i in range(5):
        unit = make_unit(f"乡{i}", kind="township", parent=world.county_a)
        CadreFactory(name=f"镇长{i}", unit=unit, post_type="leadership", rank=65)
        TargetAssessment.objects.create(unit=unit, year=2023, grade="poor")
    scan(2023)
    assert exported_rows() == 6


EXPORT_QUERIES = 8
