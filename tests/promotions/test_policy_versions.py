"""Administrators copy a jurisdiction's up/down measure to start another's, then publish it
(admin actions, audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent, User
from promotions.models import PromotionPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")


def test_copy_jinans_measure_to_a_county_then_publish_it(client, root, world):
    jinan = PromotionPolicy.objects.get(jurisdiction_code="3701", code="jinan-2018")
    client.force_login(root)
    url = reverse("admin:promotions_promotionpolicy_changelist")

    response = client.post(url, {
        "action": "copy_as_draft", "_selected_action": [jinan.pk],
        "jurisdiction_code": world.county_a.code,
    })

    assert response.status_code == 302
    draft = PromotionPolicy.objects.get(jurisdiction_code="370124", status="draft")
    assert (draft.jurisdiction_name, draft.content) == ("甲县", jinan.content)
    copied = AuditEvent.objects.get(action="promotions.policy.copy")
    assert copied.before == {"from": jinan.pk, "jurisdiction": "3701"}
    assert copied.actor == root

    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == ("published", root)
    assert AuditEvent.objects.filter(action="promotions.policy.publish").count() == 1


def test_copy_to_an_unknown_code_changes_nothing(client, root):
    jinan = PromotionPolicy.objects.get(jurisdiction_code="3701", code="jinan-2018")
    client.force_login(root)
    before = PromotionPolicy.objects.count()

    client.post(reverse("admin:promotions_promotionpolicy_changelist"), {
        "action": "copy_as_draft", "_selected_action": [jinan.pk], "jurisdiction_code": "9999",
    })

    assert PromotionPolicy.objects.count() == before
    assert not AuditEvent.objects.filter(action="promotions.policy.copy").exists()
