"""Services of monthly reports, feedback records, target grades and competitions:
writes, audit rows, permissions, refusals leave nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import FeedbackRecord, MonthlyReport, TargetAssessment
from assessments.services.evidence import target_grade_set
from assessments.services.tracking import feedback_record, feedback_update, monthly_report_save
from core.models import AuditEvent
from tests.factories import make_unit


@pytest.mark.django_db
def test_monthly_report_save_creates_then_updates_with_audit(world, personas):
    first = monthly_report_save(
        world.cadre_a1,
        actor=personas.hr_a1,
        month=dt.date(2024, 5, 17),
        items_done="征收 12 户",
        signed_by="王书记",
    )
    assert first.month == dt.date(2024, 5, 1)
    again = monthly_report_save(
        world.cadre_a1,
        actor=personas.hr_a1,
        month=dt.date(2024, 5, 1),
        items_done="征收 13 户",
        signed_by="王书记",
    )
    assert again.pk == first.pk
    assert MonthlyReport.objects.get().items_done == "征收 13 户"
    events = AuditEvent.objects.filter(action="assessment.monthly.save").order_by("pk")
    assert [e.before for e in events] == [
        None,
        {"items_done": "征收 12 户", "signed_by": "王书记"},
    ]
    assert events[1].after == {
        "month": "2024-05-01",
        "items_done": "征收 13 户",
        "signed_by": "王书记",
    }
    assert events[1].authority_id == world.county_a_org.pk


@pytest.mark.django_db
def test_monthly_report_refused_outside_scope_and_when_empty(world, personas):
    with pytest.raises(PermissionDenied):
        monthly_report_save(
            world.cadre_b1, actor=personas.hr_a1, month=dt.date(2024, 5, 1), items_done="x"
        )
    with pytest.raises(ValidationError) as error:
        monthly_report_save(
            world.cadre_a1, actor=personas.hr_a1, month=dt.date(2024, 5, 1), items_done=""
        )
    assert list(error.value.message_dict) == ["items_done"]
    assert not MonthlyReport.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.monthly.save").exists()


@pytest.mark.django_db
def test_feedback_record_to_cadre_and_update(world, personas):
    record = feedback_record(
        actor=personas.clerk_a,
        year=2024,
        tier="leader_to_staff",
        given_by="分管副镇长",
        given_on=dt.date(2025, 1, 20),
        to_cadre=world.cadre_a1,
    )
    event = AuditEvent.objects.get(action="assessment.feedback.record")
    assert event.after == {
        "year": 2024,
        "tier": "leader_to_staff",
        "given_by": "分管副镇长",
        "given_on": "2025-01-20",
        "to_unit": None,
        "to_cadre": world.cadre_a1.pk,
        "notes": "",
    }
    assert event.authority_id == world.county_a_org.pk
    feedback_update(record, actor=personas.clerk_a, notes="肯定成绩，指出不足")
    update = AuditEvent.objects.get(action="assessment.feedback.update")
    assert (update.before, update.after) == ({"notes": ""}, {"notes": "肯定成绩，指出不足"})
    with pytest.raises(PermissionDenied):
        feedback_update(record, actor=personas.clerk_city, notes="越权")
    assert FeedbackRecord.objects.get().notes == "肯定成绩，指出不足"


@pytest.mark.django_db
def test_feedback_record_refusals(world, personas):
    values = {
        "year": 2024,
        "tier": "org_to_team",
        "given_by": "组织部",
        "given_on": dt.date(2025, 1, 2),
    }
    with pytest.raises(PermissionDenied):
        feedback_record(actor=personas.clerk_a, to_unit=world.township_b1, **values)
    with pytest.raises(PermissionDenied):
        feedback_record(actor=personas.hr_a1, to_unit=world.township_a1, **values)
    with pytest.raises(ValidationError):  # no recipient: the model's constraint
        feedback_record(actor=personas.clerk_a, **values)
    with pytest.raises(ValidationError) as error:
        feedback_record(
            actor=personas.clerk_a, to_unit=world.township_a1, **{**values, "tier": "x"}
        )
    assert list(error.value.message_dict) == ["tier"]
    assert not FeedbackRecord.objects.exists()


@pytest.mark.django_db
def test_target_grade_set_units_and_audit(world, personas):
    province = make_unit("山东省", kind="province", code="37")
    department = make_unit("省发展改革委", kind="department", parent=province, code="37D01")
    for unit in (world.county_a, world.township_a1, world.bureau):
        unit.refresh_from_db()  # adding a root may renumber the tree's paths
    target_grade_set(world.county_a, actor=personas.admin, year=2024, grade="average")
    target_grade_set(world.county_a, actor=personas.admin, year=2024, grade="poor", comments="退位")
    target_grade_set(department, actor=personas.admin, year=2024, grade="good")
    assert sorted(TargetAssessment.objects.values_list("unit__name", "grade", "comments")) == [
        ("甲县", "poor", "退位"),
        ("省发展改革委", "good", ""),
    ]
    events = AuditEvent.objects.filter(action="assessment.target.set").order_by("pk")
    assert [e.before for e in events] == [None, {"grade": "average", "comments": ""}, None]
    for unit in (world.township_a1, world.bureau):  # a township; a city (not provincial) bureau
        with pytest.raises(ValidationError) as error:
            target_grade_set(unit, actor=personas.admin, year=2024, grade="good")
        assert error.value.message_dict == {
            "unit": ["只有市、县（市、区）和省级部门参加年度目标责任考核。"]
        }
    with pytest.raises(PermissionDenied):
        target_grade_set(world.county_b, actor=personas.clerk_a, year=2024, grade="good")
    with pytest.raises(ValidationError):
        target_grade_set(world.county_a, actor=personas.admin, year=2024, grade="splendid")
    assert TargetAssessment.objects.get(unit=world.county_a).grade == "poor"
