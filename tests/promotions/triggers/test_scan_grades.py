"""The individual 不称职 grade rule in the set-based scan: evidence, tolerance, no duplicates."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AnnualAssessment
from core.models import AuditEvent
from promotions.models import PromotionPolicy, Proposal
from promotions.policy_data import DEFAULT_CONTENT
from promotions.triggers.scan import scan
from tests.factories import CadreFactory
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db


def _grade(cadre, year, grade, **kw):
    return AnnualAssessment.objects.create(
        cadre=cadre, year=year, unit=cadre.unit, grade=grade, **kw
    )


def test_incompetent_grade_proposes_that_cadre(world, county):
    row = _grade(world.cadre_a1, 2023, "incompetent")
    _grade(world.cadre_b1, 2023, "basic")
    _grade(county.deputy, 2022, "incompetent")  # another year
    result = scan(2023)
    assert (result.created, result.existing) == (1, 0)
    proposal = Proposal.objects.get()
    assert (
        proposal.cadre,
        proposal.area,
        proposal.year,
        proposal.clause,
        proposal.role,
        proposal.authority,
        proposal.unit,
    ) == (
        world.cadre_a1,
        "incompetent_grade",
        2023,
        "grade.incompetent",
        "",
        world.county_a_org,
        world.township_a1,
    )
    assert proposal.evidence == [
        {"kind": "grade", "id": row.pk, "year": 2023, "grade": "incompetent"}
    ]
    assert proposal.policy == PromotionPolicy.objects.get(jurisdiction_code="370124")
    event = AuditEvent.objects.get(action="promotions.proposal.create")
    assert event.after == {
        "area": "incompetent_grade",
        "clause": "grade.incompetent",
        "policy": proposal.policy_id,
    }


def test_rerun_creates_no_duplicates(world, county):
    _grade(world.cadre_a1, 2023, "incompetent")
    first, second = scan(2023), scan(2023)
    assert (first.created, second.created, second.existing) == (1, 0, 1)
    assert Proposal.objects.count() == 1


def test_a_staff_incompetent_proposal_of_that_year_is_not_duplicated(world, county):
    Proposal.objects.create(
        authority=world.county_a_org, cadre=world.cadre_a1, unit=world.township_a1,
        area="incompetent", year=2023, clause="staff",
    )
    _grade(world.cadre_a1, 2023, "incompetent")
    result = scan(2023)
    assert (result.created, result.existing) == (0, 1)
    assert list(Proposal.objects.values_list("area", flat=True)) == ["incompetent"]


def test_grade_in_an_exempted_year_counts_only_with_the_written_reason(world, county, flow):
    case = flow.decided(outcome=Outcome.EXEMPT)  # 张三's matter of 2025-03-10, exempted
    row = _grade(world.cadre_a1, 2025, "incompetent")
    assert scan(2025).created == 0
    AnnualAssessment.objects.filter(pk=row.pk).update(exemption_reason="另有严重失职行为")
    assert scan(2025).created == 1
    proposal = Proposal.objects.get()
    assert proposal.clause == "grade.incompetent_despite_exemption"
    assert proposal.evidence == [
        {
            "kind": "grade",
            "id": row.pk,
            "year": 2025,
            "grade": "incompetent",
            "exempted": [{"id": case.matter_id, "title": case.matter.title}],
            "exemption_reason": "另有严重失职行为",
        }
    ]


def test_mitigated_matter_does_not_hold_the_grade_back(world, county, flow):
    flow.decided(outcome=Outcome.MITIGATED)
    _grade(world.cadre_a1, 2025, "incompetent")
    assert scan(2025).created == 1
    assert Proposal.objects.get().clause == "grade.incompetent"


def test_a_version_without_the_grade_rule_creates_nothing(world, county):
    content = {k: v for k, v in copy.deepcopy(DEFAULT_CONTENT).items()
               if k != "incompetent_grade"}
    PromotionPolicy.objects.create(
        jurisdiction_code=world.county_a.code, code="jia", title="甲县办法",
        effective_from="2020-01-01", status="published", content=content,
    )
    _grade(world.cadre_a1, 2023, "incompetent")
    assert scan(2023, authority=world.county_a_org).created == 0
    assert scan(2023).created == 0  # county A is judged under its own version everywhere


def test_scan_of_another_authority_leaves_the_cadre_alone(world, county):
    _grade(world.cadre_a1, 2023, "incompetent")
    assert scan(2023, authority=world.city_org).created == 0
    assert scan(2023, authority=world.county_a_org).created == 1


def test_scan_queries_do_not_grow_with_the_cadres(world, county):
    def count(n):
        Proposal.objects.all().delete()
        AnnualAssessment.objects.all().delete()
        for i in range(n):
            _grade(CadreFactory(name=f"干部{i}", unit=world.township_a1), 2023, "incompetent")
        with CaptureQueriesContext(connection) as queries:
            assert scan(2023).created == n
        return len(queries)

    assert count(1) == count(6)
