"""Workbooks of unit-level evidence: team and target-responsibility grades, poverty
targets (one row per unit and year) and county monitoring ranks (one group and year
replaced as a whole)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.sheets.rows import RowError

from ..enums import RankGroup, TargetGrade, TeamGrade
from ..models import MonitoringRank, PovertyTarget, TargetAssessment, TeamAssessment
from ..permissions import (
    can_read_evidence,
    can_write_evidence,
    evidence_writable_units,
    visible_unit_evidence,
)
from ..rules import RankChange, poverty_target_met, rank_change
from ..services.evidence import poverty_set, ranks_set, target_grade_set, team_grade_set
from .common import choice, choice_lookup, integer, zh_label
from .engine import UNIT, Column, Item, SheetSpec, decimal, service_errors, write_each, year

H_UNIT, H_UNIT_NAME, H_YEAR = "单位代码", "单位名称", "年度"
UNIT_YEAR = (
    Column(H_UNIT, "unit", required=True, ref=UNIT, width=12),
    Column(H_UNIT_NAME, "unit_name", imported=False, width=24),
    Column(H_YEAR, "year", year, required=True, width=8),
)


def _labels(choices) -> str:
    return "、".join(zh_label(label) for _v, label in choices)


def _graded_rows(model, choices):
    def rows(user: User, year_: int | None):
        qs = (
            visible_unit_evidence(user, model).select_related("unit").order_by("unit__path", "year")
        )
        if year_ is not None:
            qs = qs.filter(year=year_)
        labels = {value: zh_label(label) for value, label in choices}
        for r in qs:
            yield [r.unit.code, r.unit.name, r.year, labels[r.grade], r.comments]

    return rows


def _graded_spec(key, label, sheet, model, choices, setter, grade_header, note) -> SheetSpec:
    lookup = choice_lookup(choices)

    def write(actor: User, items: list[Item]):
        def save(v):
            setter(v["unit"], actor=actor, year=v["year"], grade=v["grade"], comments=v["comments"])

        return write_each(spec, items, save)

    spec = SheetSpec(
        key=key,
        label=label,
        sheet=sheet,
        columns=(
            *UNIT_YEAR,
            Column(grade_header, "grade", lambda r: choice(r, lookup), required=True),
            Column("评语", "comments", width=40),
        ),
        may_read=can_read_evidence,
        may_write=can_write_evidence,
        write=write,
        export_rows=_graded_rows(model, choices),
        unit_scope=evidence_writable_units,
        notes=(f"{grade_header}：{_labels(choices)}。", note),
        unique=("unit", "year"),
    )
    return spec


TEAM = _graded_spec(
    "team",
    _("Leadership-team grades"),
    "领导班子年度考核",
    TeamAssessment,
    TeamGrade.choices,
    team_grade_set,
    "班子等次",
    "同一单位同一年度已有等次的，导入后改为新等次（记入审计日志）。",
)
TARGET = _graded_spec(
    "target",
    _("Target-responsibility grades"),
    "年度目标责任考核",
    TargetAssessment,
    TargetGrade.choices,
    target_grade_set,
    "考核等次",
    "只适用于市、县（市、区）和省级部门。",
)


def _poverty_rows(user: User, year_: int | None):
    qs = visible_unit_evidence(user, PovertyTarget).select_related("unit")
    if year_ is not None:
        qs = qs.filter(year=year_)
    for r in qs.order_by("unit__path", "year"):
        met = poverty_target_met(r.target, r.achieved)
        shown = "" if met is None else ("是" if met else "否")
        yield [r.unit.code, r.unit.name, r.year, r.target, r.achieved, shown, r.note]


def _poverty_write(actor: User, items: list[Item]):
    def save(v):
        poverty_set(
            v["unit"],
            actor=actor,
            year=v["year"],
            target=v["target"],
            achieved=v["achieved"],
            note=v["note"],
        )

    return write_each(POVERTY, items, save)


POVERTY = SheetSpec(
    key="poverty",
    label=_("Poverty-alleviation targets"),
    sheet="扶贫绩效",
    columns=(
        *UNIT_YEAR,
        Column("减贫任务（人）", "target", integer, required=True),
        Column("实际减贫（人）", "achieved", integer),
        Column("是否完成", "met", imported=False, width=10),
        Column("备注", "note", width=30),
    ),
    may_read=can_read_evidence,
    may_write=can_write_evidence,
    write=_poverty_write,
    export_rows=_poverty_rows,
    unit_scope=evidence_writable_units,
    notes=("只适用于市和县（市、区）。“是否完成”由系统按实际减贫与任务比较得出，导入时不读取。",),
    unique=("unit", "year"),
)


# ---------------------------------------------------------------- monitoring ranks


def change_label(change: RankChange) -> str:
    if change.direction == "new":
        return "上年无名次"
    if change.direction == "same":
        return "持平"
    verb = "进" if change.direction == "up" else "退"
    return f"{verb}{change.magnitude}位"


def ranks_with_previous(qs):
    """Each rank with last year's rank of the same unit (one query, a subquery)."""
    previous = MonitoringRank.objects.filter(
        unit_id=OuterRef("unit_id"), year=OuterRef("year") - 1
    ).values("rank")[:1]
    return qs.annotate(previous=Subquery(previous))


def _rank_rows(user: User, year_: int | None):
    qs = visible_unit_evidence(user, MonitoringRank).select_related("unit")
    if year_ is not None:
        qs = qs.filter(year=year_)
    labels = {value: zh_label(label) for value, label in RankGroup.choices}
    for r in ranks_with_previous(qs).order_by("year", "group", "rank"):
        change = rank_change(r.previous, r.rank)
        yield [
            labels[r.group],
            r.year,
            r.unit.code,
            r.unit.name,
            r.rank,
            r.score,
            change_label(change),
        ]


def _ranks_write(actor: User, items: list[Item]):
    """Each (year, group) of the file replaces that year's ranking of the group."""
    groups: dict[tuple[int, str], list[Item]] = defaultdict(list)
    for item in items:
        groups[(item[1]["year"], item[1]["group"])].append(item)
    errors: list[RowError] = []
    for (year_, group), rows in groups.items():
        ranks = {v["unit"].pk: v["rank"] for _n, v in rows}
        scores: dict[int, Decimal | None] = {v["unit"].pk: v["score"] for _n, v in rows}
        try:
            with transaction.atomic():
                ranks_set(actor=actor, year=year_, group=group, ranks=ranks, scores=scores)
        except (ValidationError, PermissionDenied) as exc:
            errors.extend(service_errors(RANKS, rows[0][0], exc))
    return len(items), errors


_GROUPS = choice_lookup(RankGroup.choices)
RANKS = SheetSpec(
    key="ranks",
    label=_("County monitoring ranks"),
    sheet="县域经济社会发展监测考评",
    columns=(
        Column("排名类别", "group", lambda r: choice(r, _GROUPS), required=True, width=12),
        Column(H_YEAR, "year", year, required=True, width=8),
        Column(H_UNIT, "unit", required=True, ref=UNIT, width=12),
        Column(H_UNIT_NAME, "unit_name", imported=False, width=24),
        Column("名次", "rank", integer, required=True, width=8),
        Column("得分", "score", decimal, width=10),
        Column("较上年", "change", imported=False, width=12),
    ),
    may_read=can_read_evidence,
    may_write=can_write_evidence,
    write=_ranks_write,
    export_rows=_rank_rows,
    unit_scope=evidence_writable_units,
    notes=(
        "排名类别：" + _labels(RankGroup.choices) + "，县（市）与城区分别排名。",
        "同一类别同一年度的名次整体替换，须为 1 至 n 各一次。",
        "“较上年”（进位/退位）由系统计算，导入时不读取。",
    ),
    unique=("group", "year", "unit"),
    field_headers={"rank": "名次", "group": "排名类别"},
)
