"""REST API of assessments: the pages' visibility, grades entered through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from assessments.models import (
    AnnualAssessment,
    CheckupWarning,
    Incident,
    IncidentLeader,
    MonthlyReport,
    TeamAssessment,
)
from assessments.permissions import visible_assessments
from core.enums import Role
from core.models import AuditEvent
from tests.assessments.conftest import grade_all
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GRADES = "/api/assessments/grades/"
YEAR = 2024


def sheet_url(unit, year=YEAR) -> str:
    return f"/api/assessments/units/{unit.pk}/grades/{year}/"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_login(user)
    return api


@pytest.fixture
def auditor(world):
    return make_user("a_auditor", Role.AUDITOR, authorities=[world.county_a_org])


@pytest.fixture
def graded(world, township):
    """Township A1: 2 excellent, 8 competent in 2024; 李四 in township B1: competent."""
    grade_all(
        world.township_a1,
        township.hr,
        YEAR,
        ["excellent", "excellent"] + ["competent"] * 8,
        township.cadres,
    )
    grade_all(world.township_b1, township.hr_b, YEAR, ["competent"], [world.cadre_b1])
    return AnnualAssessment.objects.all()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def all_ids(api, url, params=None) -> list[int]:
    return ids(api.get(url, {**(params or {}), "page_size": 100}))


# --- reading grades -------------------------------------------------------------------------


def test_api_grade_list_is_visible_assessments_per_user(
    api, world, township, staff, auditor, graded
):
    a1 = sorted(
        AnnualAssessment.objects.filter(unit=world.township_a1).values_list("pk", flat=True),
        reverse=True,
    )
    b1 = list(AnnualAssessment.objects.filter(unit=world.township_b1).values_list("pk", flat=True))
    own = list(AnnualAssessment.objects.filter(cadre=world.cadre_a1).values_list("pk", flat=True))
    expected = {
        township.hr: a1,
        township.county_clerk: a1,
        auditor: a1,
        township.hr_b: b1,
        staff.cadre: own,  # a cadre sees only their own grade
        staff.outsider: [],
    }
    for user, rows in expected.items():
        assert all_ids(as_user(api, user), GRADES) == rows, user.username
        assert sorted(rows, reverse=True) == sorted(
            visible_assessments(user).values_list("pk", flat=True), reverse=True
        )


def test_api_grade_row(api, world, township, graded):
    record = AnnualAssessment.objects.get(cadre=world.cadre_a1)
    body = as_user(api, township.hr).get(f"{GRADES}{record.pk}/").json()
    assert body == {
        "id": record.pk,
        "cadre": world.cadre_a1.pk,
        "cadre_name": "张三",
        "year": YEAR,
        "unit": world.township_a1.pk,
        "unit_name": "甲县城关镇",
        "grade": "excellent",
        "grade_label": "优秀",
        "comments": "",
        "exemption_reason": "",
        "updated_at": body["updated_at"],
    }


def test_api_grade_detail_missing_and_forbidden_answer_alike(api, world, township, graded):
    theirs = AnnualAssessment.objects.get(cadre=world.cadre_b1)
    as_user(api, township.hr)
    forbidden, missing = api.get(f"{GRADES}{theirs.pk}/"), api.get(f"{GRADES}{10**12}/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_api_grade_filters(api, world, township, graded):
    as_user(api, township.county_clerk)
    mine = AnnualAssessment.objects.get(cadre=world.cadre_a1)
    assert all_ids(api, GRADES, {"cadre": world.cadre_a1.pk}) == [mine.pk]
    excellent = sorted(
        AnnualAssessment.objects.filter(grade="excellent").values_list("pk", flat=True),
        reverse=True,
    )
    assert all_ids(api, GRADES, {"grade": "excellent"}) == excellent
    assert all_ids(api, GRADES, {"year": YEAR - 1}) == []
    assert all_ids(api, GRADES, {"unit": world.township_b1.pk}) == []  # out of reach
    response = api.get(GRADES, {"grade": "outstanding"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["grade"]
    response = api.get(GRADES, {"year": 1800})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["year"]


@pytest.mark.parametrize("extra", [0, 5])
def test_api_grade_list_query_count_is_constant(
    api, world, township, django_assert_num_queries, extra
):
    grade_all(
        world.township_a1,
        township.hr,
        YEAR,
        ["competent"] * (5 + extra),
        township.cadres[: 5 + extra],
    )
    as_user(api, township.hr)
    # session, user, groups, the HR officer's unit, the page with cadres and units
    with django_assert_num_queries(5):
        response = api.get(GRADES)
    assert len(response.json()["results"]) == 5 + extra


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api_grades_cannot_be_written_one_by_one(api, world, township, graded, method):
    record = AnnualAssessment.objects.get(cadre=world.cadre_a1)
    response = getattr(as_user(api, township.hr), method)(
        f"{GRADES}{record.pk}/", {"grade": "incompetent"}, format="json"
    )
    assert response.status_code == 405
    assert api.post(GRADES, {"grade": "incompetent"}, format="json").status_code == 405
    record.refresh_from_db()
    assert record.grade == "excellent"


# --- a unit's grades for a year -------------------------------------------------------------


def test_api_sheet_shows_the_grid_and_quota(api, world, township, graded):
    body = as_user(api, township.hr).get(sheet_url(world.township_a1)).json()
    assert (body["unit"], body["unit_name"], body["year"]) == (
        world.township_a1.pk,
        "甲县城关镇",
        YEAR,
    )
    assert sorted(row["cadre"] for row in body["rows"]) == sorted(c.pk for c in township.cadres)
    assert sorted(row["grade"] for row in body["rows"]) == ["competent"] * 8 + ["excellent"] * 2
    assert body["quota"] == {
        "share": "0.200",
        "rounding": "floor",
        "participants": 10,
        "allowed": 2,
        "excellent": 2,
        "within": True,
    }


def test_api_hr_enters_grades_of_their_unit_through_the_service(api, world, township):
    entries = [{"cadre": c.pk, "grade": "competent"} for c in township.cadres]
    entries[0] = {"cadre": world.cadre_a1.pk, "grade": "excellent", "comments": "实绩突出"}
    response = as_user(api, township.hr).post(
        sheet_url(world.township_a1), {"grades": entries}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["deleted"]) == (10, 0, 0)
    assert body["quota"]["excellent"] == 1
    record = AnnualAssessment.objects.get(cadre=world.cadre_a1, year=YEAR)
    assert (record.grade, record.comments, record.unit, record.entered_by) == (
        "excellent",
        "实绩突出",
        world.township_a1,
        township.hr,
    )
    events = AuditEvent.objects.filter(action="assessment.grade.set", actor=township.hr)
    assert events.count() == 10


def test_api_quota_refusal_is_a_400_in_chinese_and_changes_nothing(
    api, world, township, graded
):
    before = list(AnnualAssessment.objects.order_by("pk").values_list("pk", "grade"))
    third = township.cadres[2]
    response = as_user(api, township.hr).post(
        sheet_url(world.township_a1),
        {"grades": [{"cadre": third.pk, "grade": "excellent"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "refused",
            "message": "未保存：甲县城关镇 2024 年度优秀等次名额为 2 名（参加考核 10 人 × 20.0%，"
            "向下取整），本次录入优秀 3 名，超出 1 名。",
            "fields": {},
        }
    }
    assert list(AnnualAssessment.objects.order_by("pk").values_list("pk", "grade")) == before


def test_api_entry_problems_are_named_per_entry(api, world, township, graded):
    response = as_user(api, township.hr).post(
        sheet_url(world.township_a1),
        {
            "grades": [
                {"cadre": world.cadre_a1.pk, "grade": "competent"},
                {"cadre": world.cadre_b1.pk, "grade": "competent"},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "refused",
        "message": "成绩未保存：请查看各条目的问题。",
        "fields": {"grades.1.cadre": ["您无权为该干部录入等次。"]},
    }
    assert AnnualAssessment.objects.get(cadre=world.cadre_a1).grade == "excellent"


def test_api_invalid_grade_is_a_field_error(api, world, township):
    response = as_user(api, township.hr).post(
        sheet_url(world.township_a1),
        {"grades": [{"cadre": world.cadre_a1.pk, "grade": "outstanding"}]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["grades.0.grade"]
    assert not AnnualAssessment.objects.exists()


def test_api_grade_entry_ignores_protected_fields(api, world, township, auditor):
    """Mass assignment probe: unit, year, author and times are the service's."""
    probe = {
        "cadre": world.cadre_a1.pk,
        "grade": "competent",
        "unit": world.township_b1.pk,
        "year": 1999,
        "entered_by": auditor.pk,
        "updated_at": "2000-01-01T00:00:00Z",
        "id": 999,
    }
    response = as_user(api, township.hr).post(
        sheet_url(world.township_a1),
        {"grades": [probe], "unit": world.township_b1.pk, "year": 1999},
        format="json",
    )
    assert response.status_code == 200, response.content
    record = AnnualAssessment.objects.get()
    assert (record.unit, record.year, record.entered_by) == (
        world.township_a1,
        YEAR,
        township.hr,
    )
    assert record.pk != 999
    assert record.updated_at.year == dt.date.today().year


def test_api_sheet_of_a_unit_out_of_reach_is_404(api, world, township, staff, auditor):
    url = sheet_url(world.township_b1)
    body = {"grades": [{"cadre": world.cadre_b1.pk, "grade": "excellent"}]}
    for user in (township.hr, staff.cadre, staff.outsider):
        as_user(api, user)
        assert api.get(url).status_code == 404, user.username
        assert api.post(url, body, format="json").status_code == 404, user.username
    assert as_user(api, township.hr).get(sheet_url(world.township_a1, 1800)).status_code == 404
    assert not AnnualAssessment.objects.exists()


def test_api_auditor_cannot_enter_grades(api, world, township, auditor):
    response = as_user(api, auditor).post(
        sheet_url(world.township_a1),
        {"grades": [{"cadre": world.cadre_a1.pk, "grade": "excellent"}]},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "审计人员只能查看，不能修改。"
    assert not AnnualAssessment.objects.exists()


# --- other evidence, read-only ----------------------------------------------------------------


def test_api_unit_evidence_follows_evidence_units(api, world, township, staff, auditor):
    county = TeamAssessment.objects.create(unit=world.county_a, year=YEAR, grade="good")
    city = TeamAssessment.objects.create(unit=world.bureau, year=YEAR, grade="average")
    expected = {
        township.county_clerk: [county.pk],
        auditor: [county.pk],
        township.hr: [],  # township A1's HR reads evidence of their own unit only
        staff.cadre: [],
        staff.outsider: [],
    }
    for user, rows in expected.items():
        assert all_ids(as_user(api, user), "/api/assessments/teams/") == rows, user.username
    admin = make_user("a_admin", Role.ADMIN)
    assert all_ids(as_user(api, admin), "/api/assessments/teams/") == [city.pk, county.pk]
    response = api.post("/api/assessments/teams/", {"grade": "poor"}, format="json")
    assert response.status_code == 405


def test_api_incident_detail_with_leaders(api, world, township, staff):
    incident = Incident.objects.create(
        kind="work_safety",
        occurred_on=dt.date(2024, 5, 1),
        unit=world.township_a1,
        severity="serious",
        title="较大生产安全事故",
    )
    IncidentLeader.objects.create(incident=incident, cadre=world.cadre_a1, role="principal")
    url = f"/api/assessments/incidents/{incident.pk}/"
    body = as_user(api, township.county_clerk).get(url).json()
    assert (body["title"], body["severity_label"]) == ("较大生产安全事故", "重大")
    assert body["leaders"] == [
        {"cadre": world.cadre_a1.pk, "cadre_name": "张三", "role": "principal",
         "role_label": "主要负责人"}
    ]
    for user in (staff.cadre, staff.outsider, township.hr_b):
        assert as_user(api, user).get(url).status_code == 404, user.username


def test_api_tracking_records_follow_the_cadre(api, world, township, staff):
    own = MonthlyReport.objects.create(
        cadre=world.cadre_a1, month=dt.date(2024, 3, 1), items_done="完成项目3个"
    )
    MonthlyReport.objects.create(cadre=world.cadre_b1, month=dt.date(2024, 3, 1), items_done="x")
    warning = CheckupWarning.objects.create(
        cadre=world.cadre_b1, dimension="conduct", raised_on=dt.date(2024, 4, 1), reason="作风"
    )
    assert all_ids(as_user(api, staff.cadre), "/api/assessments/monthly-reports/") == [own.pk]
    assert all_ids(api, "/api/assessments/warnings/") == []
    assert all_ids(as_user(api, township.hr_b), "/api/assessments/warnings/") == [warning.pk]
    assert all_ids(api, "/api/assessments/warnings/", {"open": "false"}) == []
    assert all_ids(as_user(api, staff.outsider), "/api/assessments/monthly-reports/") == []


@pytest.mark.parametrize("count", [1, 4])
def test_api_incident_list_query_count_is_constant(
    api, world, township, django_assert_num_queries, count
):
    for i in range(count):
        incident = Incident.objects.create(
            kind="mass",
            occurred_on=dt.date(2024, 1, 1 + i),
            unit=world.township_a1,
            severity="ordinary",
            title=f"事件{i}",
        )
        IncidentLeader.objects.create(incident=incident, cadre=township.cadres[i], role="other")
    as_user(api, township.county_clerk)
    # session, user, groups, authorities, the org department's root units, the page with
    # units, the leaders with their cadres
    with django_assert_num_queries(7):
        response = api.get("/api/assessments/incidents/")
    assert [len(row["leaders"]) for row in response.json()["results"]] == [1] * count
