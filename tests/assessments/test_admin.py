"""Quota policies and detection thresholds are edited in the admin; every change is
audited (who, before, after)."""

import pytest
from django.urls import reverse

from assessments.models import DetectionPolicy, QuotaPolicy, QuotaStatus
from core.models import AuditEvent


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(user)
    return user


def _form(obj, **changes):
    data = {
        f.name: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.editable and f.name not in ("id", "created_by")
    }
    data.update(changes)
    return {k: "" if v is None else v for k, v in data.items()}


def _draft_of(row: QuotaPolicy, **changes) -> QuotaPolicy:
    values = {
        f.name: getattr(row, f.attname) for f in row._meta.concrete_fields
        if f.editable and f.name not in ("id", "status")
    }
    return QuotaPolicy.objects.create(**{**values, "status": QuotaStatus.DRAFT, **changes})


@pytest.mark.django_db
def test_a_published_quota_row_is_frozen_in_the_admin(client, root):
    township = QuotaPolicy.objects.get(jurisdiction_code="33", unit_kind="township", from_year=2018)
    url = reverse("admin:assessments_quotapolicy_change", args=[township.pk])
    assert client.get(url).status_code == 200  # shown, read-only
    response = client.post(url, _form(township, share="0.250", rounding="half_up"))
    assert response.status_code == 403
    township.refresh_from_db()
    assert (str(township.share), township.rounding) == ("0.200", "floor")
    assert not AuditEvent.objects.filter(action="assessment.quota_policy.update").exists()
    delete = reverse("admin:assessments_quotapolicy_delete", args=[township.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert QuotaPolicy.objects.filter(pk=township.pk).exists()


@pytest.mark.django_db
def test_quota_policy_change_add_delete_audited(client, root):
    township = QuotaPolicy.objects.get(jurisdiction_code="33", unit_kind="township", from_year=2018)
    draft = _draft_of(township, from_year=2027)
    url = reverse("admin:assessments_quotapolicy_change", args=[draft.pk])
    response = client.post(url, _form(draft, share="0.250", rounding="half_up"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="assessment.quota_policy.update")
    assert (event.actor, event.before, event.after) == (
        root,
        {"share": "0.200", "rounding": "floor"},
        {"share": "0.250", "rounding": "half_up"},
    )
    add = reverse("admin:assessments_quotapolicy_add")
    response = client.post(
        add, {"unit_kind": "county", "from_year": 2025, "share": "0.180", "rounding": "floor"}
    )
    assert response.status_code == 302
    created = QuotaPolicy.objects.get(unit_kind="county")
    assert created.created_by == root
    event = AuditEvent.objects.get(action="assessment.quota_policy.create")
    assert event.after == {
        "jurisdiction_code": "",
        "jurisdiction_name": "",
        "unit_kind": "county",
        "from_year": "2025",
        "share": "0.180",
        "rounding": "floor",
        "basis": "",
        "pool_below": "None",
        "pool_level": "",
        "status": "draft",
    }
    delete = reverse("admin:assessments_quotapolicy_delete", args=[created.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action="assessment.quota_policy.delete")
    assert event.before["unit_kind"] == "county"
    assert not QuotaPolicy.objects.filter(pk=created.pk).exists()


@pytest.mark.django_db
def test_quota_policy_invalid_share_refused_without_audit(client, root):
    township = QuotaPolicy.objects.get(jurisdiction_code="33", unit_kind="township", from_year=2018)
    draft = _draft_of(township, from_year=2027)
    url = reverse("admin:assessments_quotapolicy_change", args=[draft.pk])
    response = client.post(url, _form(draft, share="1.500"))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert str(draft.share) == "0.200"
    assert not AuditEvent.objects.filter(action__startswith="assessment.quota_policy").exists()


@pytest.mark.django_db
def test_detection_policy_edit_audited(client, root):
    policy = DetectionPolicy.objects.get(from_year=2000)
    url = reverse("admin:assessments_detectionpolicy_change", args=[policy.pk])
    response = client.post(url, _form(policy, rotation_window_years=5))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="assessment.detection_policy.update")
    assert (event.before, event.after) == (
        {"rotation_window_years": "4"},
        {"rotation_window_years": "5"},
    )
