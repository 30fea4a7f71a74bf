"""Who may see and enter which assessment: the one place that decides it.

Cadre-level records (annual grades, monthly reports, check-ups, warnings, feedback to a
cadre) follow the cadre: cadres.permissions.visible_cadres to read, changeable_cadres to
write. So a cadre sees only their own record, a unit HR officer the cadres of their unit,
organization-department staff those of their jurisdiction.

Unit-level evidence (team and target grades, ranks, poverty targets, incidents,
competitions, and the reports) is read by authority staff and auditors under their
authorities' units, by a unit HR officer under their own unit, and by administrators;
it is written by organization-department staff under their authorities' units and by
administrators. A cadre sees no unit-level evidence.

Missing and forbidden are the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cadres.enums import AuthorityKind
from cadres.models import Cadre, Unit
from cadres.permissions import (
    changeable_cadres,
    changes_any_cadre,
    visible_cadres,
    writable_units,
)
from core.enums import Role
from core.models import User

from .models import (
    AnnualAssessment,
    CheckupWarning,
    FeedbackRecord,
    Incident,
    MonthlyReport,
    PairedCompetition,
    QuarterlyCheckup,
)

_NOTHING = Q(pk__in=[])


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def _roots(user: User, *, writing: bool) -> Q:
    """Units under the user's authorities (organization departments only when writing)."""
    roles = Role.org_department_roles() if writing else Role.authority_staff_roles()
    if not writing:
        roles = roles | {Role.AUDITOR}
    if not user.has_role(*roles):
        return _NOTHING
    authorities = user.authorities.all()
    if writing:
        authorities = authorities.filter(kind=AuthorityKind.ORGANIZATION)
    paths = Unit.objects.filter(authorities__in=authorities).values_list("path", flat=True)
    q = _NOTHING
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def _own_unit(user: User) -> Q:
    if not user.has_role(Role.UNIT_HR) or user.unit_id is None:
        return _NOTHING
    return Q(path__startswith=user.unit.path)


# ---------------------------------------------------------------- annual grades


def visible_assessments(user: User) -> QuerySet[AnnualAssessment]:
    """Grades of the cadres the user may see (a cadre: only their own)."""
    return AnnualAssessment.objects.filter(cadre__in=visible_cadres(user).values("pk"))


def gradable_units(user: User) -> QuerySet[Unit]:
    """Units whose grades the user may enter: their organization department's units, or
    for a unit HR officer their own unit (and the units below it)."""
    if not _active(user):
        return Unit.objects.none()
    if not (user.is_administrator or user.has_role(*Role.org_department_roles(), Role.UNIT_HR)):
        return Unit.objects.none()
    return writable_units(user)


def get_unit_for_grading(user: User, pk: int) -> Unit:
    unit = gradable_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404("No such unit")
    return unit


def gradable_cadres(user: User) -> QuerySet[Cadre]:
    """Cadres whose grade the user may set (inside a gradable unit)."""
    if not gradable_units(user).exists():
        return Cadre.objects.none()
    return changeable_cadres(user)


def get_cadre_record_for_user(user: User, pk: int) -> Cadre:
    """A cadre whose grades and tracking the user may read; otherwise 404."""
    cadre = visible_cadres(user).select_related("unit").filter(pk=pk).first()
    if cadre is None:
        raise Http404("No such cadre")
    return cadre


# ---------------------------------------------------------------- unit-level evidence


def evidence_units(user: User) -> QuerySet[Unit]:
    """Units whose unit-level evidence and reports the user may read."""
    if not _active(user):
        return Unit.objects.none()
    if user.is_administrator:
        return Unit.objects.all()
    q = _roots(user, writing=False) | _own_unit(user)
    if q == _NOTHING:
        return Unit.objects.none()
    return Unit.objects.filter(q)


def can_read_evidence(user: User) -> bool:
    return evidence_units(user).exists()


def evidence_writable_units(user: User) -> QuerySet[Unit]:
    """Units for which the user may record unit-level evidence."""
    if not _active(user):
        return Unit.objects.none()
    if user.is_administrator:
        return Unit.objects.all()
    q = _roots(user, writing=True)
    if q == _NOTHING:
        return Unit.objects.none()
    return Unit.objects.filter(q)


def can_write_evidence(user: User) -> bool:
    return evidence_writable_units(user).exists()


def visible_incidents(user: User) -> QuerySet[Incident]:
    return Incident.objects.filter(unit__in=evidence_units(user).values("pk"))


def get_incident_for_user(user: User, pk: int) -> Incident:
    incident = visible_incidents(user).select_related("unit").filter(pk=pk).first()
    if incident is None:
        raise Http404("No such incident")
    return incident


# ---------------------------------------------------------------- tracking


def can_run_checkups(user: User) -> bool:
    """Quarterly check-ups and their warnings are the organization department's."""
    if not _active(user):
        return False
    return user.is_administrator or (
        user.has_role(*Role.org_department_roles()) and evidence_writable_units(user).exists()
    )


def checkup_cadres(user: User) -> QuerySet[Cadre]:
    if not can_run_checkups(user):
        return Cadre.objects.none()
    return changeable_cadres(user)


def visible_cadres_for_evidence(user: User) -> QuerySet[Cadre]:
    """Cadres who may be named in unit-level evidence (leaders of an incident, ...)."""
    if not can_write_evidence(user):
        return Cadre.objects.none()
    return visible_cadres(user)


# ---------------------------------------------------------------- entry pages
# One helper per object type; `for_change` narrows to what the user may write. Missing and
# forbidden are the same 404.


def visible_unit_evidence(user: User, model) -> QuerySet:
    """Rows of a unit-year evidence model (team, target, rank, poverty) the user may read."""
    return model.objects.filter(unit__in=evidence_units(user).values("pk"))


def get_unit_evidence_for_user(user: User, model, pk: int, *, for_change: bool = False):
    units = evidence_writable_units(user) if for_change else evidence_units(user)
    obj = model.objects.select_related("unit").filter(pk=pk, unit__in=units.values("pk")).first()
    if obj is None:
        raise Http404("No such record")
    return obj


def visible_monthly_reports(user: User) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(cadre__in=visible_cadres(user).values("pk"))


def can_enter_monthly_reports(user: User) -> bool:
    """Unit HR officers and organization-department staff enter them for their cadres."""
    if not _active(user):
        return False
    if not (user.is_administrator or user.has_role(*Role.org_department_roles(), Role.UNIT_HR)):
        return False
    return changes_any_cadre(user)


def monthly_report_cadres(user: User) -> QuerySet[Cadre]:
    if not can_enter_monthly_reports(user):
        return Cadre.objects.none()
    return changeable_cadres(user)


def get_monthly_report_for_user(user: User, pk: int, *, for_change: bool = False) -> MonthlyReport:
    scope = monthly_report_cadres(user) if for_change else visible_cadres(user)
    report = (
        MonthlyReport.objects.select_related("cadre", "cadre__unit")
        .filter(pk=pk, cadre__in=scope.values("pk"))
        .first()
    )
    if report is None:
        raise Http404("No such report")
    return report


def visible_checkups(user: User) -> QuerySet[QuarterlyCheckup]:
    return QuarterlyCheckup.objects.filter(cadre__in=visible_cadres(user).values("pk"))


def get_checkup_for_user(user: User, pk: int) -> QuarterlyCheckup:
    checkup = visible_checkups(user).select_related("cadre", "cadre__unit").filter(pk=pk).first()
    if checkup is None:
        raise Http404("No such check-up")
    return checkup


def visible_warnings(user: User) -> QuerySet[CheckupWarning]:
    return CheckupWarning.objects.filter(cadre__in=visible_cadres(user).values("pk"))


def get_warning_for_user(user: User, pk: int, *, for_change: bool = False) -> CheckupWarning:
    scope = checkup_cadres(user) if for_change else visible_cadres(user)
    warning = (
        CheckupWarning.objects.select_related("cadre")
        .filter(pk=pk, cadre__in=scope.values("pk"))
        .first()
    )
    if warning is None:
        raise Http404("No such warning")
    return warning


def visible_competitions(user: User) -> QuerySet[PairedCompetition]:
    units = evidence_units(user).values("pk")
    return PairedCompetition.objects.filter(Q(unit_a__in=units) | Q(unit_b__in=units))


def get_competition_for_user(user: User, pk: int, *, for_change: bool = False) -> PairedCompetition:
    if for_change:
        units = evidence_writable_units(user).values("pk")
        scope = Q(unit_a__in=units) & Q(unit_b__in=units)
    else:
        units = evidence_units(user).values("pk")
        scope = Q(unit_a__in=units) | Q(unit_b__in=units)
    competition = (
        PairedCompetition.objects.select_related("unit_a", "unit_b", "category")
        .filter(scope, pk=pk)
        .first()
    )
    if competition is None:
        raise Http404("No such competition")
    return competition


def visible_feedback(user: User) -> QuerySet[FeedbackRecord]:
    return FeedbackRecord.objects.filter(
        Q(to_cadre__in=visible_cadres(user).values("pk"))
        | Q(to_unit__in=evidence_units(user).values("pk"))
    )


def can_record_feedback(user: User) -> bool:
    return can_write_evidence(user) or can_enter_monthly_reports(user)


def feedback_cadres(user: User) -> QuerySet[Cadre]:
    if not can_record_feedback(user):
        return Cadre.objects.none()
    return changeable_cadres(user)


def get_feedback_for_user(user: User, pk: int, *, for_change: bool = False) -> FeedbackRecord:
    if for_change:
        scope = Q(to_cadre__in=feedback_cadres(user).values("pk"), to_unit__isnull=True) | Q(
            to_unit__in=evidence_writable_units(user).values("pk"),
            to_cadre__isnull=True,
        )
        scope |= Q(
            to_cadre__in=feedback_cadres(user).values("pk"),
            to_unit__in=evidence_writable_units(user).values("pk"),
        )
        records = FeedbackRecord.objects.filter(scope)
    else:
        records = visible_feedback(user)
    record = records.select_related("to_unit", "to_cadre").filter(pk=pk).first()
    if record is None:
        raise Http404("No such feedback record")
    return record
