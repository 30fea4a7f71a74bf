"""Workbooks of tracking and feedback: monthly reports, check-up inputs, paired
competitions, feedback records. All or nothing; exports re-import; query counts pinned."""

import datetime as dt
from decimal import Decimal

import pytest

from assessments.eligibility import open_warnings
from assessments.imports.tracking_sheets import CHECKUPS, COMPETITIONS, FEEDBACK, MONTHLY
from assessments.models import (
    CheckupWarning,
    FeedbackRecord,
    MonthlyReport,
    PairedCompetition,
    QuarterlyCheckup,
)
from cadres.models import ComparisonCategory, Unit
from tests.assessments.imports.test_unit_sheets import rows_of
from tests.assessments.test_imports import workbook
from tests.factories import CadreFactory, make_unit


def cadre_cell(cadre):
    return f"{cadre.name}（{cadre.pk}）"


H_CADRE = "干部（姓名（编号）或身份证号）"


@pytest.mark.django_db
def test_monthly_import_and_reimport(world, personas):
    rows = [
        {
            H_CADRE: cadre_cell(world.cadre_a1),
            "月份": "2024-05",
            "本月完成事项（量化）": "征收 12 户",
            "班子讨论日期": dt.date(2024, 6, 2),
            "主要负责同志签字": "王书记",
        },
        {
            H_CADRE: world.cadre_a1.national_id,
            "月份": "2024年6月",
            "本月完成事项（量化）": "开工 2 个",
        },
    ]
    assert MONTHLY.import_(workbook(MONTHLY.headers, rows), actor=personas.hr_a1) == (2, [])
    assert list(MonthlyReport.objects.order_by("month").values_list("month", "discussed_on")) == [
        (dt.date(2024, 5, 1), dt.date(2024, 6, 2)),
        (dt.date(2024, 6, 1), None),
    ]
    exported = MONTHLY.export(personas.hr_a1, year=2024)
    assert [r[:3] for r in rows_of(exported)[1:]] == [
        (cadre_cell(world.cadre_a1), "2024-05", "征收 12 户"),
        (cadre_cell(world.cadre_a1), "2024-06", "开工 2 个"),
    ]
    assert MONTHLY.import_(exported, actor=personas.hr_a1) == (2, [])
    assert MonthlyReport.objects.count() == 2


@pytest.mark.django_db
def test_monthly_import_errors(world, personas):
    rows = [
        {H_CADRE: cadre_cell(world.cadre_b1), "月份": "2024-05", "本月完成事项（量化）": "x"},
        {H_CADRE: f"王二（{world.cadre_a1.pk}）", "月份": "2024-13", "本月完成事项（量化）": "x"},
        {H_CADRE: "张三", "月份": "2024-05"},
    ]
    written, errors = MONTHLY.import_(workbook(MONTHLY.headers, rows), actor=personas.hr_a1)
    assert written == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, H_CADRE, "您可登记的干部中没有这个编号。"),
        (3, H_CADRE, "姓名与该干部（张三）不符。"),
        (3, "月份", "不是月份：请写成 2024-05。"),
        (4, H_CADRE, "请填写干部编号，如 张三（123），或身份证号。"),
        (4, "本月完成事项（量化）", "此项为必填项。"),
    ]
    assert not MonthlyReport.objects.exists()


def checkup_row(cadre, source, dimension, rating, note="", quarter=2, held="2024-06-28"):
    return {
        H_CADRE: cadre_cell(cadre),
        "年度": 2024,
        "季度": quarter,
        "体检日期": held,
        "体检举措": source,
        "维度": dimension,
        "结果": rating,
        "情况说明": note,
    }


@pytest.mark.django_db
def test_checkup_import_groups_rows_and_opens_warnings(world, personas):
    rows = [
        checkup_row(world.cadre_a1, "服务对象评", "作风", "有苗头", "办事拖沓"),
        checkup_row(world.cadre_a1, "干部群众议", "作风", "有苗头", "群众反映"),
        checkup_row(world.cadre_a1, "主要领导点", "政治", "无问题"),
        checkup_row(world.cadre_a1, "主要领导点", "政治", "无问题", quarter=3, held="2024-09-28"),
    ]
    assert CHECKUPS.import_(workbook(CHECKUPS.headers, rows), actor=personas.clerk_a) == (2, [])
    assert QuarterlyCheckup.objects.count() == 2
    assert [w.reason for w in CheckupWarning.objects.all()] == ["办事拖沓；群众反映"]
    assert list(open_warnings([world.cadre_a1.pk])) == [world.cadre_a1.pk]
    exported = rows_of(CHECKUPS.export(personas.clerk_a, year=2024))
    assert len(exported) == 5
    written, errors = CHECKUPS.import_(workbook(CHECKUPS.headers, rows[:1]), actor=personas.clerk_a)
    assert written == 0
    assert [(e.row, e.column, e.message) for e in errors] == [(2, "季度", "本季度体检已登记。")]


@pytest.mark.django_db
def test_checkup_import_refuses_hr_and_mixed_dates(world, personas):
    rows = [
        checkup_row(world.cadre_a1, "服务对象评", "作风", "有苗头"),
        checkup_row(world.cadre_a1, "主要领导点", "作风", "问题", held="2024-06-29"),
    ]
    written, errors = CHECKUPS.import_(workbook(CHECKUPS.headers, rows), actor=personas.clerk_a)
    assert (written, [(e.row, e.message) for e in errors]) == (
        0,
        [(2, "同一次体检的各行体检日期不一致。")],
    )
    written, errors = CHECKUPS.import_(workbook(CHECKUPS.headers, rows), actor=personas.hr_a1)
    assert [(e.row, e.column) for e in errors] == [(2, H_CADRE), (3, H_CADRE)]
    assert not QuarterlyCheckup.objects.exists()


@pytest.fixture
def category(world):
    category = ComparisonCategory.objects.create(name="乡镇类")
    world.township_a1.category = category
    world.township_a1.save()
    make_unit(
        "甲县新城镇", kind="township", parent=world.county_a, category=category, code="37012402"
    )
    return category


def competition_row(**extra):
    return {
        "比较类别": "乡镇类",
        "年度": 2024,
        "竞赛项目": "棚户区改造",
        "甲方单位代码": "37012401",
        "乙方单位代码": "37012402",
        **extra,
    }


@pytest.mark.django_db
def test_competition_import_then_scores_update(world, personas, category):
    rows = [competition_row()]
    assert COMPETITIONS.import_(workbook(COMPETITIONS.headers, rows), actor=personas.clerk_a) == (
        1,
        [],
    )
    rows = [competition_row(甲方得分=91, 乙方得分="88.5")]
    assert COMPETITIONS.import_(workbook(COMPETITIONS.headers, rows), actor=personas.clerk_a) == (
        1,
        [],
    )
    competition = PairedCompetition.objects.get()
    assert (competition.score_a, competition.score_b, competition.winner) == (
        Decimal("91.00"),
        Decimal("88.50"),
        "a",
    )
    exported = rows_of(COMPETITIONS.export(personas.clerk_a, year=None))
    assert exported[1] == (
        "乡镇类",
        2024,
        "棚户区改造",
        "37012401",
        "甲县城关镇",
        91,
        "37012402",
        "甲县新城镇",
        88.5,
        None,
    )


@pytest.mark.django_db
def test_competition_import_errors(world, personas, category):
    make_unit("甲县园区", kind="park", parent=world.county_a, code="37012490")
    rows = [
        competition_row(比较类别="园区类"),
        competition_row(乙方单位代码="37012490", 甲方得分="九十"),
    ]
    written, errors = COMPETITIONS.import_(
        workbook(COMPETITIONS.headers, rows), actor=personas.clerk_a
    )
    assert written == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "比较类别", "没有这个名称的比较类别。"),
        (3, "甲方得分", "不是数字。"),
    ]
    written, errors = COMPETITIONS.import_(
        workbook(COMPETITIONS.headers, [competition_row(乙方单位代码="37012490")]),
        actor=personas.clerk_a,
    )
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "乙方单位代码", "两个单位都须属于同类比较类别“乡镇类”。")
    ]
    assert not PairedCompetition.objects.exists()


def feedback_row(**extra):
    return {
        "考核年度": 2024,
        "反馈层级": "组织部门向领导班子反馈",
        "反馈人": "县委组织部",
        "反馈日期": dt.date(2025, 1, 20),
        **extra,
    }


@pytest.mark.django_db
def test_feedback_import_recipients_and_reimport(world, personas):
    rows = [
        feedback_row(**{"反馈对象单位代码（班子）": "37012401", "反馈内容": "指出不足"}),
        feedback_row(反馈对象干部=cadre_cell(world.cadre_a1)),
    ]
    assert FEEDBACK.import_(workbook(FEEDBACK.headers, rows), actor=personas.clerk_a) == (2, [])
    assert sorted(
        FeedbackRecord.objects.values_list("to_unit__name", "to_cadre__name", "notes"),
        key=str,
    ) == sorted([("甲县城关镇", None, "指出不足"), (None, "张三", "")], key=str)
    exported = FEEDBACK.export(personas.clerk_a, year=2024)
    assert FEEDBACK.import_(exported, actor=personas.clerk_a) == (2, [])
    assert FeedbackRecord.objects.count() == 2  # identical rows update, not duplicate
    written, errors = FEEDBACK.import_(
        workbook(FEEDBACK.headers, [feedback_row()]), actor=personas.clerk_a
    )
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "反馈对象单位代码（班子）", "请填写班子所在单位代码或干部，至少一项。")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "queries"), [(MONTHLY, 1), (CHECKUPS, 3), (COMPETITIONS, 2), (FEEDBACK, 2)]
)
def test_tracking_export_query_counts(
    world, personas, category, spec, queries, django_assert_num_queries
):
    from assessments.rules import CheckupInput
    from assessments.services.tracking import (
        checkup_record,
        competition_record,
        feedback_record,
        monthly_report_save,
    )

    other = Unit.objects.get_siblings(world.township_a1).get(code="37012402")

    def add(n):
        for _ in range(n):
            cadre = CadreFactory(unit=world.township_a1)
            monthly_report_save(
                cadre, actor=personas.admin, month=dt.date(2024, 5, 1), items_done="x"
            )
            checkup_record(
                cadre,
                actor=personas.admin,
                year=2024,
                quarter=1,
                held_on=dt.date(2024, 3, 1),
                inputs=[CheckupInput("principal", "law", "ok")],
            )
            competition_record(
                actor=personas.admin,
                category=category,
                year=2024,
                topic=f"项目{cadre.pk}",
                unit_a=world.township_a1,
                unit_b=other,
            )
            feedback_record(
                actor=personas.admin,
                year=2024,
                tier="org_to_team",
                given_by="组织部",
                given_on=dt.date(2025, 1, 5),
                to_cadre=cadre,
            )

    add(2)
    spec.export(personas.clerk_a, year=2024)
    with django_assert_num_queries(queries):
        assert len(rows_of(spec.export(personas.clerk_a, year=2024))) == 3
    add(5)
    with django_assert_num_queries(queries):
        assert len(rows_of(spec.export(personas.clerk_a, year=2024))) == 8
