"""Workbooks of Guanyun tracking and feedback: monthly performance reports, quarterly
check-up inputs (one row per source and dimension), paired competitions, face-to-face
feedback records."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.sheets.rows import RowError

from ..enums import CheckupSource, Dimension, FeedbackTier, Rating
from ..models import CheckupInput, FeedbackRecord, PairedCompetition
from ..permissions import (
    can_enter_monthly_reports,
    can_read_evidence,
    can_record_feedback,
    can_run_checkups,
    can_write_evidence,
    checkup_cadres,
    evidence_writable_units,
    feedback_cadres,
    monthly_report_cadres,
    visible_competitions,
    visible_feedback,
    visible_monthly_reports,
)
from ..rules import CheckupInput as Input
from ..services.tracking import (
    checkup_record,
    competition_record,
    competition_update,
    feedback_record,
    feedback_update,
    monthly_report_save,
)
from .common import CellProblem, choice, choice_lookup, date, integer, zh_label
from .engine import (
    CADRE,
    CATEGORY,
    UNIT,
    Column,
    Item,
    SheetSpec,
    cadre_cell,
    decimal,
    month,
    service_errors,
    write_each,
    year,
)

H_CADRE = "干部（姓名（编号）或身份证号）"


def _labels(choices) -> str:
    return "、".join(zh_label(label) for _v, label in choices)


# ---------------------------------------------------------------- monthly reports


def _monthly_rows(user: User, year_: int | None):
    qs = visible_monthly_reports(user).select_related("cadre")
    if year_ is not None:
        qs = qs.filter(month__year=year_)
    for r in qs.order_by("month", "cadre_id"):
        yield [
            cadre_cell(r.cadre),
            r.month.strftime("%Y-%m"),
            r.items_done,
            r.plan_next,
            r.discussed_on,
            r.signed_by,
            r.published_on,
        ]


def _monthly_write(actor: User, items: list[Item]):
    def save(v):
        monthly_report_save(
            v["cadre"],
            actor=actor,
            month=v["month"],
            items_done=v["items_done"],
            plan_next=v["plan_next"],
            discussed_on=v["discussed_on"],
            signed_by=v["signed_by"],
            published_on=v["published_on"],
        )

    return write_each(MONTHLY, items, save)


MONTHLY = SheetSpec(
    key="monthly",
    label=_("Monthly performance reports"),
    sheet="月度实绩公示",
    columns=(
        Column(H_CADRE, "cadre", required=True, ref=CADRE, width=18),
        Column("月份", "month", month, required=True, width=10),
        Column("本月完成事项（量化）", "items_done", required=True, width=40),
        Column("下月工作计划", "plan_next", width=40),
        Column("班子讨论日期", "discussed_on", date, width=12),
        Column("主要负责同志签字", "signed_by", width=12),
        Column("单位内公示日期", "published_on", date, width=12),
    ),
    may_read=can_enter_monthly_reports,
    may_write=can_enter_monthly_reports,
    write=_monthly_write,
    export_rows=_monthly_rows,
    cadre_scope=monthly_report_cadres,
    notes=(
        "干部填“姓名（编号）”，如 张三（123），或身份证号。月份如 2024-05。",
        "同一干部同一月份已有报告的，导入后改为新内容（记入审计日志）。",
    ),
    unique=("cadre", "month"),
)


# ---------------------------------------------------------------- quarterly check-ups

_SOURCES = choice_lookup(CheckupSource.choices)
_DIMENSIONS = choice_lookup(Dimension.choices)
_RATINGS = choice_lookup(Rating.choices)


def _checkup_rows(user: User, year_: int | None):
    inputs = CheckupInput.objects.filter(
        checkup__cadre__in=checkup_cadres(user).values("pk")
    ).select_related("checkup", "checkup__cadre")
    if year_ is not None:
        inputs = inputs.filter(checkup__year=year_)
    source = {v: zh_label(label) for v, label in CheckupSource.choices}
    dimension = {v: zh_label(label) for v, label in Dimension.choices}
    rating = {v: zh_label(label) for v, label in Rating.choices}
    order = ("checkup__year", "checkup__quarter", "checkup__cadre_id", "source", "dimension")
    for i in inputs.order_by(*order):
        c = i.checkup
        yield [
            cadre_cell(c.cadre),
            c.year,
            c.quarter,
            c.held_on,
            source[i.source],
            dimension[i.dimension],
            rating[i.rating],
            i.note,
        ]


def _checkup_write(actor: User, items: list[Item]):
    """Rows of one cadre and quarter form one check-up (its warnings follow the policy)."""
    groups: dict[tuple[int, int, int], list[Item]] = defaultdict(list)
    for item in items:
        v = item[1]
        groups[(v["cadre"].pk, v["year"], v["quarter"])].append(item)
    errors: list[RowError] = []
    for rows in groups.values():
        first = rows[0][1]
        dates = {v["held_on"] for _n, v in rows}
        if len(dates) > 1:
            errors.append(
                RowError(
                    rows[0][0],
                    "体检日期",
                    "",
                    gettext("One check-up's rows give different dates."),
                )
            )
            continue
        try:
            with transaction.atomic():
                checkup_record(
                    first["cadre"],
                    actor=actor,
                    year=first["year"],
                    quarter=first["quarter"],
                    held_on=first["held_on"],
                    inputs=[
                        Input(v["source"], v["dimension"], v["rating"], v["note"]) for _n, v in rows
                    ],
                )
        except (ValidationError, PermissionDenied) as exc:
            errors.extend(service_errors(CHECKUPS, rows[0][0], exc))
    return len(groups), errors


def _quarter(raw) -> int | None:
    value = integer(raw)
    if value is not None and not 1 <= value <= 4:
        raise CellProblem(gettext("The quarter is 1, 2, 3 or 4."))
    return value


CHECKUPS = SheetSpec(
    key="checkups",
    label=_("Quarterly check-ups"),
    sheet="季度多维体检",
    columns=(
        Column(H_CADRE, "cadre", required=True, ref=CADRE, width=18),
        Column("年度", "year", year, required=True, width=8),
        Column("季度", "quarter", _quarter, required=True, width=6),
        Column("体检日期", "held_on", date, required=True, width=12),
        Column("体检举措", "source", lambda r: choice(r, _SOURCES), required=True, width=20),
        Column("维度", "dimension", lambda r: choice(r, _DIMENSIONS), required=True, width=8),
        Column("结果", "rating", lambda r: choice(r, _RATINGS), required=True, width=10),
        Column("情况说明", "note", width=40),
    ),
    may_read=can_run_checkups,
    may_write=can_run_checkups,
    write=_checkup_write,
    export_rows=_checkup_rows,
    cadre_scope=checkup_cadres,
    notes=(
        "每行是一项体检举措对一个维度的结果；同一干部同一季度的各行合为一次体检。",
        "体检举措：" + _labels(CheckupSource.choices) + "。",
        "维度：" + _labels(Dimension.choices) + "。结果：" + _labels(Rating.choices) + "。",
        "达到预警条件的维度自动生成预警，预警未解除前不得提拔。",
    ),
    unique=("cadre", "year", "quarter", "source", "dimension"),
)


# ---------------------------------------------------------------- paired competitions


def _competition_rows(user: User, year_: int | None):
    qs = visible_competitions(user).select_related("category", "unit_a", "unit_b")
    if year_ is not None:
        qs = qs.filter(year=year_)
    for c in qs.order_by("year", "category__name", "topic", "pk"):
        yield [
            c.category.name,
            c.year,
            c.topic,
            c.unit_a.code,
            c.unit_a.name,
            c.score_a,
            c.unit_b.code,
            c.unit_b.name,
            c.score_b,
            c.note,
        ]


def _competition_write(actor: User, items: list[Item]):
    """A row matching a recorded competition (category, year, topic, both units) updates
    its scores and note; any other row records a new one."""
    existing = {
        (c.category_id, c.year, c.topic, c.unit_a_id, c.unit_b_id): c
        for c in PairedCompetition.objects.filter(
            year__in={v["year"] for _n, v in items}, topic__in={v["topic"] for _n, v in items}
        )
    }

    def save(v):
        key = (v["category"].pk, v["year"], v["topic"], v["unit_a"].pk, v["unit_b"].pk)
        scores = {"score_a": v["score_a"], "score_b": v["score_b"], "note": v["note"]}
        if key in existing:
            competition_update(existing[key], actor=actor, **scores)
        else:
            competition_record(
                actor=actor,
                category=v["category"],
                year=v["year"],
                topic=v["topic"],
                unit_a=v["unit_a"],
                unit_b=v["unit_b"],
                **scores,
            )

    return write_each(COMPETITIONS, items, save)


COMPETITIONS = SheetSpec(
    key="competitions",
    label=_("Paired competitions"),
    sheet="结对竞赛",
    columns=(
        Column("比较类别", "category", required=True, ref=CATEGORY, width=14),
        Column("年度", "year", year, required=True, width=8),
        Column("竞赛项目", "topic", required=True, width=20),
        Column("甲方单位代码", "unit_a", required=True, ref=UNIT, width=12),
        Column("甲方单位名称", "unit_a_name", imported=False, width=20),
        Column("甲方得分", "score_a", decimal, width=10),
        Column("乙方单位代码", "unit_b", required=True, ref=UNIT, width=12),
        Column("乙方单位名称", "unit_b_name", imported=False, width=20),
        Column("乙方得分", "score_b", decimal, width=10),
        Column("备注", "note", width=30),
    ),
    may_read=can_read_evidence,
    may_write=can_write_evidence,
    write=_competition_write,
    export_rows=_competition_rows,
    unit_scope=evidence_writable_units,
    notes=(
        "两个单位须属于同一比较类别（同类同比）。",
        "类别、年度、项目和双方单位与已登记的竞赛相同的，导入后更新得分和备注。",
    ),
    unique=("category", "year", "topic", "unit_a", "unit_b"),
    field_headers={"unit_b": "乙方单位代码", "unit_a": "甲方单位代码"},
)


# ---------------------------------------------------------------- feedback

_TIERS = choice_lookup(FeedbackTier.choices)


def _feedback_rows(user: User, year_: int | None):
    qs = visible_feedback(user).select_related("to_unit", "to_cadre")
    if year_ is not None:
        qs = qs.filter(year=year_)
    tiers = {v: zh_label(label) for v, label in FeedbackTier.choices}
    for r in qs.order_by("given_on", "pk"):
        yield [
            r.year,
            tiers[r.tier],
            r.given_by,
            r.given_on,
            r.to_unit.code if r.to_unit else "",
            r.to_unit.name if r.to_unit else "",
            cadre_cell(r.to_cadre),
            r.notes,
        ]


def _feedback_write(actor: User, items: list[Item]):
    """A row identical in year, tier, giver, date and recipient to a recorded one updates
    its notes; any other row records new feedback."""
    existing = {
        (r.year, r.tier, r.given_by, r.given_on, r.to_unit_id, r.to_cadre_id): r
        for r in FeedbackRecord.objects.filter(given_on__in={v["given_on"] for _n, v in items})
    }

    def save(v):
        if v["to_unit"] is None and v["to_cadre"] is None:
            raise ValidationError(
                {"to_unit": gettext("Give the team's unit code or the cadre, or both.")}
            )
        key = (
            v["year"],
            v["tier"],
            v["given_by"],
            v["given_on"],
            v["to_unit"].pk if v["to_unit"] else None,
            v["to_cadre"].pk if v["to_cadre"] else None,
        )
        if key in existing:
            feedback_update(existing[key], actor=actor, notes=v["notes"])
            return
        feedback_record(
            actor=actor,
            year=v["year"],
            tier=v["tier"],
            given_by=v["given_by"],
            given_on=v["given_on"],
            to_unit=v["to_unit"],
            to_cadre=v["to_cadre"],
            notes=v["notes"],
        )

    return write_each(FEEDBACK, items, save)


FEEDBACK = SheetSpec(
    key="feedback",
    label=_("Face-to-face feedback"),
    sheet="当面反馈",
    columns=(
        Column("考核年度", "year", year, required=True, width=8),
        Column("反馈层级", "tier", lambda r: choice(r, _TIERS), required=True, width=24),
        Column("反馈人", "given_by", required=True, width=14),
        Column("反馈日期", "given_on", date, required=True, width=12),
        Column("反馈对象单位代码（班子）", "to_unit", ref=UNIT, width=14),
        Column("反馈对象单位名称", "to_unit_name", imported=False, width=20),
        Column("反馈对象干部", "to_cadre", ref=CADRE, width=18),
        Column("反馈内容", "notes", width=40),
    ),
    may_read=can_record_feedback,
    may_write=can_record_feedback,
    write=_feedback_write,
    export_rows=_feedback_rows,
    unit_scope=evidence_writable_units,
    cadre_scope=feedback_cadres,
    notes=(
        "反馈层级：" + _labels(FeedbackTier.choices) + "。",
        "反馈对象填班子所在单位代码或干部，至少填一项。",
    ),
)
