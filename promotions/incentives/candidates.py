"""Candidate lists (后备人选名单) per unit and rank: each cadre's promotion eligibility, as
explained by promotions.incentives.rules.eligibility, read set-based for the whole list (a fixed
number of queries whatever its length) and exportable to Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from assessments.eligibility import annual_grades, open_warnings
from assessments.models import TeamAssessment
from cadres.enums import CadreStatus, Rank
from cadres.models import Cadre, Unit
from core import audit
from core.models import User
from core.sheets.writer import open_workbook
from promotions.enums import Verdict
from promotions.policy_data import Terms
from promotions.proposals.explain import grade_label
from tolerance.effects import matter_effects
from tolerance.models import AccountabilityMatter

from . import rules
from .access import staff_authorities

VERDICT_ORDER = {Verdict.PRIORITY: 0, Verdict.ELIGIBLE: 1, Verdict.BLOCKED: 2}
LINE_LABELS = {
    "years_in_rank": gettext_lazy("Years in rank below the minimum"),
    "grades": gettext_lazy("Annual grades not all competent or better"),
    "warnings": gettext_lazy("Open check-up warning"),
    "matters": gettext_lazy("Accountability matter still counts"),
}


@dataclass(frozen=True)
class CandidateRow:
    cadre_id: int
    name: str
    unit_name: str
    position: str
    rank_since: dt.date
    explanation: rules.Explanation

    def line(self, code: str) -> rules.Line:
        return next(line for line in self.explanation.lines if line.code == code)

    @property
    def years_in_rank(self) -> int:
        return self.line("years_in_rank").params["years"]

    @property
    def grades(self) -> list[tuple[int, str | None]]:
        return sorted(self.line("grades").params["grades"].items())

    @property
    def blocking(self) -> list[str]:
        return [line.code for line in self.explanation.lines if line.status == "blocked"]


def candidate_cadres(visible: QuerySet[Cadre], unit: Unit, rank: int) -> QuerySet[Cadre]:
    """Serving cadres of the rank in the unit's subtree, among those the user may see."""
    return visible.filter(unit__path__startswith=unit.path, rank=rank, status=CadreStatus.SERVING)


def candidate_rows(cadres: QuerySet[Cadre], *, as_of: dt.date, terms: Terms) -> list[CandidateRow]:
    """Every cadre's eligibility; priority first, then eligible, then blocked. Six queries
    at most: cadres, grades, warnings, matters, their tolerance effects (two)."""
    people = list(
        cadres.order_by("unit__path", "name_pinyin", "pk").values_list(
            "pk", "name", "unit_id", "unit__name", "position", "rank_since"
        )
    )
    ids = [p[0] for p in people]
    if not ids:
        return []
    grades = annual_grades(ids, range(as_of.year - terms.grade_years, as_of.year))
    warnings = open_warnings(ids)
    links = list(
        AccountabilityMatter.cadres.through.objects.filter(
            cadre_id__in=ids, accountabilitymatter__occurred_on__lte=as_of
        ).values_list("accountabilitymatter_id", "cadre_id", "accountabilitymatter__title")
    )
    effects = matter_effects((m, c) for m, c, _t in links)
    matters: dict[int, list[rules.MatterFact]] = defaultdict(list)
    for matter_id, cadre_id, title in links:
        matters[cadre_id].append(
            rules.MatterFact(matter_id, title, effects[(matter_id, cadre_id)].effect.value)
        )
    teams = dict(
        TeamAssessment.objects.filter(
            unit_id__in={p[2] for p in people}, year=as_of.year - 1
        ).values_list("unit_id", "grade")
    )
    rows = []
    for pk, name, unit_id, unit_name, position, since in people:
        explanation = rules.eligibility(
            as_of=as_of,
            rank_since=since,
            grades=grades.get(pk, {}),
            warnings=[
                rules.WarningFact(w.warning_id, w.dimension, w.raised_on)
                for w in warnings.get(pk, [])
            ],
            matters=matters.get(pk, []),
            team_grade=teams.get(unit_id),
            terms=terms,
        )
        rows.append(CandidateRow(pk, name, unit_name, position, since, explanation))
    rows.sort(key=lambda r: VERDICT_ORDER[Verdict(r.explanation.verdict)])
    return rows


def verdict_label(row: CandidateRow) -> str:
    label = str(Verdict(row.explanation.verdict).label)
    if row.explanation.exceptional:
        label += _(" (years in rank waived)")
    return label


def blocking_text(row: CandidateRow) -> str:
    return pgettext("list separator", "; ").join(str(LINE_LABELS[c]) for c in row.blocking)


def export_candidates(
    user: User, *, unit: Unit, rank: int, rows: list[CandidateRow], as_of: dt.date
) -> tuple[str, bytes]:
    """The list as an .xlsx workbook; the export is audited (who, which list, how many)."""
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    sheet = book.add_worksheet(_("Candidates")[:31])
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    rank_label = str(Rank(rank).label)
    sheet.write(
        0, 0, _("Candidate list: %(unit)s, %(rank)s") % {"unit": unit.name, "rank": rank_label}
    )
    sheet.write(1, 0, _("As of %(date)s") % {"date": as_of.isoformat()})
    headers = [
        _("Name"),
        _("Unit"),
        _("Position"),
        _("In current rank since"),
        _("Full years in rank"),
        _("Annual grades"),
        _("Verdict"),
        _("Why not eligible"),
    ]
    sheet.write_row(2, 0, headers, bold)
    for number, row in enumerate(rows, start=3):
        sheet.write_row(
            number,
            0,
            [
                row.name,
                row.unit_name,
                row.position,
            ],
        )
        sheet.write_datetime(
            number, 3, dt.datetime.combine(row.rank_since, dt.time()), date_format
        )
        sheet.write_row(
            number,
            4,
            [
                row.years_in_rank,
                "，".join(f"{y}：{grade_label(g)}" for y, g in row.grades),
                verdict_label(row),
                blocking_text(row),
            ],
        )
    for column, width in enumerate((10, 24, 24, 14, 10, 36, 22, 36)):
        sheet.set_column(column, column, width)
    book.close()
    audit.record(
        "promotions.candidates.export",
        actor=user,
        obj=unit,
        after={"unit": unit.pk, "rank": rank, "count": len(rows), "as_of": as_of.isoformat()},
        authority_id=next(
            (
                a.pk
                for a in staff_authorities(user)
                if any(unit.path.startswith(r.path) for r in a.root_units.all())
            ),
            None,
        ),
    )
    filename = f"candidates-{unit.code}-{rank}-{as_of:%Y%m%d}.xlsx"
    return filename, buffer.getvalue()
