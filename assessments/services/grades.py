"""Entering one unit's annual grades for a year: all of them, or none.

`unit_grades_enter` is the only function that writes AnnualAssessment rows (the grid form
and the Excel import both call it). It refuses the whole set, with every problem, when
one grade may not be written: a cadre outside the user's reach or assessed elsewhere that
year, an unknown grade, more excellent grades than the unit's quota allows, or a grade
below competent without a reason in a year whose accountability matter was exempted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cadres.models import Cadre, Unit
from cadres.permissions import covering_authority_ids
from core import audit
from core.models import User

from ..enums import Grade, Rounding
from ..exemptions import Exemption, exemptions_in_year
from ..models import AnnualAssessment
from ..permissions import gradable_cadres
from ..policies import NO_POLICY, unit_policy
from ..pooling import PoolCheck
from ..pools import unit_pool
from ..rules import QuotaCheck, check_quota, needs_exemption_reason

MAX_COMMENT = 2000


@dataclass(frozen=True)
class GradeInput:
    cadre_id: int
    grade: str  # "" removes the cadre's grade for the year
    comments: str = ""
    exemption_reason: str = ""
    row: int = 0  # Excel row, for import reports


@dataclass(frozen=True)
class GradeProblem:
    cadre_id: int | None
    field: str  # "grade", "comments", "exemption_reason", "cadre" or "" (the whole set)
    message: str
    row: int = 0


class GradesRefused(Exception):
    def __init__(self, problems: list[GradeProblem]):
        super().__init__(problems[0].message if problems else "refused")
        self.problems = problems


@dataclass
class GradesSaved:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    quota: QuotaCheck | None = None
    records: list[AnnualAssessment] = field(default_factory=list)


def quota_message(unit: Unit, year: int, check: QuotaCheck) -> str:
    quota = check.quota
    return _(
        "Refused: the excellent quota of %(unit)s for %(year)d is %(allowed)d "
        "(%(share)s%% of %(participants)d graded cadres, %(rounding)s); the grades entered "
        "hold %(count)d excellent, %(excess)d too many."
    ) % {
        "unit": unit.name,
        "year": year,
        "allowed": quota.allowed,
        "share": number_format(quota.share * 100, decimal_pos=1),
        "participants": quota.participants,
        "rounding": Rounding(quota.rounding).label,
        "count": check.excellent,
        "excess": check.excess,
    }


def pool_message(unit: Unit, year: int, pool: PoolCheck) -> str:
    quota = pool.quota
    return _(
        "Refused: %(unit)s shares the pooled excellent quota of %(pool)s (合并计算, %(size)d "
        "small units, %(participants)d graded cadres) for %(year)d: %(allowed)d places "
        "(%(share)s%%, %(rounding)s); with these grades the pool holds %(count)d excellent, "
        "%(excess)d too many."
    ) % {
        "unit": unit.name,
        "pool": pool.name,
        "size": pool.size,
        "participants": quota.participants,
        "year": year,
        "allowed": quota.allowed,
        "share": number_format(quota.share * 100, decimal_pos=1),
        "rounding": Rounding(quota.rounding).label,
        "count": pool.excellent,
        "excess": pool.excess,
    }


def exemption_message(year: int, exemptions: list[Exemption]) -> str:
    return _(
        "In %(year)d an accountability matter of this cadre was exempted (%(matters)s): "
        "a grade below competent needs a reason."
    ) % {"year": year, "matters": "；".join(e.title for e in exemptions)}


def unit_grades_enter(
    unit: Unit, *, actor: User, year: int, entries: Iterable[GradeInput]
) -> GradesSaved:
    """Write the grades of `entries` for `unit` and `year` in one transaction.

    Raises GradesRefused with every problem found; nothing is written then.
    """
    entries = list(entries)
    now = timezone.now()
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one writer per unit
        problems, changes, existing = _check(unit, actor=actor, year=year, entries=entries)
        final = {cadre: record.grade for cadre, record in existing.items()}
        for entry in entries:
            if entry.grade:
                final[entry.cadre_id] = entry.grade
            else:
                final.pop(entry.cadre_id, None)
        policy = unit_policy(unit, year)
        check = check_quota(final.values(), policy.terms() if policy else NO_POLICY)
        pool = unit_pool(
            unit, year, policy, graded=check.quota.participants, excellent=check.excellent,
            lock=True,
        )
        if pool is not None:
            if not pool.within:
                problems.append(GradeProblem(None, "", pool_message(unit, year, pool)))
        elif not check.within:
            problems.append(GradeProblem(None, "", quota_message(unit, year, check)))
        if problems:
            raise GradesRefused(problems)
        return _write(
            unit, actor=actor, year=year, changes=changes, existing=existing, check=check, now=now
        )


def _check(unit: Unit, *, actor: User, year: int, entries: list[GradeInput]):
    problems: list[GradeProblem] = []
    ids = [e.cadre_id for e in entries]
    seen: set[int] = set()
    for entry in entries:
        if entry.cadre_id in seen:
            problems.append(
                GradeProblem(entry.cadre_id, "cadre", _("This cadre appears twice."), entry.row)
            )
        seen.add(entry.cadre_id)
    allowed = dict(gradable_cadres(actor).filter(pk__in=ids).values_list("pk", "unit_id"))
    existing = {
        r.cadre_id: r
        for r in AnnualAssessment.objects.select_for_update().filter(unit=unit, year=year)
    }
    elsewhere = dict(
        AnnualAssessment.objects.filter(cadre_id__in=ids, year=year)
        .exclude(unit=unit)
        .values_list("cadre_id", "unit__name")
    )
    lowered = [e.cadre_id for e in entries if e.grade in Grade.below_competent()]
    exemptions = exemptions_in_year(lowered, year)
    changes: list[GradeInput] = []
    for entry in entries:
        cid = entry.cadre_id
        problem = _entry_problem(entry, unit, year, allowed, existing, elsewhere, exemptions)
        if problem is not None:
            problems.append(problem)
            continue
        current = existing.get(cid)
        if current is None and not entry.grade:
            continue
        if current is not None and (
            current.grade,
            current.comments,
            current.exemption_reason,
        ) == (entry.grade, entry.comments, entry.exemption_reason):
            continue
        changes.append(entry)
    return problems, changes, existing


def _entry_problem(entry, unit, year, allowed, existing, elsewhere, exemptions):
    cid = entry.cadre_id
    if cid not in allowed:
        return GradeProblem(cid, "cadre", _("You may not grade this cadre."), entry.row)
    if cid in elsewhere:
        return GradeProblem(
            cid,
            "cadre",
            _("This cadre already has a grade for %(year)d in %(unit)s.")
            % {"year": year, "unit": elsewhere[cid]},
            entry.row,
        )
    if allowed[cid] != unit.pk and cid not in existing:
        return GradeProblem(cid, "cadre", _("This cadre is not in this unit."), entry.row)
    if entry.grade and entry.grade not in Grade.values:
        return GradeProblem(cid, "grade", _("Unknown grade."), entry.row)
    if len(entry.comments) > MAX_COMMENT or len(entry.exemption_reason) > MAX_COMMENT:
        return GradeProblem(
            cid,
            "comments",
            _("Too long: at most %(max)d characters.") % {"max": MAX_COMMENT},
            entry.row,
        )
    found = exemptions.get(cid, [])
    if needs_exemption_reason(entry.grade, len(found)) and not entry.exemption_reason.strip():
        return GradeProblem(cid, "exemption_reason", exemption_message(year, found), entry.row)
    return None


def _snapshot(record: AnnualAssessment | None) -> dict | None:
    if record is None:
        return None
    return {
        "year": record.year,
        "unit": record.unit_id,
        "grade": record.grade,
        "comments": record.comments,
        "exemption_reason": record.exemption_reason,
    }


def _write(unit, *, actor, year, changes, existing, check, now) -> GradesSaved:
    saved = GradesSaved(quota=check)
    created, updated, deleted, entries = [], [], [], []
    for change in changes:
        current = existing.get(change.cadre_id)
        before = _snapshot(current)
        if not change.grade:
            deleted.append(current)
            entries.append((current, before, None))
            continue
        record = current or AnnualAssessment(cadre_id=change.cadre_id, year=year, unit=unit)
        record.grade = change.grade
        record.comments = change.comments
        record.exemption_reason = (
            change.exemption_reason if change.grade in Grade.below_competent() else ""
        )
        record.entered_by = actor
        record.updated_at = now
        (updated if current else created).append(record)
        entries.append((record, before, None))
    AnnualAssessment.objects.bulk_create(created)
    if any(r.pk is None for r in created):  # backends without RETURNING on bulk insert
        pks = dict(
            AnnualAssessment.objects.filter(
                unit=unit, year=year, cadre_id__in=[r.cadre_id for r in created]
            ).values_list("cadre_id", "pk")
        )
        for r in created:
            r.pk = pks[r.cadre_id]
    AnnualAssessment.objects.bulk_update(
        updated, ["grade", "comments", "exemption_reason", "entered_by", "updated_at"]
    )
    deleted_pks = [r.pk for r in deleted]
    entries = [
        (obj, before, _snapshot(obj) if obj not in deleted else None)
        for obj, before, _after in entries
    ]
    placement = {
        pk: (path, level)
        for pk, path, level in Cadre.objects.filter(
            pk__in=[obj.cadre_id for obj, _b, _a in entries]
        ).values_list("pk", "unit__path", "management_level")
    }
    covering = covering_authority_ids(placement.values())
    if entries:
        audit.record_many(
            "assessment.grade.set",
            actor=actor,
            entries=entries,
            authority_ids=[covering[placement[obj.cadre_id]] for obj, _b, _a in entries],
        )
    AnnualAssessment.objects.filter(pk__in=deleted_pks).delete()
    saved.created, saved.updated, saved.deleted = len(created), len(updated), len(deleted)
    saved.unchanged = len(existing) - len(updated) - len(deleted)
    saved.records = created + updated
    return saved
