"""Unit-level evidence: team and target grades, monitoring ranks, poverty targets,
incidents. Each writer checks the actor's units, validates, writes and audits in one
transaction; problems raise ValidationError (field → message) and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.enums import AuthorityKind, UnitKind
from cadres.models import Authority, Unit
from core import audit
from core.models import User

from ..enums import CriticizedBy, IncidentKind, LeaderRole, RankGroup, Severity
from ..models import (
    Incident,
    IncidentLeader,
    MonitoringRank,
    PovertyTarget,
    TargetAssessment,
    TeamAssessment,
)
from ..permissions import evidence_writable_units, visible_cadres_for_evidence
from ..rules import incident_problems, rank_problems

TARGET_KINDS = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.URBAN_DISTRICT)
RANK_KINDS = {RankGroup.COUNTY: UnitKind.COUNTY, RankGroup.DISTRICT: UnitKind.URBAN_DISTRICT}


def unit_authority_id(unit: Unit) -> int | None:
    """The organization department covering the unit most closely (deepest root)."""
    rows = Authority.root_units.through.objects.filter(
        authority__kind=AuthorityKind.ORGANIZATION
    ).values_list("unit__path", "authority_id")
    best = sorted(
        ((path, pk) for path, pk in rows if unit.path.startswith(path)),
        key=lambda row: (-len(row[0]), row[1]),
    )
    return best[0][1] if best else None


def _require_unit(actor: User, unit: Unit) -> None:
    if not evidence_writable_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not record evidence for this unit."))


def _upsert(model, unit: Unit, year: int, values: dict, *, actor: User, action: str):
    with transaction.atomic():
        current = model.objects.select_for_update().filter(unit=unit, year=year).first()
        before = {k: getattr(current, k) for k in values} if current else None
        obj = current or model(unit=unit, year=year)
        for key, value in values.items():
            setattr(obj, key, value)
        obj.updated_at = timezone.now()
        obj.full_clean()
        obj.save()
        audit.record(
            action,
            actor=actor,
            obj=obj,
            before=before,
            after={"year": year, "unit": unit.name, **values},
            authority_id=unit_authority_id(unit),
        )
    return obj


def team_grade_set(unit: Unit, *, actor: User, year: int, grade: str, comments: str = ""):
    _require_unit(actor, unit)
    return _upsert(
        TeamAssessment,
        unit,
        year,
        {"grade": grade, "comments": comments},
        actor=actor,
        action="assessment.team.set",
    )


def is_target_unit(unit: Unit, parent: Unit | None) -> bool:
    """Cities, counties/districts, and provincial departments (a department directly under
    the province) have a target-responsibility grade."""
    if unit.kind in TARGET_KINDS:
        return True
    return (
        unit.kind == UnitKind.DEPARTMENT
        and parent is not None
        and (parent.kind == UnitKind.PROVINCE)
    )


def target_grade_set(unit: Unit, *, actor: User, year: int, grade: str, comments: str = ""):
    _require_unit(actor, unit)
    if not is_target_unit(unit, Unit.objects.get_parent(unit)):
        raise ValidationError(
            {
                "unit": _(
                    "Only cities, counties, districts and provincial departments have a "
                    "target-responsibility grade."
                )
            }
        )
    return _upsert(
        TargetAssessment,
        unit,
        year,
        {"grade": grade, "comments": comments},
        actor=actor,
        action="assessment.target.set",
    )


def poverty_set(
    unit: Unit, *, actor: User, year: int, target: int, achieved: int | None, note: str = ""
):
    _require_unit(actor, unit)
    if unit.kind not in TARGET_KINDS:
        raise ValidationError({"unit": _("Poverty targets are set for cities and counties.")})
    return _upsert(
        PovertyTarget,
        unit,
        year,
        {"target": target, "achieved": achieved, "note": note},
        actor=actor,
        action="assessment.poverty.set",
    )


def ranks_set(
    *,
    actor: User,
    year: int,
    group: str,
    ranks: dict[int, int],
    scores: dict[int, Decimal | None] | None = None,
) -> int:
    """Replace the year's ranks of a group (counties, or urban districts) in one go;
    `scores` (unit → score) is optional."""
    scores = scores or {}
    if group not in RankGroup.values:
        raise ValidationError({"group": _("Unknown group.")})
    units = {u.pk: u for u in evidence_writable_units(actor).filter(pk__in=list(ranks))}
    errors = []
    for pk in ranks:
        unit = units.get(pk)
        if unit is None:
            errors.append(_("You may not record evidence for this unit."))
        elif unit.kind != RANK_KINDS[group]:
            errors.append(
                _("%(unit)s is not ranked among %(group)s.")
                % {"unit": unit.name, "group": RankGroup(group).label}
            )
    ranked = set(
        MonitoringRank.objects.filter(year=year, group=group).values_list("unit_id", flat=True)
    )
    if ranked - set(
        evidence_writable_units(actor).filter(pk__in=ranked).values_list("pk", flat=True)
    ):
        errors.append(
            _(
                "The year's ranking of this group includes units outside your jurisdiction; "
                "only a department covering all of them may replace it."
            )
        )
    for problem in rank_problems(ranks):
        kind, _sep, values = problem.partition(":")
        if kind == "duplicate":
            errors.append(_("Ranks given twice: %(ranks)s.") % {"ranks": values})
        else:
            errors.append(_("Ranks missing: %(ranks)s.") % {"ranks": values})
    if errors:
        raise ValidationError({"rank": errors})
    with transaction.atomic():
        before = dict(
            MonitoringRank.objects.select_for_update()
            .filter(year=year, group=group)
            .values_list("unit_id", "rank")
        )
        MonitoringRank.objects.filter(year=year, group=group).delete()
        MonitoringRank.objects.bulk_create(
            MonitoringRank(unit_id=pk, year=year, group=group, rank=rank, score=scores.get(pk))
            for pk, rank in ranks.items()
        )
        authority = unit_authority_id(next(iter(units.values()))) if units else None
        audit.record(
            "assessment.ranks.set",
            actor=actor,
            before={str(k): v for k, v in before.items()},
            after={
                "year": year,
                "group": group,
                **{str(k): v for k, v in ranks.items()},
                "scores": {str(k): str(v) for k, v in scores.items() if v is not None},
            },
            authority_id=authority,
        )
    return len(ranks)


def incident_values_problems(values: dict) -> dict[str, str]:
    """Field → message for one incident's values (shared by the form and the import)."""
    problems = {}
    messages = {
        "required": _("Required for environmental events."),
        "environment_only": _("Only environmental events record this."),
        "party_building_only": _("Only Party-building violations carry a circulated criticism."),
    }
    if values.get("kind") not in IncidentKind.values:
        problems["kind"] = _("Unknown kind.")
    if values.get("severity") not in Severity.values:
        problems["severity"] = _("Unknown severity level.")
    if values.get("criticized_by", "") not in CriticizedBy.values:
        problems["criticized_by"] = _("Unknown value.")
    if not values.get("title"):
        problems["title"] = _("Fill this in.")
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, dt.date):
        problems["occurred_on"] = _("Fill this in.")
    elif occurred_on > timezone.localdate():
        problems["occurred_on"] = _("The date lies in the future.")
    if "kind" not in problems:
        for name, code in incident_problems(
            values["kind"],
            handled_in_time=values.get("handled_in_time"),
            secondary_disaster=values.get("secondary_disaster"),
            criticized_by=values.get("criticized_by", ""),
        ).items():
            problems.setdefault(name, messages[code])
    return problems


def incidents_create(
    items: Iterable[tuple[dict, list[tuple[int, str]]]], *, actor: User
) -> list[Incident]:
    """Create incidents, each (values, [(cadre id, role)]), all or none. Values must have
    passed incident_values_problems; units and leaders are checked here."""
    items = list(items)
    unit_ids = {values["unit"].pk for values, _l in items}
    writable = set(
        evidence_writable_units(actor).filter(pk__in=unit_ids).values_list("pk", flat=True)
    )
    if unit_ids - writable:
        raise PermissionDenied(_("You may not record evidence for this unit."))
    leader_ids = {cid for _v, leaders in items for cid, _r in leaders}
    known = set(
        visible_cadres_for_evidence(actor).filter(pk__in=leader_ids).values_list("pk", flat=True)
    )
    if leader_ids - known:
        raise ValidationError({"leaders": _("Unknown cadre.")})
    if any(role not in LeaderRole.values for _v, leaders in items for _c, role in leaders):
        raise ValidationError({"leaders": _("Unknown responsibility.")})
    created = []
    with transaction.atomic():
        for values, leaders in items:
            incident = Incident.objects.create(created_by=actor, **values)
            IncidentLeader.objects.bulk_create(
                IncidentLeader(incident=incident, cadre_id=cid, role=role) for cid, role in leaders
            )
            audit.record(
                "assessment.incident.create",
                actor=actor,
                obj=incident,
                after={
                    "kind": incident.kind,
                    "severity": incident.severity,
                    "occurred_on": incident.occurred_on.isoformat(),
                    "unit": incident.unit.name,
                    "leaders": [[cid, role] for cid, role in leaders],
                },
                authority_id=unit_authority_id(incident.unit),
            )
            created.append(incident)
    return created
