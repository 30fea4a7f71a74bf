"""Guanyun tracking (monthly reports, quarterly check-ups and their warnings, paired
competitions) and face-to-face feedback. Each writer audits in its transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre, ComparisonCategory, Unit
from cadres.permissions import changeable_cadres, covering_authority_id
from core import audit
from core.models import User

from ..models import (
    CheckupInput,
    CheckupWarning,
    FeedbackRecord,
    MonthlyReport,
    PairedCompetition,
    QuarterlyCheckup,
)
from ..permissions import checkup_cadres, evidence_writable_units
from ..policies import unit_detection_policy
from ..rules import CheckupInput as Input
from ..rules import CheckupPolicy, DimensionFinding, reverse_checkup_list
from .evidence import unit_authority_id


def monthly_report_save(cadre: Cadre, *, actor: User, month: dt.date, **values) -> MonthlyReport:
    if not changeable_cadres(actor).filter(pk=cadre.pk).exists():
        raise PermissionDenied(_("You may not change this cadre."))
    month = month.replace(day=1)
    with transaction.atomic():
        report = MonthlyReport.objects.filter(cadre=cadre, month=month).first()
        before = {k: str(getattr(report, k)) for k in values} if report else None
        report = report or MonthlyReport(cadre=cadre, month=month)
        for key, value in values.items():
            setattr(report, key, value)
        report.updated_at = timezone.now()
        report.full_clean()
        report.save()
        audit.record(
            "assessment.monthly.save",
            actor=actor,
            obj=report,
            before=before,
            after={"month": month.isoformat(), **{k: str(v) for k, v in values.items()}},
            authority_id=covering_authority_id(cadre),
        )
    return report


def checkup_policy_in_force(year: int, unit=None) -> CheckupPolicy:
    thresholds = unit_detection_policy(unit, year)
    if thresholds is None:
        raise ValidationError(
            {
                "year": _(
                    "No check-up warning thresholds are in force for %(year)d; an "
                    "administrator must enter them."
                )
                % {"year": year}
            }
        )
    return thresholds.checkup()


def checkup_record(
    cadre: Cadre,
    *,
    actor: User,
    year: int,
    quarter: int,
    held_on: dt.date,
    inputs: list[Input],
    policy: CheckupPolicy | None = None,
) -> tuple[QuarterlyCheckup, list[DimensionFinding], list[CheckupWarning]]:
    """Record a quarterly check-up; each dimension the policy warns on opens a warning.
    The policy is the one in force for the check-up's year unless given."""
    if not checkup_cadres(actor).filter(pk=cadre.pk).exists():
        raise PermissionDenied(_("You may not run check-ups for this cadre."))
    if QuarterlyCheckup.objects.filter(cadre=cadre, year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("This quarter's check-up is already recorded.")})
    if policy is None:
        policy = checkup_policy_in_force(year, cadre.unit)
    findings = reverse_checkup_list(inputs, policy)
    with transaction.atomic():
        checkup = QuarterlyCheckup(
            cadre=cadre, year=year, quarter=quarter, held_on=held_on, created_by=actor
        )
        checkup.full_clean()
        checkup.save()
        CheckupInput.objects.bulk_create(
            CheckupInput(
                checkup=checkup,
                source=i.source,
                dimension=i.dimension,
                rating=i.rating,
                note=i.note,
            )
            for i in inputs
        )
        warnings = [
            CheckupWarning(
                cadre=cadre,
                checkup=checkup,
                dimension=f.dimension,
                raised_on=held_on,
                reason="；".join(i.note for i in (*f.problems, *f.concerns) if i.note),
            )
            for f in findings
            if f.warning
        ]
        CheckupWarning.objects.bulk_create(warnings)
        audit.record(
            "assessment.checkup.record",
            actor=actor,
            obj=checkup,
            after={
                "year": year,
                "quarter": quarter,
                "findings": [f.dimension for f in findings],
                "warnings": [w.dimension for w in warnings],
            },
            authority_id=covering_authority_id(cadre),
        )
    return checkup, findings, warnings


def warning_resolve(
    warning: CheckupWarning, *, actor: User, resolved_on: dt.date, resolution: str
) -> CheckupWarning:
    if not checkup_cadres(actor).filter(pk=warning.cadre_id).exists():
        raise PermissionDenied(_("You may not run check-ups for this cadre."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the warning was resolved.")})
    with transaction.atomic():
        warning = CheckupWarning.objects.select_for_update().get(pk=warning.pk)
        if warning.resolved_on is not None:
            raise ValidationError({"resolved_on": _("This warning is already resolved.")})
        warning.resolved_on, warning.resolution, warning.resolved_by = (
            resolved_on,
            resolution,
            actor,
        )
        warning.save(update_fields=["resolved_on", "resolution", "resolved_by"])
        audit.record(
            "assessment.warning.resolve",
            actor=actor,
            obj=warning,
            after={"resolved_on": resolved_on.isoformat(), "resolution": resolution},
            authority_id=covering_authority_id(warning.cadre),
        )
    return warning


def _competition_checks(actor: User, category, unit_a: Unit, unit_b: Unit) -> None:
    writable = evidence_writable_units(actor)
    if writable.filter(pk__in=[unit_a.pk, unit_b.pk]).count() != 2:
        raise PermissionDenied(_("You may not record evidence for this unit."))
    if unit_a.category_id != category.pk or unit_b.category_id != category.pk:
        raise ValidationError(
            {
                "unit_b": _("Both units must belong to the comparison category %(category)s.")
                % {"category": category.name}
            }
        )


def _score(value) -> str:
    return "None" if value is None else f"{Decimal(value):.2f}"


def _competition_values(c: PairedCompetition) -> dict:
    return {
        "year": c.year,
        "topic": c.topic,
        "a": c.unit_a.name,
        "b": c.unit_b.name,
        "score_a": _score(c.score_a),
        "score_b": _score(c.score_b),
        "note": c.note,
    }


def competition_record(
    *,
    actor: User,
    category: ComparisonCategory,
    year: int,
    topic: str,
    unit_a: Unit,
    unit_b: Unit,
    score_a: Decimal | None = None,
    score_b: Decimal | None = None,
    note: str = "",
) -> PairedCompetition:
    _competition_checks(actor, category, unit_a, unit_b)
    with transaction.atomic():
        competition = PairedCompetition(
            category=category,
            year=year,
            topic=topic,
            unit_a=unit_a,
            unit_b=unit_b,
            score_a=score_a,
            score_b=score_b,
            note=note,
        )
        competition.full_clean()
        competition.save()
        audit.record(
            "assessment.competition.record",
            actor=actor,
            obj=competition,
            after=_competition_values(competition),
            authority_id=unit_authority_id(unit_a),
        )
    return competition


def competition_update(
    competition: PairedCompetition, *, actor: User, **values
) -> PairedCompetition:
    """Change a competition (typically its scores once known); same checks as recording."""
    with transaction.atomic():
        competition = (
            PairedCompetition.objects.select_for_update(of=("self",))
            .select_related("unit_a", "unit_b", "category")
            .get(pk=competition.pk)
        )
        before = _competition_values(competition)
        for key, value in values.items():
            setattr(competition, key, value)
        _competition_checks(actor, competition.category, competition.unit_a, competition.unit_b)
        competition.full_clean()
        competition.save()
        before, after = audit.diff(before, _competition_values(competition))
        audit.record(
            "assessment.competition.update",
            actor=actor,
            obj=competition,
            before=before,
            after=after,
            authority_id=unit_authority_id(competition.unit_a),
        )
    return competition


def _feedback_checks(actor: User, to_unit: Unit | None, to_cadre: Cadre | None) -> None:
    if to_cadre is not None and not changeable_cadres(actor).filter(pk=to_cadre.pk).exists():
        raise PermissionDenied(_("You may not change this cadre."))
    if to_unit is not None and not evidence_writable_units(actor).filter(pk=to_unit.pk).exists():
        raise PermissionDenied(_("You may not record evidence for this unit."))


def _feedback_values(r: FeedbackRecord) -> dict:
    return {
        "year": r.year,
        "tier": r.tier,
        "given_by": r.given_by,
        "given_on": r.given_on.isoformat(),
        "to_unit": r.to_unit_id,
        "to_cadre": r.to_cadre_id,
        "notes": r.notes,
    }


def _feedback_authority(r: FeedbackRecord) -> int | None:
    return covering_authority_id(r.to_cadre) if r.to_cadre else unit_authority_id(r.to_unit)


def feedback_record(
    *,
    actor: User,
    year: int,
    tier: str,
    given_by: str,
    given_on: dt.date,
    to_unit: Unit | None = None,
    to_cadre: Cadre | None = None,
    notes: str = "",
) -> FeedbackRecord:
    _feedback_checks(actor, to_unit, to_cadre)
    with transaction.atomic():
        record = FeedbackRecord(
            year=year,
            tier=tier,
            given_by=given_by,
            given_on=given_on,
            to_unit=to_unit,
            to_cadre=to_cadre,
            notes=notes,
            created_by=actor,
        )
        record.full_clean()
        record.save()
        audit.record(
            "assessment.feedback.record",
            actor=actor,
            obj=record,
            after=_feedback_values(record),
            authority_id=_feedback_authority(record),
        )
    return record


def feedback_update(record: FeedbackRecord, *, actor: User, **values) -> FeedbackRecord:
    """Correct a feedback record; the actor must be allowed to record it before and after."""
    with transaction.atomic():
        record = (
            FeedbackRecord.objects.select_for_update(of=("self",))
            .select_related("to_unit", "to_cadre")
            .get(pk=record.pk)
        )
        _feedback_checks(actor, record.to_unit, record.to_cadre)
        before = _feedback_values(record)
        for key, value in values.items():
            setattr(record, key, value)
        _feedback_checks(actor, record.to_unit, record.to_cadre)
        record.full_clean()
        record.save()
        before, after = audit.diff(before, _feedback_values(record))
        audit.record(
            "assessment.feedback.update",
            actor=actor,
            obj=record,
            before=before,
            after=after,
            authority_id=_feedback_authority(record),
        )
    return record
