"""Investigation: assigning the investigator, recording findings, notes and statements."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.enums import Role
from core.models import User

from . import predicates as P
from .enums import CaseState, ConditionStatus, DistinctionSide, ExclusionStatus, Severity
from .errors import CaseError
from .models import Case, CaseCadre, CaseNote
from .models.case import NoteKind
from .workflow import case_transition

FINDING_FIELDS = (
    "distinctions",
    "conditions",
    "exclusions",
    "situations",
    "remedy_taken",
    "risk_filed",
    "severity",
    "findings_note",
    "not_same_error_reason",
)


def case_start_investigation(case: Case, *, actor: User, investigator: User) -> Case:
    """Assign an investigator of the case's authority and start the investigation."""
    if not (
        investigator.is_active
        and investigator.has_role(Role.INVESTIGATOR)
        and case.authority_id in investigator.authority_ids
    ):
        raise CaseError(_("The investigator must be an investigator of this authority."))
    return case_transition(
        case, actor=actor, action="start_investigation", changes={"investigator": investigator}
    )


def clean_findings(values: dict, policy) -> dict:
    """Validated finding values for one cadre; raises CaseError naming the first problem."""
    checks = (
        ("distinctions", {d.code for d in policy.distinctions}, DistinctionSide.values),
        ("conditions", {c.code for c in policy.conditions}, ConditionStatus.values),
        ("exclusions", {x.code for x in policy.exclusions}, ExclusionStatus.values),
    )
    cleaned = {}
    for name, codes, allowed in checks:
        mapping = dict(values.get(name) or {})
        for code, status in mapping.items():
            if code not in codes or status not in allowed:
                raise CaseError(
                    _("Unknown finding %(code)s = %(status)s.")
                    % {
                        "code": code,
                        "status": status,
                    }
                )
        cleaned[name] = mapping
    situations = values.get("situations")
    if situations is not None:
        known = {s.code for s in policy.situations}
        situations = sorted(set(situations))
        if not set(situations) <= known:
            raise CaseError(_("Unknown tolerance situation."))
    cleaned["situations"] = situations
    severity = values.get("severity") or ""
    if severity and severity not in Severity.values:
        raise CaseError(_("Unknown severity."))
    cleaned["severity"] = severity
    remedy = values.get("remedy_taken")
    cleaned["remedy_taken"] = None if remedy is None else bool(remedy)
    cleaned["risk_filed"] = bool(values.get("risk_filed"))
    cleaned["findings_note"] = str(values.get("findings_note") or "")
    cleaned["not_same_error_reason"] = str(values.get("not_same_error_reason") or "").strip()
    return cleaned


def entry_record_findings(entry: CaseCadre, *, actor: User, **values) -> CaseCadre:
    """Record the investigation's findings on one cadre (investigator, during investigation)."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=entry.case_id)
        if case.state != CaseState.INVESTIGATING or not P.can_investigate(case, actor):
            raise CaseError(
                _("Findings can only be recorded by the investigator during the investigation.")
            )
        entry = CaseCadre.objects.select_for_update().get(pk=entry.pk)
        cleaned = clean_findings(values, case.policy_version.policy)
        before = {name: getattr(entry, name) for name in FINDING_FIELDS}
        for name, value in cleaned.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(FINDING_FIELDS))
        old, new = audit.diff(before, cleaned)
        audit.record(
            "tolerance.findings.record",
            actor=actor,
            obj=case,
            before={"entry": entry.pk, **old},
            after={"entry": entry.pk, **new},
            authority_id=case.authority_id,
        )
    return entry


def case_update_report(case: Case, *, actor: User, report: str) -> Case:
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if case.state != CaseState.INVESTIGATING or not P.can_investigate(case, actor):
            raise CaseError(
                _("Only the investigator can write the report during the investigation.")
            )
        before = case.investigation_report
        Case.objects.filter(pk=case.pk).update(investigation_report=report)
        audit.record(
            "tolerance.report.update",
            actor=actor,
            obj=case,
            before={"length": len(before)},
            after={"length": len(report)},
            authority_id=case.authority_id,
        )
        case.refresh_from_db()
    return case


def note_add(
    case: Case,
    *,
    actor: User,
    kind: str,
    text: str,
    entry: CaseCadre | None = None,
    held_on=None,
    participants: str = "",
) -> CaseNote:
    """An interview record or investigation note (investigator), or the cadre's statement."""
    if kind not in NoteKind.values or not text.strip():
        raise CaseError(_("Write the note."))
    if entry is not None and entry.case_id != case.pk:
        raise CaseError(_("That cadre is not part of this case."))
    if held_on and held_on > timezone.localdate():
        raise CaseError(_("The date cannot be in the future."))
    if kind == NoteKind.STATEMENT and P.concerns(case, actor):
        allowed = case.state in CaseState.open_states()
        if allowed and entry is None:
            entry = next(e for e in case.entries.all() if e.cadre_id == actor.cadre_id)
    elif kind == NoteKind.STATEMENT:
        # The investigator writes down a statement heard in person or received on paper.
        allowed = case.state == CaseState.INVESTIGATING and P.can_investigate(case, actor)
        entries = list(case.entries.all())
        if allowed and entry is None and len(entries) > 1:
            raise CaseError(_("Say whose statement this is."))
        if allowed and entry is None:
            entry = entries[0]
    else:
        allowed = case.state == CaseState.INVESTIGATING and P.can_investigate(case, actor)
    if not allowed:
        raise CaseError(_("You cannot add this note now."))
    with transaction.atomic():
        note = CaseNote(
            case=case, entry=entry, kind=kind, text=text, author=actor, participants=participants
        )
        if held_on:
            note.held_on = held_on
        note.save()
        audit.record(
            f"tolerance.note.{kind}",
            actor=actor,
            obj=case,
            after={"note": note.pk, "entry": entry.pk if entry else None},
            authority_id=case.authority_id,
        )
    return note
