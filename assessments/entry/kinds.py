"""The entry pages, declared once per kind of evidence: which rows a user sees, the list's
columns (computed values such as 进位/退位 or "target met" included), the form that adds
and edits a row, and the workbook (imports.registry) for its Excel import and export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import User

from ..imports.unit_sheets import ranks_with_previous
from ..models import MonitoringRank, PovertyTarget, TargetAssessment, TeamAssessment
from ..permissions import (
    can_enter_monthly_reports,
    can_read_evidence,
    can_record_feedback,
    can_run_checkups,
    can_write_evidence,
    get_competition_for_user,
    get_feedback_for_user,
    get_monthly_report_for_user,
    get_unit_evidence_for_user,
    visible_checkups,
    visible_competitions,
    visible_feedback,
    visible_monthly_reports,
    visible_unit_evidence,
)
from ..rules import poverty_target_met, rank_change
from .forms_tracking import FeedbackForm, MonthlyForm
from .forms_units import CompetitionForm, PovertyForm, TargetForm, TeamForm


@dataclass(frozen=True)
class Cell:
    text: Any
    css: str = ""
    link: str = ""


@dataclass(frozen=True)
class EntryKind:
    key: str
    label: Any  # the list's title
    add_label: Any
    sheet: str  # imports.registry key
    visible: Callable[[User], QuerySet]
    may_read: Callable[[User], bool]
    may_write: Callable[[User], bool]
    headers: tuple[Any, ...]
    cells: Callable[[Any], list[Cell]]
    order: tuple[str, ...]
    related: tuple[str, ...] = ()
    year_lookup: str = "year"
    form: type | None = None  # None: added on a page of its own (add_url)
    get_for_change: Callable[..., Any] | None = None
    add_url: str = ""
    prepare: Callable[[QuerySet], QuerySet] = field(default=lambda qs: qs)

    def rows(self, user: User) -> QuerySet:
        return self.prepare(self.visible(user).select_related(*self.related))


def _unit_kind(model, **kwargs) -> dict:
    return {
        "visible": lambda user: visible_unit_evidence(user, model),
        "get_for_change": lambda user, pk: get_unit_evidence_for_user(
            user, model, pk, for_change=True
        ),
        "may_read": can_read_evidence,
        "may_write": can_write_evidence,
        "related": ("unit",),
        "order": ("-year", "unit__path"),
        **kwargs,
    }


def _graded_cells(r) -> list[Cell]:
    return [
        Cell(r.year),
        Cell(r.unit.name),
        Cell(r.get_grade_display(), "fw-semibold"),
        Cell(r.comments, "small"),
    ]


def _poverty_cells(r: PovertyTarget) -> list[Cell]:
    met = poverty_target_met(r.target, r.achieved)
    if met is None:
        shown = Cell(gettext("Result pending"), "text-muted")
    elif met:
        shown = Cell(gettext("Met"), "text-success fw-semibold")
    else:
        shown = Cell(gettext("Not met"), "text-danger fw-semibold")
    achieved = "—" if r.achieved is None else r.achieved
    return [
        Cell(r.year),
        Cell(r.unit.name),
        Cell(r.target, "text-end"),
        Cell(achieved, "text-end"),
        shown,
        Cell(r.note, "small"),
    ]


def rank_change_cell(previous: int | None, rank: int) -> Cell:
    change = rank_change(previous, rank)
    if change.direction == "new":
        return Cell(gettext("No rank last year"), "text-muted")
    if change.direction == "same":
        return Cell(gettext("Unchanged"), "text-muted")
    if change.direction == "up":
        return Cell(
            gettext("Up %(n)d places") % {"n": change.magnitude}, "text-success fw-semibold"
        )
    return Cell(gettext("Down %(n)d places") % {"n": change.magnitude}, "text-danger fw-semibold")


def _rank_cells(r: MonitoringRank) -> list[Cell]:
    return [
        Cell(r.year),
        Cell(r.get_group_display()),
        Cell(r.rank, "text-end fw-semibold"),
        Cell(r.unit.name),
        Cell("—" if r.score is None else r.score, "text-end"),
        Cell("—" if r.previous is None else r.previous, "text-end text-muted"),
        rank_change_cell(r.previous, r.rank),
    ]


def _monthly_cells(r) -> list[Cell]:
    return [
        Cell(r.month.strftime("%Y-%m")),
        Cell(r.cadre.name, link=reverse("assessments:cadre", args=[r.cadre_id])),
        Cell(r.items_done, "small pre-line"),
        Cell(r.plan_next, "small pre-line"),
        Cell(r.discussed_on or "—", "small text-nowrap"),
        Cell(r.signed_by or "—", "small"),
        Cell(r.published_on or gettext("Not published"), "small text-nowrap"),
    ]


def _checkup_cells(c) -> list[Cell]:
    open_count = c.open_warnings
    return [
        Cell(f"{c.year} Q{c.quarter}", link=reverse("assessments:checkup", args=[c.pk])),
        Cell(c.cadre.name, link=reverse("assessments:cadre", args=[c.cadre_id])),
        Cell(c.held_on, "text-nowrap"),
        Cell(c.flagged_inputs, "text-end"),
        Cell(open_count, "text-end text-danger fw-semibold" if open_count else "text-end"),
    ]


def _checkup_counts(qs):
    return qs.annotate(
        flagged_inputs=Count("inputs", filter=~Q(inputs__rating="ok"), distinct=True),
        open_warnings=Count(
            "warnings", filter=Q(warnings__resolved_on__isnull=True), distinct=True
        ),
    )


def _competition_cells(c) -> list[Cell]:
    winner = c.winner
    names = {"a": c.unit_a.name, "b": c.unit_b.name, "tie": gettext("Tie")}
    return [
        Cell(c.year),
        Cell(c.category.name),
        Cell(c.topic),
        Cell(c.unit_a.name, "fw-semibold" if winner == "a" else ""),
        Cell("—" if c.score_a is None else c.score_a, "text-end"),
        Cell(c.unit_b.name, "fw-semibold" if winner == "b" else ""),
        Cell("—" if c.score_b is None else c.score_b, "text-end"),
        Cell(names.get(winner, "—")),
    ]


def _feedback_cells(f) -> list[Cell]:
    recipient = " · ".join(
        x for x in (f.to_unit.name if f.to_unit else "", f.to_cadre.name if f.to_cadre else "") if x
    )
    return [
        Cell(f.given_on, "text-nowrap"),
        Cell(f.year),
        Cell(f.get_tier_display()),
        Cell(f.given_by),
        Cell(recipient),
        Cell(f.notes, "small"),
    ]


KINDS: dict[str, EntryKind] = {
    k.key: k
    for k in (
        EntryKind(
            key="team",
            label=_("Leadership-team grades"),
            add_label=_("Add a team grade"),
            sheet="team",
            headers=(_("Year"), _("Unit"), _("Team grade"), _("Comments")),
            cells=_graded_cells,
            form=TeamForm,
            **_unit_kind(TeamAssessment),
        ),
        EntryKind(
            key="target",
            label=_("Target-responsibility grades"),
            add_label=_("Add a target-responsibility grade"),
            sheet="target",
            headers=(_("Year"), _("Unit"), _("Grade"), _("Comments")),
            cells=_graded_cells,
            form=TargetForm,
            **_unit_kind(TargetAssessment),
        ),
        EntryKind(
            key="ranks",
            label=_("County monitoring ranks"),
            add_label=_("Enter a year's ranking"),
            sheet="ranks",
            headers=(
                _("Year"),
                _("Ranked among"),
                _("Place in the ranking"),
                _("Unit"),
                _("Score"),
                _("Last year"),
                _("Change against last year"),
            ),
            cells=_rank_cells,
            add_url="assessments:ranks-enter",
            prepare=ranks_with_previous,
            **{
                **_unit_kind(MonitoringRank),
                "order": ("-year", "group", "rank"),
                "get_for_change": None,
            },
        ),
        EntryKind(
            key="poverty",
            label=_("Poverty-alleviation targets"),
            add_label=_("Add a poverty target"),
            sheet="poverty",
            headers=(
                _("Year"),
                _("City or county"),
                _("Target"),
                _("Achieved"),
                _("Target met"),
                _("Note"),
            ),
            cells=_poverty_cells,
            form=PovertyForm,
            **_unit_kind(PovertyTarget),
        ),
        EntryKind(
            key="monthly",
            label=_("Monthly performance reports"),
            add_label=_("Add a monthly report"),
            sheet="monthly",
            visible=visible_monthly_reports,
            may_read=can_enter_monthly_reports,
            may_write=can_enter_monthly_reports,
            headers=(
                _("Month"),
                _("Cadre"),
                _("Items done"),
                _("Plan for next month"),
                _("Discussed on"),
                _("Signed off by"),
                _("Published on"),
            ),
            cells=_monthly_cells,
            order=("-month", "cadre__name"),
            related=("cadre",),
            year_lookup="month__year",
            form=MonthlyForm,
            get_for_change=lambda user, pk: get_monthly_report_for_user(user, pk, for_change=True),
        ),
        EntryKind(
            key="checkups",
            label=_("Quarterly check-ups"),
            add_label=_("Record a check-up"),
            sheet="checkups",
            visible=visible_checkups,
            may_read=can_run_checkups,
            may_write=can_run_checkups,
            headers=(
                _("Quarter"),
                _("Cadre"),
                _("Held on"),
                _("Concerns and problems"),
                _("Open warnings"),
            ),
            cells=_checkup_cells,
            order=("-year", "-quarter", "cadre__name"),
            related=("cadre",),
            add_url="assessments:checkup-add",
            prepare=_checkup_counts,
        ),
        EntryKind(
            key="competitions",
            label=_("Paired competitions"),
            add_label=_("Add a competition"),
            sheet="competitions",
            visible=visible_competitions,
            may_read=can_read_evidence,
            may_write=can_write_evidence,
            headers=(
                _("Year"),
                _("Comparison category"),
                _("Topic"),
                _("Unit A"),
                _("Score A"),
                _("Unit B"),
                _("Score B"),
                _("Ahead"),
            ),
            cells=_competition_cells,
            order=("-year", "category__name", "topic"),
            related=("category", "unit_a", "unit_b"),
            form=CompetitionForm,
            get_for_change=lambda user, pk: get_competition_for_user(user, pk, for_change=True),
        ),
        EntryKind(
            key="feedback",
            label=_("Face-to-face feedback"),
            add_label=_("Add a feedback record"),
            sheet="feedback",
            visible=visible_feedback,
            may_read=can_record_feedback,
            may_write=can_record_feedback,
            headers=(
                _("Given on"),
                _("Assessment year"),
                _("Tier"),
                _("Given by"),
                _("Given to"),
                _("Notes"),
            ),
            cells=_feedback_cells,
            order=("-given_on", "-pk"),
            related=("to_unit", "to_cadre"),
            form=FeedbackForm,
            get_for_change=lambda user, pk: get_feedback_for_user(user, pk, for_change=True),
        ),
    )
}


def add_url(kind: EntryKind) -> str:
    return (
        reverse(kind.add_url) if kind.add_url else reverse("assessments:entry-add", args=[kind.key])
    )


def allowed_once(checked: dict, predicate, user: User) -> bool:
    """Each predicate evaluated once per request (several kinds share one)."""
    if predicate not in checked:
        checked[predicate] = predicate(user)
    return checked[predicate]
