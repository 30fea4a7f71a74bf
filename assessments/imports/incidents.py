"""Incidents to and from Excel; the import writes all rows or none."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import User
from core.sheets.rows import RowError, sort_errors
from core.sheets.writer import open_workbook

from ..enums import CriticizedBy, IncidentKind, LeaderRole, Severity
from ..models import IncidentLeader
from ..permissions import evidence_writable_units, visible_cadres_for_evidence, visible_incidents
from ..services.evidence import incident_values_problems, incidents_create
from .common import (
    CellProblem,
    cadre_reference,
    choice,
    choice_lookup,
    date,
    read_table,
    text,
    yes_no,
    zh_label,
)

H_KIND, H_DATE, H_UNIT, H_UNIT_NAME, H_SEVERITY, H_TITLE, H_DESC = (
    "类别",
    "发生日期",
    "单位代码",
    "单位名称",
    "等级",
    "标题",
    "简要情况",
)
H_HANDLED, H_SECONDARY, H_CRITICIZED = "是否及时处置", "是否造成次生灾害", "通报批评"
LEADER_HEADERS = {
    LeaderRole.PRINCIPAL: "主要负责人",
    LeaderRole.IN_CHARGE: "分管领导",
    LeaderRole.OTHER: "其他有关领导",
}
HEADERS = [
    H_KIND,
    H_DATE,
    H_UNIT,
    H_UNIT_NAME,
    H_SEVERITY,
    H_TITLE,
    H_DESC,
    H_HANDLED,
    H_SECONDARY,
    H_CRITICIZED,
    *LEADER_HEADERS.values(),
]
REQUIRED = [H_KIND, H_DATE, H_UNIT, H_SEVERITY, H_TITLE]
FIELD_HEADER = {
    "kind": H_KIND,
    "occurred_on": H_DATE,
    "severity": H_SEVERITY,
    "title": H_TITLE,
    "handled_in_time": H_HANDLED,
    "secondary_disaster": H_SECONDARY,
    "criticized_by": H_CRITICIZED,
}
_SPLIT = re.compile(r"[、,，;；\s]+(?![^（(]*[)）])")


def incidents_import(data: bytes, *, actor: User) -> tuple[int, list[RowError]]:
    rows, errors = read_table(data, HEADERS, REQUIRED)
    if errors:
        return 0, errors
    kinds, severities = choice_lookup(IncidentKind.choices), choice_lookup(Severity.choices)
    criticized = choice_lookup([c for c in CriticizedBy.choices if c[0]])
    units = {
        u.code: u
        for u in evidence_writable_units(actor).filter(
            code__in={text(c.get(H_UNIT)) for _n, c in rows}
        )
    }
    items = []
    references = []
    for number, cells in rows:
        values = {"title": text(cells.get(H_TITLE))[:200], "description": text(cells.get(H_DESC))}
        parsers = [
            ("kind", H_KIND, lambda r: choice(r, kinds)),
            ("severity", H_SEVERITY, lambda r: choice(r, severities)),
            ("occurred_on", H_DATE, date),
            ("handled_in_time", H_HANDLED, yes_no),
            ("secondary_disaster", H_SECONDARY, yes_no),
            ("criticized_by", H_CRITICIZED, lambda r: choice(r, criticized) or ""),
        ]
        bad = set()
        for name, header, parse in parsers:
            try:
                values[name] = parse(cells.get(header))
            except CellProblem as exc:
                bad.add(name)
                errors.append(RowError(number, header, text(cells.get(header)), str(exc)))
        code = text(cells.get(H_UNIT))
        values["unit"] = units.get(code)
        if values["unit"] is None:
            errors.append(
                RowError(
                    number, H_UNIT, code, _("No unit you may record evidence for has this code.")
                )
            )
        if not bad:
            for name, message in incident_values_problems(values).items():
                errors.append(
                    RowError(
                        number,
                        FIELD_HEADER.get(name, ""),
                        text(cells.get(FIELD_HEADER.get(name, ""))),
                        message,
                    )
                )
        leaders = []
        for role, header in LEADER_HEADERS.items():
            for token in filter(None, _SPLIT.split(text(cells.get(header)))):
                kind, key = cadre_reference(token)
                if not kind:
                    errors.append(
                        RowError(
                            number,
                            header,
                            token,
                            _(
                                "Give the cadre's system number, as 张三（123）, "
                                "or the national ID number."
                            ),
                        )
                    )
                    continue
                leaders.append((role, kind, key, header, token))
                references.append((kind, key))
        items.append((number, values, leaders))
    scope = visible_cadres_for_evidence(actor)
    by_pk = dict(
        scope.filter(pk__in=[int(k) for t, k in references if t == "pk"]).values_list("pk", "pk")
    )
    by_id = dict(
        scope.filter(national_id__in=[k for t, k in references if t == "id"]).values_list(
            "national_id", "pk"
        )
    )
    ready = []
    for number, values, leaders in items:
        resolved = []
        for role, kind, key, header, token in leaders:
            pk = by_pk.get(int(key)) if kind == "pk" else by_id.get(key)
            if pk is None:
                errors.append(
                    RowError(number, header, token, _("No cadre you may see has this number."))
                )
            else:
                resolved.append((pk, role))
        if len({pk for pk, _r in resolved}) != len(resolved):
            errors.append(RowError(number, "", "", _("A leader is named twice.")))
        ready.append((values, resolved))
    if errors:
        return 0, sort_errors(errors, HEADERS)
    try:
        created = incidents_create(ready, actor=actor)
    except (PermissionDenied, ValidationError) as exc:
        return 0, [RowError(0, "", "", "；".join(getattr(exc, "messages", [str(exc)])))]
    return len(created), []


def incidents_export(user: User, *, year: int | None) -> bytes:
    incidents = visible_incidents(user).select_related("unit").order_by("occurred_on", "pk")
    if year is not None:
        incidents = incidents.filter(occurred_on__year=year)
    incidents = list(incidents)
    leaders: dict[int, dict[str, list[str]]] = {}
    for leader in IncidentLeader.objects.filter(incident__in=incidents).select_related("cadre"):
        names = leaders.setdefault(leader.incident_id, {})
        names.setdefault(leader.role, []).append(f"{leader.cadre.name}（{leader.cadre_id}）")
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    sheet = book.add_worksheet("事件")
    sheet.write_row(0, 0, HEADERS, book.add_format({"bold": True, "bg_color": "#EFEFEA"}))
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 12)
    sheet.set_column(5, 6, 30)

    def yes(value):
        return "" if value is None else ("是" if value else "否")

    for index, i in enumerate(incidents, start=1):
        names = leaders.get(i.pk, {})
        sheet.write_row(
            index,
            0,
            [
                zh_label(IncidentKind(i.kind).label),
                "",
                i.unit.code,
                i.unit.name,
                zh_label(Severity(i.severity).label),
                i.title,
                i.description,
                yes(i.handled_in_time),
                yes(i.secondary_disaster),
                zh_label(CriticizedBy(i.criticized_by).label) if i.criticized_by else "",
                *("、".join(names.get(role, [])) for role in LEADER_HEADERS),
            ],
        )
        sheet.write_datetime(index, 1, dt.datetime.combine(i.occurred_on, dt.time()), date_format)
    book.close()
    return buffer.getvalue()


def incidents_template() -> bytes:
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    book.add_worksheet("事件").write_row(0, 0, HEADERS, book.add_format({"bold": True}))
    notes = book.add_worksheet("说明")
    notes.write(0, 0, "类别：" + "、".join(zh_label(k.label) for k in IncidentKind))
    notes.write(1, 0, "等级：" + "、".join(zh_label(s.label) for s in Severity))
    notes.write(2, 0, "是否及时处置、是否造成次生灾害：仅生态环境事件填写，填“是”或“否”。")
    notes.write(
        3,
        0,
        "通报批评：仅党建类问题填写："
        + "、".join(zh_label(c.label) for c in CriticizedBy if c.value),
    )
    notes.write(4, 0, "负责领导：填干部编号，如 张三（123），或身份证号；多人用顿号分隔。")
    book.close()
    return buffer.getvalue()
