"""The grade sheet of one unit and year: who is on the grid, their grades, the quota."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from cadres.enums import CadreStatus
from cadres.models import Cadre, Unit
from core.models import User

from .enums import Grade
from .exemptions import Exemption, exemptions_in_year
from .models import AnnualAssessment, QuotaPolicy
from .permissions import gradable_cadres
from .policies import NO_POLICY, unit_policy
from .pooling import PoolCheck
from .pools import unit_pool
from .rules import QuotaCheck, QuotaTerms, check_quota

ON_ROLL = (CadreStatus.SERVING, CadreStatus.SUSPENDED)


@dataclass
class SheetRow:
    cadre: Cadre
    record: AnnualAssessment | None
    exemptions: list[Exemption] = field(default_factory=list)

    @property
    def grade(self) -> str:
        return self.record.grade if self.record else ""


@dataclass
class GradeSheet:
    unit: Unit
    year: int
    rows: list[SheetRow]
    others: Counter  # grades of this unit-year held by cadres not on the sheet
    policy: QuotaPolicy | None
    terms: QuotaTerms

    def check(self) -> QuotaCheck:
        grades = [r.grade for r in self.rows if r.grade] + list(self.others.elements())
        return check_quota(grades, self.terms)

    @cached_property
    def pool(self) -> PoolCheck | None:
        """The pool this unit shares its quota with this year (合并计算), if any."""
        check = self.check()
        return unit_pool(
            self.unit, self.year, self.policy,
            graded=check.quota.participants, excellent=check.excellent,
        )


def sheet_cadres(user: User, unit: Unit, year: int):
    """Cadres the user may grade for this unit and year: those on the unit's roll now and
    those already graded in it for the year, less anyone graded elsewhere that year."""
    graded_elsewhere = AnnualAssessment.objects.filter(year=year).exclude(unit=unit)
    return (
        gradable_cadres(user)
        .filter(
            Q(unit=unit, status__in=ON_ROLL)
            | Q(pk__in=AnnualAssessment.objects.filter(unit=unit, year=year).values("cadre_id"))
        )
        .exclude(pk__in=graded_elsewhere.values("cadre_id"))
        .order_by("-rank", "name", "pk")
    )


def grade_sheet(user: User, unit: Unit, year: int) -> GradeSheet:
    """Four queries, or five when someone is on the sheet (exemptions ask tolerance)."""
    cadres = list(sheet_cadres(user, unit, year))
    records = {r.cadre_id: r for r in AnnualAssessment.objects.filter(unit=unit, year=year)}
    on_sheet = {c.pk for c in cadres}
    others = Counter(r.grade for cid, r in records.items() if cid not in on_sheet)
    exemptions = exemptions_in_year(on_sheet, year)
    policy = unit_policy(unit, year)
    return GradeSheet(
        unit=unit,
        year=year,
        rows=[SheetRow(c, records.get(c.pk), exemptions.get(c.pk, [])) for c in cadres],
        others=others,
        policy=policy,
        terms=policy.terms() if policy is not None else NO_POLICY,
    )


GRADE_CHOICES = [("", "—")] + [(g.value, g.label) for g in Grade]
