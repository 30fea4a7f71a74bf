"""Every workbook the assessments app reads and writes, by key (the import page's kinds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.models import User
from core.sheets.rows import RowError

from ..permissions import can_read_evidence, can_write_evidence, gradable_units
from . import grades, incidents
from .engine import SheetSpec
from .tracking_sheets import CHECKUPS, COMPETITIONS, FEEDBACK, MONTHLY
from .unit_sheets import POVERTY, RANKS, TARGET, TEAM


@dataclass(frozen=True)
class CustomSheet:
    """The two workbooks with importers of their own (grades check quotas per unit-year,
    incidents name several leaders per row); same interface as SheetSpec."""

    key: str
    label: Any
    may_read: Callable[[User], bool]
    may_write: Callable[[User], bool]
    importer: Callable[..., tuple[int, list[RowError]]]
    exporter: Callable[[User, int | None], bytes]
    template: Callable[[], bytes]

    def import_(self, data: bytes, *, actor: User) -> tuple[int, list[RowError]]:
        return self.importer(data, actor=actor)

    def export(self, user: User, *, year: int | None) -> bytes:
        return self.exporter(user, year)


GRADES = CustomSheet(
    "grades",
    _("Annual grades"),
    may_read=lambda user: user.is_authenticated,
    may_write=lambda user: gradable_units(user).exists(),
    importer=grades.grades_import,
    exporter=lambda user, year: grades.grades_export(user, year=year, unit=None),
    template=grades.grades_template,
)
INCIDENTS = CustomSheet(
    "incidents",
    _("Incidents"),
    may_read=can_read_evidence,
    may_write=can_write_evidence,
    importer=incidents.incidents_import,
    exporter=lambda user, year: incidents.incidents_export(user, year=year),
    template=incidents.incidents_template,
)

SHEETS: dict[str, CustomSheet | SheetSpec] = {
    s.key: s
    for s in (
        GRADES,
        INCIDENTS,
        TEAM,
        TARGET,
        RANKS,
        POVERTY,
        MONTHLY,
        CHECKUPS,
        COMPETITIONS,
        FEEDBACK,
    )
}
