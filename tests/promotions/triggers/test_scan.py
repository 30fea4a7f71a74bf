"""The set-based scan: proposals for the leaders concerned, evidence, no duplicates."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import MonitoringRank, PovertyTarget, TargetAssessment
from core.models import AuditEvent
from promotions.models import IncidentMatter, PromotionPolicy, Proposal
from promotions.triggers.scan import scan
from tests.factories import make_unit
from tests.promotions.conftest import incident
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db


def _keys():
    return sorted(Proposal.objects.values_list("cadre__name", "area", "year", "clause", "role"))


def test_target_average_two_years_proposes_the_principal_only(world, county):
    TargetAssessment.objects.create(unit=world.county_a, year=2022, grade="average")
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="average")
    result = scan(2023)
    assert (result.created, result.existing) == (1, 0)
    proposal = Proposal.objects.get()
    assert (proposal.cadre, proposal.area, proposal.clause, proposal.authority) == (
        county.secretary,
        "target",
        "target.average",
        world.county_a_org,
    )
    assert [(e["year"], e["grade"]) for e in proposal.evidence] == [
        (2022, "average"),
        (2023, "average"),
    ]
    assert proposal.policy == PromotionPolicy.objects.get(jurisdiction_code="370124")
    assert AuditEvent.objects.filter(action="promotions.proposal.create").count() == 1


def test_rerun_creates_no_duplicates(world, county):
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    first = scan(2023)
    second = scan(2023)
    assert (first.created, second.created, second.existing) == (1, 0, 1)
    assert Proposal.objects.count() == 1


def test_two_serious_accidents_in_one_year_vs_one_in_each_of_two(world, county):
    s, d = county.secretary, county.deputy
    incident(world.county_a, dt.date(2023, 2, 1), "serious", [(s, "principal")])
    incident(world.county_a, dt.date(2023, 9, 1), "serious", [(s, "principal")])
    incident(world.county_a, dt.date(2022, 5, 1), "serious", [(d, "in_charge")])
    incident(world.county_a, dt.date(2023, 5, 1), "serious", [(d, "in_charge")])
    scan(2023)
    assert _keys() == [("县委书记", "work_safety", 2023, "work_safety.serious", "principal")]


def test_especially_serious_fires_for_principal_and_leader_in_charge_not_other(world, county):
    other = county.deputy
    incident(
        world.county_a,
        dt.date(2023, 3, 3),
        "especially_serious",
        [(county.secretary, "principal"), (other, "other")],
    )
    scan(2023)
    assert _keys() == [
        ("县委书记", "work_safety", 2023, "work_safety.especially_serious", "principal")
    ]


def test_exempted_incident_does_not_count_mitigated_is_shown(world, county, flow):
    """张三 (world.cadre_a1) is the leader in charge; his matter's tolerance ruling decides."""
    exempt_case = flow.decided(outcome=Outcome.EXEMPT)
    first = incident(
        world.county_a, dt.date(2023, 2, 1), "serious", [(world.cadre_a1, "in_charge")]
    )
    incident(world.county_a, dt.date(2023, 8, 1), "serious", [(world.cadre_a1, "in_charge")])
    IncidentMatter.objects.create(incident=first, matter=exempt_case.matter)
    scan(2023)
    assert Proposal.objects.count() == 0


def test_mitigated_incident_still_counts_and_is_shown(world, county, flow):
    case = flow.decided(outcome=Outcome.MITIGATED)
    first = incident(
        world.county_a, dt.date(2023, 2, 1), "especially_serious", [(world.cadre_a1, "in_charge")]
    )
    IncidentMatter.objects.create(incident=first, matter=case.matter)
    scan(2023)
    proposal = Proposal.objects.get()
    assert [(e["effect"], e["outcome"], e["case_id"]) for e in proposal.evidence] == [
        ("reduced", "mitigated", case.pk)
    ]


def test_monitoring_two_years_among_largest_drops(world, county):
    """Five counties; A drops in 2022 and 2023 (two years running); B only in 2022."""
    extra = [make_unit(f"县{i}", kind="county", parent=world.city) for i in range(3)]
    units = [world.county_a, world.county_b, *extra]
    ranks = {
        2021: [1, 2, 3, 4, 5],
        2022: [2, 5, 1, 3, 4],  # drops: A 1, B 3; the 3 largest: B, A (only two dropped)
        2023: [5, 4, 1, 2, 3],  # drops: A 3; B gained 1
    }
    for year, places in ranks.items():
        for unit, rank in zip(units, places, strict=True):
            MonitoringRank.objects.create(unit=unit, year=year, group="county", rank=rank)
    assert scan(2022).created == 0  # one year only
    scan(2023)
    assert _keys() == [("县委书记", "monitoring", 2023, "monitoring.drops", "principal")]
    evidence = Proposal.objects.get().evidence
    assert [(e["year"], e["previous"], e["rank"]) for e in evidence] == [(2022, 1, 2), (2023, 2, 5)]


def test_poverty_missed_proposes_the_principal(world, county):
    PovertyTarget.objects.create(unit=world.county_a, year=2023, target=100, achieved=99)
    PovertyTarget.objects.create(unit=world.county_b, year=2023, target=100, achieved=None)
    scan(2023)
    assert _keys() == [("县委书记", "poverty", 2023, "poverty.missed", "principal")]


def test_scan_limited_to_an_authority(world, county):
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    assert scan(2023, authority=world.city_org).created == 0  # city org: city-managed only
    assert scan(2023, authority=world.county_a_org).created == 1


def test_task_is_idempotent_and_tolerates_a_missing_authority(world, county):
    from promotions.tasks import scan_year

    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    first = scan_year(year=2023, authority_id=world.county_a_org.pk)
    again = scan_year(year=2023, authority_id=world.county_a_org.pk)
    assert (first["created"], again["created"], again["existing"]) == (1, 0, 1)
    assert scan_year(year=2023, authority_id=world.county_a_org.pk + 999) == {}


def test_published_policy_is_immutable():
    from django.core.exceptions import PermissionDenied

    policy = PromotionPolicy.objects.get(code="shaanxi-2016")
    assert policy.terms.bonus_first_place == 100
    policy.title = "改"
    with pytest.raises(PermissionDenied):
        policy.save()
    with pytest.raises(PermissionDenied):
        policy.delete()
