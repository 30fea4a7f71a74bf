"""Exceptional-promotion requests: thresholds from the cadre's data, workflow, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from assessments.models import CheckupWarning
from cadres.enums import Rank
from core.errors import StateChanged
from core.models import AuditEvent, Notification
from promotions.exceptional.services import (
    exceptional_transition,
    get_request_for_user,
    visible_request_paths,
    visible_requests,
)
from promotions.models import ExceptionalRequest, PromotionPolicy
from tests.promotions.conftest import request_for

pytestmark = pytest.mark.django_db


def _statuses(request):
    return {t["code"]: t["status"] for t in request.thresholds}


def test_draft_records_the_thresholds_waived(world, county, exc):
    request = request_for(exc, county.clerk)
    years = exc.cadre.rank_since
    assert (request.state, request.authority, request.unit, request.current_rank) == (
        "draft",
        world.county_a_org,
        world.township_a1,
        Rank.SECTION_CHIEF,
    )
    assert (request.situation, request.situation_title) == (
        "outstanding_results",
        "工作实绩突出、群众基础较好",
    )
    assert request.policy == PromotionPolicy.objects.get(jurisdiction_code="370124")
    assert _statuses(request) == {
        "years_in_rank": "waived",
        "rank_step": "met",
        "warnings": "met",
        "matters": "met",
    }
    full = timezone.localdate().year - years.year - (
        (timezone.localdate().month, timezone.localdate().day) < (years.month, years.day)
    )
    assert request.thresholds[0]["params"] == {
        "years": full,
        "minimum": 3,
        "since": years.isoformat(),
    }
    assert request.waived == ["years_in_rank"]
    event = AuditEvent.objects.get(action="promotions.exceptional.create")
    assert (event.actor, event.authority_id, event.after["waived"]) == (
        county.clerk,
        world.county_a_org.pk,
        ["years_in_rank"],
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"target_rank": Rank.SECTION_CHIEF}, {"target_rank": ["拟任职级必须高于干部现任职级。"]}),
        ({"target_rank": 7}, {"target_rank": ["请选择拟任职级。"]}),
        ({"situation": "age"}, {"situation": ["请选择现行办法所列的情形之一。"]}),
        ({"reasons": " "}, {"reasons": ["请填写破格提拔的理由。"]}),
        ({"target_title": ""}, {"target_title": ["请填写拟任职务。"]}),
    ],
)
def test_bad_input_is_refused_and_nothing_written(county, exc, changes, errors):
    with pytest.raises(ValidationError) as info:
        request_for(exc, county.clerk, **changes)
    assert info.value.message_dict == errors
    assert (ExceptionalRequest.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_only_staff_covering_the_cadre_may_request(county, exc, personas):
    for user in (county.clerk_city, county.auditor, exc.leader, personas.hr_a1,
                 exc.cadre_user, personas.outsider):
        if user is exc.leader:
            continue  # an approving leader is organization-department staff: may draft
        with pytest.raises(PermissionDenied):
            request_for(exc, user)
    assert ExceptionalRequest.objects.count() == 0
    assert request_for(exc, exc.leader).state == "draft"


def test_submit_approve_with_audit_and_notifications(county, exc):
    request = request_for(exc, county.clerk)
    request = exceptional_transition(request, actor=county.clerk, action="submit")
    assert (request.state, request.submitted_at is not None) == ("submitted", True)
    assert list(Notification.objects.values_list("recipient__username", "code")) == [
        ("p_leader", "promotions.exceptional.submitted")
    ]
    with pytest.raises(PermissionDenied):
        exceptional_transition(request, actor=county.clerk, action="approve")
    request = exceptional_transition(request, actor=exc.leader, action="approve", reason="同意")
    # The decision goes to the clerk who drafted the request and to the cadre.
    assert list(
        Notification.objects.filter(code="promotions.exceptional.approved").values_list(
            "recipient__username", "target_type", "target_id"
        ).order_by("recipient__username")
    ) == [
        ("p_clerk", "promotions.exceptionalrequest", request.pk),
        ("p_xie", "promotions.exceptionalrequest", request.pk),
    ]
    assert (request.state, request.decided_by, request.decision_reason) == (
        "approved",
        exc.leader,
        "同意",
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="promotions.exceptional")
        .order_by("pk")
        .values_list("action", "before", "after")
    ) == [
        (
            "promotions.exceptional.create",
            None,
            {
                "state": "draft",
                "situation": "outstanding_results",
                "target_rank": Rank.COUNTY_DEPUTY,
                "waived": ["years_in_rank"],
                "policy": request.policy_id,
            },
        ),
        (
            "promotions.exceptional.submit",
            {"state": "draft"},
            {"state": "submitted", "waived": ["years_in_rank"]},
        ),
        ("promotions.exceptional.approve", {"state": "submitted"}, {"state": "approved"}),
    ]
    with pytest.raises(StateChanged) as info:
        exceptional_transition(request, actor=exc.leader, action="reject", reason="x")
    assert str(info.value) == "已有他人先行办理：该申请现为“已批准”。"
    assert info.value.current == "已批准"


def test_reject_needs_a_reason(county, exc):
    request = exceptional_transition(
        request_for(exc, county.clerk), actor=county.clerk, action="submit"
    )
    with pytest.raises(ValidationError) as info:
        exceptional_transition(request, actor=exc.leader, action="reject", reason="  ")
    assert info.value.message_dict == {"reason": ["请填写不予批准的理由。"]}
    request = exceptional_transition(request, actor=exc.leader, action="reject", reason="条件不足")
    assert (request.state, request.decision_reason) == ("rejected", "条件不足")
    rejected = Notification.objects.filter(code="promotions.exceptional.rejected")
    assert sorted(rejected.values_list("recipient__username", "params__reason")) == [
        ("p_clerk", "条件不足"), ("p_xie", "条件不足")
    ]


def test_nothing_to_waive_is_an_ordinary_promotion(county, exc):
    exc.cadre.rank_since = dt.date(2010, 1, 1)
    exc.cadre.save()
    request = request_for(exc, county.clerk)
    assert request.waived == []
    with pytest.raises(ValidationError) as info:
        exceptional_transition(request, actor=county.clerk, action="submit")
    assert info.value.messages == [
        "无需破格：该干部符合全部任职条件，应按正常程序提拔，而非破格提拔。"
    ]
    request.refresh_from_db()
    assert request.state == "draft"


def test_submit_recomputes_and_an_open_warning_blocks(county, exc):
    request = request_for(exc, county.clerk)
    CheckupWarning.objects.create(
        cadre=exc.cadre, dimension="conduct", raised_on=timezone.localdate(), reason="作风问题"
    )
    with pytest.raises(ValidationError) as info:
        exceptional_transition(request, actor=county.clerk, action="submit")
    assert info.value.messages == ["该申请不能报批：有未解除的体检预警。"]
    request.refresh_from_db()
    assert (request.state, _statuses(request)["warnings"]) == ("draft", "met")


def test_grades_situation_is_checked_against_the_grades(county, exc):
    from assessments.models import AnnualAssessment

    year = timezone.localdate().year
    for y, grade in ((year - 3, "excellent"), (year - 2, "competent"), (year - 1, "excellent")):
        AnnualAssessment.objects.create(cadre=exc.cadre, year=y, unit=exc.cadre.unit, grade=grade)
    request = request_for(exc, county.clerk, situation="strong_grades")
    assert _statuses(request)["situation"] == "met"
    AnnualAssessment.objects.filter(year=year - 2).update(grade="basic")
    with pytest.raises(ValidationError) as info:
        exceptional_transition(request, actor=county.clerk, action="submit")
    assert info.value.messages == ["该申请不能报批：干部年度考核等次不符合所选情形。"]


def test_who_sees_a_request(world, county, exc, personas):
    request = request_for(exc, county.clerk)
    other = request_for(exc, county.clerk, target_title="另一职务")
    for user in (county.clerk, county.auditor, exc.leader, personas.admin):
        assert get_request_for_user(user, request.pk) == request
    for user in (county.clerk_city, personas.hr_a1, personas.outsider, personas.cadre_a1,
                 exc.cadre_user):
        with pytest.raises(Http404):
            get_request_for_user(user, request.pk)
    exceptional_transition(request, actor=county.clerk, action="submit")
    assert list(visible_requests(exc.cadre_user)) == [request]  # own, submitted; not the draft
    assert list(visible_requests(personas.cadre_a1)) == []
    assert other.state == "draft"


def test_request_paths_select_what_visible_requests_does(world, county, exc, personas):
    """One path per authority of the staff, and the cadre's own once submitted: their union
    is visible_requests (the list reads them one by one)."""
    request = request_for(exc, county.clerk)
    request_for(exc, county.clerk, target_title="另一职务")
    exceptional_transition(request, actor=county.clerk, action="submit")
    assert visible_request_paths(personas.admin) is None
    for user in (county.clerk, county.auditor, exc.leader, county.clerk_city, personas.hr_a1,
                 personas.outsider, personas.cadre_a1, exc.cadre_user):
        union = set()
        for path in visible_request_paths(user):
            union |= set(ExceptionalRequest.objects.filter(path).values_list("pk", flat=True))
        assert union == set(visible_requests(user).values_list("pk", flat=True))
