"""Annual grades to and from Excel. The import writes every row or none: rows are grouped
by unit and year and each group goes through services.grades.unit_grades_enter (quota,
exemptions, permissions) inside one outer transaction that is rolled back on any error."""

from __future__ import annotations

import io
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from cadres.models import Unit
from cadres.permissions import can_reveal_all_national_ids
from core.formatting import mask_id_number
from core.models import User
from core.sheets.rows import RowError, sort_errors
from core.sheets.writer import open_workbook

from ..enums import Grade
from ..permissions import gradable_cadres, gradable_units, visible_assessments
from ..services.grades import GradeInput, GradesRefused, unit_grades_enter
from .common import (
    CellProblem,
    cadre_reference,
    choice,
    choice_lookup,
    integer,
    read_table,
    text,
    zh_label,
)

H_PK, H_NAME, H_ID, H_UNIT, H_UNIT_NAME, H_YEAR, H_GRADE, H_COMMENTS, H_REASON = (
    "干部编号",
    "姓名",
    "身份证号",
    "单位代码",
    "单位名称",
    "年度",
    "考核等次",
    "评语",
    "容错免责年度定为基本称职以下的理由",
)
HEADERS = [H_PK, H_NAME, H_ID, H_UNIT, H_UNIT_NAME, H_YEAR, H_GRADE, H_COMMENTS, H_REASON]
REQUIRED = [H_UNIT, H_YEAR, H_GRADE]


def grades_import(data: bytes, *, actor: User) -> tuple[int, list[RowError]]:
    """(grades written, errors). With any error nothing is written."""
    rows, errors = read_table(data, HEADERS, REQUIRED)
    if errors:
        return 0, errors
    lookup = choice_lookup(Grade.choices)
    parsed = []
    for number, cells in rows:
        values = {}
        for header, parse in ((H_YEAR, integer), (H_GRADE, lambda r: choice(r, lookup))):
            try:
                values[header] = parse(cells.get(header))
            except CellProblem as exc:
                errors.append(RowError(number, header, text(cells.get(header)), str(exc)))
        for header in (H_UNIT, H_YEAR, H_GRADE):
            if not text(cells.get(header)):
                errors.append(RowError(number, header, "", _("This column is required.")))
        reference = (
            cadre_reference(text(cells.get(H_PK)))
            if text(cells.get(H_PK))
            else (cadre_reference(text(cells.get(H_ID))))
        )
        if reference[0] == "":
            errors.append(
                RowError(
                    number,
                    H_PK,
                    reference[1],
                    _("Give the cadre's system number or full national ID number."),
                )
            )
        parsed.append((number, cells, values, reference))
    units = {
        u.code: u
        for u in gradable_units(actor).filter(
            code__in={text(c.get(H_UNIT)) for _n, c, _v, _r in parsed}
        )
    }
    pks = {int(r[1]) for *_x, r in parsed if r[0] == "pk"}
    ids = {r[1] for *_x, r in parsed if r[0] == "id"}
    scope = gradable_cadres(actor)
    by_pk = {c.pk: c for c in scope.filter(pk__in=pks).only("pk", "name", "national_id")}
    by_id = {
        c.national_id: c
        for c in scope.filter(national_id__in=ids).only("pk", "name", "national_id")
    }
    groups: dict[tuple[int, int], list[GradeInput]] = defaultdict(list)
    for number, cells, values, (kind, key) in parsed:
        unit = units.get(text(cells.get(H_UNIT)))
        if text(cells.get(H_UNIT)) and unit is None:
            errors.append(
                RowError(
                    number,
                    H_UNIT,
                    text(cells.get(H_UNIT)),
                    _("No unit whose grades you enter has this code."),
                )
            )
        cadre = by_pk.get(int(key)) if kind == "pk" else by_id.get(key) if kind == "id" else None
        if kind and cadre is None:
            errors.append(
                RowError(
                    number,
                    H_PK if kind == "pk" else H_ID,
                    mask_id_number(key) if kind == "id" else key,
                    _("No cadre whose grade you may enter has this number."),
                )
            )
        name = text(cells.get(H_NAME))
        if cadre is not None and name and name != cadre.name:
            errors.append(
                RowError(
                    number,
                    H_NAME,
                    name,
                    _("The name does not match the cadre (%(name)s).") % {"name": cadre.name},
                )
            )
        if unit is None or cadre is None or values.get(H_YEAR) is None or not values.get(H_GRADE):
            continue
        groups[(unit.pk, values[H_YEAR])].append(
            GradeInput(
                cadre.pk,
                values[H_GRADE],
                text(cells.get(H_COMMENTS)),
                text(cells.get(H_REASON)),
                row=number,
            )
        )
    if errors:
        return 0, sort_errors(errors, HEADERS)
    unit_by_pk = {u.pk: u for u in units.values()}
    written = 0
    with transaction.atomic():
        for (unit_pk, year), entries in groups.items():
            try:
                with transaction.atomic():
                    saved = unit_grades_enter(
                        unit_by_pk[unit_pk], actor=actor, year=year, entries=entries
                    )
                written += saved.created + saved.updated
            except GradesRefused as refused:
                for p in refused.problems:
                    column = {
                        "grade": H_GRADE,
                        "exemption_reason": H_REASON,
                        "comments": H_COMMENTS,
                    }.get(p.field, H_PK if p.cadre_id else "")
                    errors.append(RowError(p.row or entries[0].row, column, "", p.message))
        if errors:
            transaction.set_rollback(True)
            return 0, sort_errors(errors, HEADERS)
    return written, []


def grades_export(user: User, *, year: int | None, unit: Unit | None) -> bytes:
    """The grades the user may see, in the import's columns (re-importable)."""
    rows = (
        visible_assessments(user)
        .select_related("cadre", "unit")
        .order_by("unit__path", "year", "cadre__name", "pk")
    )
    if year is not None:
        rows = rows.filter(year=year)
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    reveal = can_reveal_all_national_ids(user)
    buffer = io.BytesIO()
    book = open_workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("年度考核")
    head = book.add_format({"bold": True, "bg_color": "#EFEFEA", "border": 1})
    sheet.write_row(0, 0, HEADERS, head)
    sheet.set_column(0, 0, 10)
    sheet.set_column(2, 2, 21)
    sheet.set_column(4, 4, 24)
    sheet.set_column(7, 8, 40)
    labels = {g.value: zh_label(g.label) for g in Grade}
    for index, r in enumerate(rows.iterator(chunk_size=2000), start=1):
        national_id = r.cadre.national_id if reveal else mask_id_number(r.cadre.national_id)
        sheet.write_row(
            index,
            0,
            [
                r.cadre_id,
                r.cadre.name,
                national_id,
                r.unit.code,
                r.unit.name,
                r.year,
                labels[r.grade],
                r.comments,
                r.exemption_reason,
            ],
        )
    book.close()
    return buffer.getvalue()


def grades_template() -> bytes:
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    sheet = book.add_worksheet("年度考核")
    sheet.write_row(0, 0, HEADERS, book.add_format({"bold": True}))
    notes = book.add_worksheet("说明")
    notes.write(0, 0, "考核等次：" + "、".join(zh_label(g.label) for g in Grade))
    notes.write(1, 0, "干部编号或身份证号填其一；同一单位同一年度的等次一并校验优秀名额。")
    book.close()
    return buffer.getvalue()
