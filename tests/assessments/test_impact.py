"""A drafted quota row: ignored by the quota until published (audited); its impact page shows
the last assessment year's outcomes under the draft against the rules in force."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.enums import Grade
from assessments.impact import Places, draft_quota_impact
from assessments.models import AnnualAssessment, QuotaPolicy, QuotaStatus
from assessments.policies import quota_policy_publish, unit_policy
from cadres.enums import UnitKind
from core.models import AuditEvent, User
from tests.factories import CadreFactory, make_unit

pytestmark = pytest.mark.django_db
E, C, N = Grade.EXCELLENT, Grade.COMPETENT, Grade.NOT_GRADED


def _graded(unit, year, grades):
    for i, grade in enumerate(grades):
        cadre = CadreFactory(name=f"{unit.name}{year}{i:02d}", unit=unit)
        AnnualAssessment.objects.create(cadre=cadre, unit=unit, year=year, grade=grade)


@pytest.fixture
def towns(world):
    big = make_unit("甲县大镇", kind=UnitKind.TOWNSHIP, parent=world.county_a)
    small = make_unit("甲县小镇", kind=UnitKind.TOWNSHIP, parent=world.county_a)
    tiny = make_unit("甲县微镇", kind=UnitKind.TOWNSHIP, parent=world.county_a)
    _graded(big, 2023, [E] * 5 + [C] * 15)  # an earlier year: not the last one
    _graded(big, 2024, [E, E, E] + [C] * 7 + [N])  # 10 graded, 3 excellent
    _graded(small, 2024, [E] + [C] * 3)  # 4 graded, 1 excellent
    _graded(tiny, 2024, [C] * 3)  # 3 graded, none excellent
    return big, small, tiny


@pytest.fixture
def draft(db):
    # 济南市's township row in force is 20% (tests/assessments/conftest.py); the draft: 30%,
    # half up, small townships (< 5 graded) pooled under their county
    return QuotaPolicy.objects.create(
        jurisdiction_code="3701", jurisdiction_name="济南市", unit_kind="township",
        from_year=2018, share=Decimal("0.300"), rounding="half_up",
        pool_below=5, pool_level=UnitKind.COUNTY, status=QuotaStatus.DRAFT,
    )


def test_a_draft_is_ignored_by_the_quota_until_published_audited(world, draft):
    town = world.township_a1
    assert unit_policy(town, 2024).share == Decimal("0.200")
    root = User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")

    published = quota_policy_publish(draft, actor=root)

    assert published.status == "published"
    assert unit_policy(town, 2024).pk == draft.pk
    assert QuotaPolicy.objects.filter(jurisdiction_code="3701", unit_kind="township").count() == 1
    event = AuditEvent.objects.get(action="assessment.quota_policy.publish")
    assert (event.before["share"], event.after["share"], event.after["status"]) == (
        "0.200", "0.300", "published")


def test_the_impact_lists_each_governed_unit_under_both_rules(towns, draft):
    with CaptureQueriesContext(connection) as queries:
        impact = draft_quota_impact(draft)

    assert impact.year == 2024
    rows = {r.name: r for r in impact.rows}
    assert sorted(rows) == ["甲县大镇", "甲县小镇", "甲县微镇"]
    big, small, tiny = rows["甲县大镇"], rows["甲县小镇"], rows["甲县微镇"]
    assert (big.graded, big.excellent) == (10, 3)
    assert big.in_force == Places(2, 3)  # 20% of 10, round down: 2 — already over
    assert big.draft == Places(3, 3)  # 30% of 10: 3 — at the cap
    # 小镇 and 微镇 pool under 甲县 under the draft: 30% of 7 = 2.1 → 2 places, 1 used
    assert small.in_force == Places(0, 1) and small.in_force.over
    assert small.draft == Places(2, 1, "甲县") and tiny.draft == Places(2, 1, "甲县")
    assert tiny.in_force == Places(0, 0)
    assert impact.over == []
    assert (impact.places_in_force, impact.places_draft) == (2, 3)
    assert len(queries) == 5  # rows in force, year, grouped counts, jurisdiction, ancestors


def test_a_unit_over_the_drafts_cap_is_named_on_the_admin_page(client, towns, draft):
    draft.share, draft.rounding = Decimal("0.100"), "floor"
    draft.save()
    root = User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")
    client.force_login(root)

    response = client.get(reverse("admin:assessments_quotapolicy_impact", args=[draft.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    # 10% of 10 → 1 place for 大镇 (3 granted); the pool of 7 → 0 places (1 granted)
    assert [r.name for r in response.context["impact"].over] == ["甲县大镇", "甲县小镇", "甲县微镇"]
    assert "超出上限：已评优秀 3 人，允许 1 人" in page
    assert "超出上限：已评优秀 1 人，允许 0 人" in page
    assert "在甲县合并计算，已用 1 个" in page
    assert page.count("名额用满") == 0
    assert "2024年度考核：草案将适用于 3 个单位" in page
    event = AuditEvent.objects.get(action="assessment.quota_policy.impact")
    assert (event.object_id, event.after) == (str(draft.pk), {"year": 2024, "units": 3, "over": 3})
    assert QuotaPolicy.objects.get(pk=draft.pk).status == "draft"  # nothing published
