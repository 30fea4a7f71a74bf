"""Entry pages of the evidence kinds: lists (query counts pinned at two sizes), add and
edit through the services, personas."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import (
    FeedbackRecord,
    MonthlyReport,
    PairedCompetition,
    PovertyTarget,
    TargetAssessment,
    TeamAssessment,
)
from assessments.rules import CheckupInput
from assessments.services.evidence import (
    poverty_set,
    ranks_set,
    target_grade_set,
    team_grade_set,
)
from assessments.services.tracking import (
    checkup_record,
    competition_record,
    feedback_record,
    monthly_report_save,
)
from cadres.enums import ManagementLevel
from cadres.models import ComparisonCategory, Unit
from core.models import AuditEvent
from tests.factories import CadreFactory, make_unit
from tests.importing import job_of, post_import

KINDS = ["team", "target", "ranks", "poverty", "monthly", "checkups", "competitions", "feedback"]


def _url(key, *args):
    return reverse("assessments:entry", args=[key, *args])


@pytest.mark.django_db
@pytest.mark.parametrize("key", KINDS)
def test_entry_lists_hidden_from_cadre_and_outsider(client, world, personas, key):
    for user in (personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(_url(key)).status_code == 404
    client.force_login(personas.clerk_a)
    assert client.get(_url(key)).status_code == 200


@pytest.mark.django_db
def test_unknown_kind_is_404(client, personas):
    client.force_login(personas.admin)
    assert client.get(_url("nonsense")).status_code == 404


@pytest.mark.django_db
def test_team_add_edit_and_audit(client, world, personas):
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("assessments:entry-add", args=["team"]),
        {"unit": world.township_a1.pk, "year": 2024, "grade": "good", "comments": "团结"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("team") + "?year=2024"
    team = TeamAssessment.objects.get()
    assert (team.unit, team.year, team.grade, team.comments) == (
        world.township_a1,
        2024,
        "good",
        "团结",
    )
    # adding the same unit and year again is refused with a pointer to edit
    response = client.post(
        reverse("assessments:entry-add", args=["team"]),
        {"unit": world.township_a1.pk, "year": 2024, "grade": "poor"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "甲县城关镇 已有 2024 年度的记录；请打开该记录修改。"
    ]
    edit = reverse("assessments:entry-edit", args=["team", team.pk])
    response = client.post(edit, {"unit": world.county_b.pk, "year": 2020, "grade": "average"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.unit, team.year, team.grade) == (world.township_a1, 2024, "average")
    assert AuditEvent.objects.filter(action="assessment.team.set").count() == 2


@pytest.mark.django_db
def test_team_edit_outside_jurisdiction_is_404(client, world, personas):
    team = team_grade_set(world.township_b1, actor=personas.admin, year=2024, grade="good")
    client.force_login(personas.clerk_a)
    edit = reverse("assessments:entry-edit", args=["team", team.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"grade": "poor"}).status_code == 404
    client.force_login(personas.auditor)  # reads county A, writes nothing
    assert client.get(reverse("assessments:entry-add", args=["team"])).status_code == 404
    response = client.get(_url("team"))
    assert response.status_code == 200
    assert response.context["rows"] == []  # township B1 is outside county A
    assert response.context["add_url"] == ""


@pytest.mark.django_db
def test_target_form_refuses_township(client, world, personas):
    client.force_login(personas.clerk_city)
    response = client.post(
        reverse("assessments:entry-add", args=["target"]),
        {"unit": world.township_a1.pk, "year": 2024, "grade": "average"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors  # not among the choices
    response = client.post(
        reverse("assessments:entry-add", args=["target"]),
        {"unit": world.county_a.pk, "year": 2024, "grade": "average"},
    )
    assert response.status_code == 302
    assert TargetAssessment.objects.get().grade == "average"


@pytest.mark.django_db
def test_poverty_list_shows_met_computed(client, world, personas):
    poverty_set(world.county_a, actor=personas.admin, year=2024, target=800, achieved=760)
    poverty_set(world.county_b, actor=personas.admin, year=2024, target=500, achieved=520)
    poverty_set(world.city, actor=personas.admin, year=2024, target=900, achieved=None)
    client.force_login(personas.clerk_city)
    response = client.get(_url("poverty") + "?year=2024")
    shown = {row["cells"][1].text: str(row["cells"][4].text) for row in response.context["rows"]}
    assert shown == {"甲县": "未完成", "乙区": "已完成", "济南市": "结果未出"}


@pytest.mark.django_db
def test_monthly_add_by_unit_hr_and_edit(client, world, personas):
    client.force_login(personas.hr_a1)
    response = client.post(
        reverse("assessments:entry-add", args=["monthly"]),
        {
            "cadre": world.cadre_a1.pk,
            "month": "2024-05",
            "items_done": "完成征收 12 户\n新开工项目 2 个",
            "plan_next": "完成剩余 8 户",
            "discussed_on": "2024-06-02",
            "signed_by": "王书记",
            "published_on": "2024-06-03",
        },
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.month, report.signed_by, report.published_on) == (
        dt.date(2024, 5, 1),
        "王书记",
        dt.date(2024, 6, 3),
    )
    edit = reverse("assessments:entry-edit", args=["monthly", report.pk])
    response = client.post(edit, {"items_done": "完成征收 13 户", "signed_by": "王书记"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.items_done, report.published_on) == ("完成征收 13 户", None)
    # the other township's HR officer cannot reach it
    from core.enums import Role
    from tests.factories import make_user

    client.force_login(make_user("hr_b", Role.UNIT_HR, unit=world.township_b1))
    assert client.get(edit).status_code == 404
    assert client.get(_url("monthly")).context["rows"] == []


@pytest.mark.django_db
def test_competition_add_then_scores(client, world, personas):
    category = ComparisonCategory.objects.create(name="乡镇类")
    town2 = make_unit("甲县新城镇", kind="township", parent=world.county_a, category=category)
    world.township_a1.category = category
    world.township_a1.save()
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("assessments:entry-add", args=["competitions"]),
        {
            "category": category.pk,
            "year": 2024,
            "topic": "棚户区改造",
            "unit_a": world.township_a1.pk,
            "unit_b": town2.pk,
        },
    )
    assert response.status_code == 302
    competition = PairedCompetition.objects.get()
    edit = reverse("assessments:entry-edit", args=["competitions", competition.pk])
    response = client.post(edit, {"topic": "棚户区改造", "score_a": "88.5", "score_b": "91"})
    assert response.status_code == 302
    competition.refresh_from_db()
    assert (competition.score_a, competition.score_b, competition.winner) == (
        Decimal("88.50"),
        Decimal("91.00"),
        "b",
    )
    row = client.get(_url("competitions")).context["rows"][0]
    assert row["cells"][-1].text == "甲县新城镇"
    event = AuditEvent.objects.get(action="assessment.competition.update")
    assert event.before == {"score_a": "None", "score_b": "None"}
    assert event.after == {"score_a": "88.50", "score_b": "91.00"}


@pytest.mark.django_db
def test_feedback_needs_a_recipient_and_saves(client, world, personas):
    client.force_login(personas.clerk_a)
    add = reverse("assessments:entry-add", args=["feedback"])
    values = {
        "year": 2024,
        "tier": "org_to_team",
        "given_by": "县委组织部",
        "given_on": "2025-01-20",
    }
    response = client.post(add, values)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["请填写班子所在单位或干部，至少一项。"]
    response = client.post(add, {**values, "to_unit": world.township_a1.pk, "notes": "当面反馈"})
    assert response.status_code == 302
    record = FeedbackRecord.objects.get()
    assert (record.to_unit, record.to_cadre, record.created_by) == (
        world.township_a1,
        None,
        personas.clerk_a,
    )


ROWS_PER_FILL = {
    "team": 1,
    "target": 1,
    "ranks": 1,
    "poverty": 1,
    "monthly": 1,
    "checkups": 1,
    "competitions": 1,
    "feedback": 1,
}


def _fill(world, admin, n, offset=0):
    """n rows of every kind (units, cadres and categories created as needed)."""
    category = ComparisonCategory.objects.get_or_create(name="乡镇类")[0]
    for i in range(offset, offset + n):
        town = make_unit(f"镇{i}", kind="township", parent=world.county_a, category=category)
        other = make_unit(f"乡{i}", kind="township", parent=world.county_a, category=category)
        county = make_unit(f"县{i}", kind="county", parent=world.city)
        cadre = CadreFactory(unit=town, management_level=ManagementLevel.CITY)
        team_grade_set(town, actor=admin, year=2024, grade="good")
        target_grade_set(county, actor=admin, year=2024, grade="good")
        poverty_set(county, actor=admin, year=2024, target=100, achieved=90)
        monthly_report_save(cadre, actor=admin, month=dt.date(2024, 5, 1), items_done="x")
        competition_record(
            actor=admin, category=category, year=2024, topic="t", unit_a=town, unit_b=other
        )
        feedback_record(
            actor=admin,
            year=2024,
            tier="org_to_team",
            given_by="组织部",
            given_on=dt.date(2025, 1, 5),
            to_unit=town,
            to_cadre=cadre,
        )
        checkup_record(
            cadre,
            actor=admin,
            year=2024,
            quarter=1,
            held_on=dt.date(2024, 3, 28),
            inputs=[CheckupInput("principal", "conduct", "problem", "迟到")],
        )
    counties = Unit.objects.filter(name__startswith="县", kind="county").order_by("pk")
    ranks_set(
        actor=admin,
        year=2024,
        group="county",
        ranks={u.pk: i for i, u in enumerate(counties, start=1)},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "queries"),
    # (the kinds menu asks whether the user changes any cadre through the write reach:
    # cadres.permissions.changes_any_cadre, its units resolved once per request)
    [
        ("team", 20),
        ("target", 20),
        ("ranks", 20),
        ("poverty", 20),
        ("monthly", 17),
        ("checkups", 19),
        ("competitions", 20),
        ("feedback", 20),
    ],
)
def test_entry_list_query_counts_pinned(
    client, world, personas, key, queries, django_assert_num_queries
):
    _fill(world, personas.admin, 2)
    client.force_login(personas.clerk_city)
    client.get(_url(key))
    with django_assert_num_queries(queries):
        response = client.get(_url(key) + "?year=2024")
    assert len(response.context["rows"]) == ROWS_PER_FILL[key] * 2
    _fill(world, personas.admin, 5, offset=10)
    with django_assert_num_queries(queries):
        response = client.get(_url(key) + "?year=2024")
    assert len(response.context["rows"]) == ROWS_PER_FILL[key] * 7


@pytest.mark.django_db
def test_index_links_to_evidence_by_persona(client, world, personas):
    expected = {
        personas.clerk_a: "team",
        personas.auditor: "team",
        personas.hr_a1: "team",  # reads its own unit's evidence
        personas.cadre_a1: "",
        personas.outsider: "",
    }
    for user, key in expected.items():
        client.force_login(user)
        assert client.get(reverse("assessments:index")).context["evidence"] == key


@pytest.mark.django_db
def test_import_page_imports_a_declared_kind(client, world, personas):
    import io

    from tests.assessments.test_imports import workbook

    client.force_login(personas.clerk_a)
    response = client.get(reverse("assessments:import") + "?kind=poverty")
    assert response.context["form"].initial["kind"] == "poverty"
    data = workbook(
        ["单位代码", "年度", "减贫任务（人）", "实际减贫（人）"],
        [{"单位代码": "370124", "年度": 2024, "减贫任务（人）": 800, "实际减贫（人）": 810}],
    )
    upload = io.BytesIO(data)
    upload.name = "poverty.xlsx"
    # The import runs as a background job when the request commits (core.imports).
    form = {"kind": "poverty", "file": upload}
    response = post_import(client, reverse("assessments:import"), form)
    assert job_of(response).summary["counts"] == {"written": 1}
    assert PovertyTarget.objects.get().met is True


@pytest.mark.django_db
def test_feedback_edit_page_and_scope(client, world, personas):
    record = feedback_record(
        actor=personas.admin,
        year=2024,
        tier="org_to_team",
        given_by="县委组织部",
        given_on=dt.date(2025, 1, 20),
        to_unit=world.township_a1,
    )
    edit = reverse("assessments:entry-edit", args=["feedback", record.pk])
    client.force_login(personas.clerk_city)  # the city department also covers county A's units
    assert client.get(edit).status_code == 200
    client.force_login(personas.hr_a1)  # may record feedback to cadres, not to a team
    assert client.get(edit).status_code == 404
    client.force_login(personas.clerk_a)
    response = client.get(edit)
    assert response.context["form"].initial["to_unit"] == world.township_a1
    values = {
        "year": 2024,
        "tier": "org_to_team",
        "given_by": "县委组织部",
        "given_on": "2025-01-21",
        "to_unit": world.township_a1.pk,
        "notes": "补记：反馈了班子分工问题",
    }
    assert client.post(edit, values).status_code == 302
    record.refresh_from_db()
    assert (record.given_on, record.notes) == (dt.date(2025, 1, 21), "补记：反馈了班子分工问题")
