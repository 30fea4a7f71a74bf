"""Impact before publishing an up/down measure: the last scan's findings under the draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import AnnualAssessment
from core.models import AuditEvent, User
from promotions.impact import compare, draft_scan_impact
from promotions.models import PromotionPolicy

pytestmark = pytest.mark.django_db


def test_compare_is_set_based_and_sorted():
    assert compare([(2, "target"), (1, "poverty")], [(1, "poverty"), (3, "target")]) == (
        [(3, "target")], [(2, "target")]
    )


def _jinan_draft_without_the_grade_rule() -> PromotionPolicy:
    jinan = PromotionPolicy.objects.get(jurisdiction_code="3701", code="jinan-2018")
    content = {k: v for k, v in jinan.content.items() if k != "incompetent_grade"}
    return PromotionPolicy.objects.create(
        jurisdiction_code="3701", jurisdiction_name="济南市", code="jinan-draft",
        title=jinan.title, issuer=jinan.issuer, effective_from=dt.date(2027, 1, 1),
        content=content,
    )


def test_dropping_jinans_grade_rule_drops_the_incompetent_finding(world, client):
    AnnualAssessment.objects.create(
        cadre=world.cadre_city, year=2025, unit=world.bureau, grade="incompetent"
    )
    draft = _jinan_draft_without_the_grade_rule()

    impact = draft_scan_impact(draft, dt.date(2026, 12, 7))

    assert (impact.year, impact.current.code) == (2025, "jinan-2018")
    assert [(c.cadre, c.area) for c in impact.dropped] == [
        (world.cadre_city.name, "incompetent_grade")
    ]
    assert impact.added == ()
    root = User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")
    client.force_login(root)
    response = client.get(reverse("admin:promotions_promotionpolicy_impact", args=[draft.pk]))
    assert response.status_code == 200
    assert 'data-testid="impact-dropped"' in response.content.decode()
    assert AuditEvent.objects.get(action="promotions.policy.impact").after == {
        "year": 2025, "added": 0, "dropped": 1
    }
