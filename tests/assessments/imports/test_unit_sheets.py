"""Workbooks of unit-level evidence through the declarative specs: team and target grades,
poverty targets, monitoring ranks. All or nothing, row errors in Chinese, exports that
re-import, query counts of the exports pinned at two sizes."""

import io

import openpyxl
import pytest
from django.urls import reverse

from assessments.imports.unit_sheets import POVERTY, RANKS, TARGET, TEAM
from assessments.models import MonitoringRank, PovertyTarget, TargetAssessment, TeamAssessment
from assessments.services.evidence import (
    poverty_set,
    ranks_set,
    target_grade_set,
    team_grade_set,
)
from core.models import AuditEvent
from tests.assessments.test_imports import workbook
from tests.factories import make_unit


def rows_of(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.values)


@pytest.mark.django_db
def test_team_import_writes_all_and_export_reimports(world, personas):
    rows = [
        {"单位代码": "37012401", "年度": 2024, "班子等次": "好", "评语": "团结有力"},
        {"单位代码": "370124", "年度": 2024, "班子等次": "较好"},
    ]
    assert TEAM.import_(workbook(TEAM.headers, rows), actor=personas.clerk_a) == (2, [])
    assert sorted(TeamAssessment.objects.values_list("unit__name", "grade", "comments")) == [
        ("甲县", "fairly_good", ""),
        ("甲县城关镇", "good", "团结有力"),
    ]
    exported = TEAM.export(personas.clerk_a, year=2024)
    assert rows_of(exported) == [
        tuple(TEAM.headers),
        ("370124", "甲县", 2024, "较好", None),
        ("37012401", "甲县城关镇", 2024, "好", "团结有力"),
    ]
    assert TEAM.import_(exported, actor=personas.clerk_a) == (2, [])
    assert TeamAssessment.objects.count() == 2


@pytest.mark.django_db
def test_team_import_all_or_nothing_with_chinese_row_errors(world, personas):
    rows = [
        {"单位代码": "37012401", "年度": 2024, "班子等次": "好"},
        {"单位代码": "37012401", "年度": 2024, "班子等次": "一般"},  # repeats row 2
        {"单位代码": "370102", "年度": 2024, "班子等次": "好"},  # district B: outside
        {"单位代码": "370124", "年度": "明年", "班子等次": "优秀"},
        {"单位代码": "", "年度": 2024, "班子等次": "好"},
    ]
    written, errors = TEAM.import_(workbook(TEAM.headers, rows), actor=personas.clerk_a)
    assert written == 0
    assert [(e.row, e.column, e.value, e.message) for e in errors] == [
        (3, "", "", "本行与第 2 行重复。"),
        (4, "单位代码", "370102", "您可登记的单位中没有这个单位代码。"),
        (5, "年度", "明年", "不是 1990 至 2100 之间的年度。"),
        (5, "班子等次", "优秀", "无法识别的值；可选值：好、较好、一般、较差。"),
        (6, "单位代码", "", "此项为必填项。"),
    ]
    assert not TeamAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.team.set").exists()


@pytest.mark.django_db
def test_target_import_refusal_by_service_rolls_back(world, personas):
    rows = [
        {"单位代码": "370124", "年度": 2024, "考核等次": "一般"},
        {"单位代码": "37012401", "年度": 2024, "考核等次": "较差"},  # a township
    ]
    written, errors = TARGET.import_(workbook(TARGET.headers, rows), actor=personas.clerk_city)
    assert written == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "单位代码", "只有市、县（市、区）和省级部门参加年度目标责任考核。")
    ]
    assert not TargetAssessment.objects.exists()


@pytest.mark.django_db
def test_poverty_import_and_met_in_export(world, personas):
    rows = [
        {"单位代码": "370124", "年度": 2024, "减贫任务（人）": 800, "实际减贫（人）": 760},
        {"单位代码": "370102", "年度": 2024, "减贫任务（人）": 500, "实际减贫（人）": 520},
        {"单位代码": "3701", "年度": 2024, "减贫任务（人）": 900, "是否完成": "是"},
    ]
    assert POVERTY.import_(workbook(POVERTY.headers, rows), actor=personas.clerk_city) == (3, [])
    assert PovertyTarget.objects.get(unit=world.city).achieved is None  # 是否完成 not read
    exported = rows_of(POVERTY.export(personas.clerk_city, year=None))[1:]
    assert {r[1]: r[5] for r in exported} == {"济南市": None, "甲县": "否", "乙区": "是"}


@pytest.mark.django_db
def test_ranks_import_replaces_group_and_exports_change(world, personas):
    third = make_unit("丙县", kind="county", parent=world.city, code="370125")
    first = [
        {"排名类别": "县（市）", "年度": 2023, "单位代码": "370124", "名次": 1},
        {"排名类别": "县（市）", "年度": 2023, "单位代码": "370125", "名次": 2},
        {"排名类别": "县（市）", "年度": 2024, "单位代码": "370124", "名次": 2, "得分": 88.5},
        {"排名类别": "县（市）", "年度": 2024, "单位代码": "370125", "名次": 1, "得分": 91},
        {"排名类别": "城区", "年度": 2024, "单位代码": "370102", "名次": 1},
    ]
    assert RANKS.import_(workbook(RANKS.headers, first), actor=personas.clerk_city) == (5, [])
    assert MonitoringRank.objects.get(unit=third, year=2024).score == 91
    exported = rows_of(RANKS.export(personas.clerk_city, year=2024))
    assert [(r[3], r[4], r[6]) for r in exported[1:]] == [
        ("丙县", 1, "进1位"),
        ("甲县", 2, "退1位"),
        ("乙区", 1, "上年无名次"),
    ]
    gap = [
        {"排名类别": "县（市）", "年度": 2024, "单位代码": "370124", "名次": 1},
        {"排名类别": "县（市）", "年度": 2024, "单位代码": "370125", "名次": 3},
        {"排名类别": "县（市）", "年度": 2024, "单位代码": "370102", "名次": 2},
    ]
    written, errors = RANKS.import_(workbook(RANKS.headers, gap), actor=personas.clerk_city)
    assert written == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "名次", "乙区 不参加县（市）排名。")
    ]
    assert MonitoringRank.objects.get(unit=third, year=2024).rank == 1  # unchanged


@pytest.mark.django_db
@pytest.mark.parametrize(("spec", "queries"), [(TEAM, 2), (TARGET, 2), (POVERTY, 2), (RANKS, 2)])
def test_unit_sheet_export_query_counts(world, personas, spec, queries, django_assert_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            county = make_unit(f"县{i}", kind="county", parent=world.city, code=f"39{i:04d}")
            team_grade_set(county, actor=personas.admin, year=2024, grade="good")
            target_grade_set(county, actor=personas.admin, year=2024, grade="good")
            poverty_set(county, actor=personas.admin, year=2024, target=10, achieved=9)
        counties = list(world.city.get_children().filter(code__startswith="39").order_by("pk"))
        ranks_set(
            actor=personas.admin,
            year=2024,
            group="county",
            ranks={c.pk: i for i, c in enumerate(counties, start=1)},
        )

    add(2, 0)
    spec.export(personas.clerk_city, year=2024)  # the user's roles are cached after this
    with django_assert_num_queries(queries):
        assert len(rows_of(spec.export(personas.clerk_city, year=2024))) == 3
    add(6, 10)
    with django_assert_num_queries(queries):
        assert len(rows_of(spec.export(personas.clerk_city, year=2024))) == 9


@pytest.mark.django_db
def test_export_and_template_pages_by_persona(client, world, personas):
    for key in ("team", "target", "ranks", "poverty", "competitions"):
        client.force_login(personas.auditor)
        assert client.get(reverse("assessments:export", args=[key])).status_code == 200
        assert client.get(reverse("assessments:template", args=[key])).status_code == 404
        client.force_login(personas.cadre_a1)
        assert client.get(reverse("assessments:export", args=[key])).status_code == 404
        client.force_login(personas.clerk_a)
        response = client.get(reverse("assessments:template", args=[key]))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames[1] == "说明"
    client.force_login(personas.clerk_a)
    kinds = [k for k, _l in client.get(reverse("assessments:import")).context["kinds"]]
    assert kinds == [
        "grades",
        "incidents",
        "team",
        "target",
        "ranks",
        "poverty",
        "monthly",
        "checkups",
        "competitions",
        "feedback",
    ]


@pytest.mark.django_db
def test_an_export_is_an_audited_read(client, world, personas):
    from core.models import AuditEvent

    client.force_login(personas.auditor)
    response = client.get(reverse("assessments:export", args=["team"]), {"year": "2024"})
    event = AuditEvent.objects.get(action="assessments.export")
    assert (event.actor_id, event.after) == (
        personas.auditor.pk, {"kind": "team", "year": 2024, "bytes": len(response.content)}
    )
    client.force_login(personas.cadre_a1)
    client.get(reverse("assessments:export", args=["team"]))  # refused (404): nothing read
    assert AuditEvent.objects.filter(action="assessments.export").count() == 1
