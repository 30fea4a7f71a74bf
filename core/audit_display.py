"""Audit rows for people: action labels, field names and values instead of codes and ids.

Field labels and choice labels come from the audited model's own fields, so any app's
audit rows read well without this module knowing the app. Foreign-key ids are resolved in
one query per related model on the page, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.enums import MoveType

from .admin_audit import admin_action_label
from .models import AuditEvent

ACTION_LABELS = {
    "cadre.create": _("Cadre added"),
    "cadre.update": _("Cadre record changed"),
    "cadre.national_id.reveal": _("Full national ID number viewed"),
    "cadre.roster.import": _("Roster imported"),
    "cadre.roster.export": _("Roster exported"),
    "assessments.export": _("Assessment workbook exported"),
    "cadre.lrmx.import": _("LRMX files imported"),
    "cadre.lrmx.export": _("LRMX file exported"),
    "cadre.appointment_form.view": _("Appointment form viewed"),
    "calendar_year.create": _("Holiday schedule added"),
    "calendar_year.update": _("Holiday schedule changed"),
    "calendar_year.delete": _("Holiday schedule deleted"),
    "document.issue": _("Document issued"),
    "document.download": _("Document downloaded"),
    "document.draft.open": _("Document drafted"),
    "document.draft.check": _("Document draft checked"),
    "document.draft.sign": _("Document signed off"),
    "document.draft.issue": _("Signed-off document issued"),
    "document.draft.preview": _("Document draft previewed"),
    "document.draft.approval_form": _("Approval form viewed"),
    # Exports of the register of documents (register)
    "register.export.request": _("Register export requested"),
    "register.export.finish": _("Register exported"),
    "register.export.fail": _("Register export failed"),
    "register.export.download": _("Register export downloaded"),
    # The header's global search (workbench.search)
    "workbench.search.id_digits": _("Cadres searched by ID number digits"),
    # Tolerance cases (容错纠错)
    "tolerance.case.create": _("Case opened"),
    "tolerance.queue.export": _("Case list exported to Excel"),
    "promotions.proposal.export": _("Adjustment proposals exported to Excel"),
    "tolerance.case.ruling_requeued": _("Ruling task sent again (rulings had not arrived)"),
    "tolerance.case.submit": _("Case submitted"),
    "tolerance.case.withdraw": _("Application withdrawn"),
    "tolerance.case.accept": _("Accepted for review"),
    "tolerance.case.reject": _("Not accepted for review"),
    "tolerance.case.start_investigation": _("Investigation started"),
    "tolerance.case.refer": _("Referred to the committee"),
    "tolerance.case.send_back": _("Sent back for further investigation"),
    "tolerance.case.decide": _("Conclusion reached on every cadre"),
    "tolerance.case.issue_rulings": _("Rulings issued"),
    "tolerance.case.feed_back": _("Conclusion fed back"),
    "tolerance.case.publish": _("Exemption published"),
    "tolerance.case.appeal": _("Case under review on appeal"),
    "tolerance.case.conclude_appeal": _("Appeal review concluded"),
    "tolerance.case.close": _("Case closed"),
    "tolerance.case.extend": _("Deadline extended"),
    "tolerance.case.escalate": _("Overdue case escalated"),
    "tolerance.attachment.add": _("File attached"),
    "tolerance.attachment.download": _("Attachment downloaded"),
    "tolerance.findings.record": _("Findings recorded"),
    "tolerance.report.update": _("Investigation report written"),
    "tolerance.note.interview": _("Interview record added"),
    "tolerance.note.investigation": _("Investigation note added"),
    "tolerance.note.statement": _("Statement of the cadre added"),
    "tolerance.meeting.record": _("Committee meeting recorded"),
    "tolerance.entry.decide": _("Conclusion recorded"),
    "tolerance.entry.change_on_appeal": _("Conclusion changed on appeal"),
    "tolerance.appeal.file": _("Appeal filed"),
    "tolerance.appeal.assign": _("Reviewer assigned"),
    "tolerance.appeal.decide": _("Appeal decided"),
    "tolerance.remedy.add": _("Remedial measure added"),
    "tolerance.remedy.status": _("Remedial measure updated"),
    "tolerance.policy.create": _("Policy version drafted"),
    "tolerance.policy.update": _("Policy version changed"),
    "tolerance.policy.publish": _("Policy version published"),
    # Administration (core.admin_audit): who may see and do what
    "user.roles.change": _("User's roles changed"),
    "user.jurisdiction.change": _("User's jurisdiction changed"),
    "core.user.password_set": _("User's password set by an administrator"),
    "tolerance.policy_version.delete": _("Draft policy version deleted"),
}
ACTION_PREFIX_LABELS = {
    # prefix → (label, choices naming the rest of the code)
    "cadre.move.": (_("Cadre moved"), MoveType),
}


def action_label(code: str) -> str:
    """A human name for an action code, or "" for codes nobody has named yet."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    for prefix, (label, choices) in ACTION_PREFIX_LABELS.items():
        if code.startswith(prefix):
            rest = code.removeprefix(prefix)
            if rest in choices.values:
                return _("%(action)s: %(kind)s") % {"action": label, "kind": choices(rest).label}
            return str(label)
    return admin_action_label(code)


@dataclass
class Change:
    label: str
    before: Any
    after: Any
    only_after: bool = False


@dataclass
class EventView:
    event: AuditEvent
    label: str
    object_type: str
    changes: list[Change] = field(default_factory=list)


def _model_field(model, key: str) -> models.Field | None:
    """The model's own field named `key` (not a relation from another model: a row may
    record, say, a check-up's warnings under the name of that reverse relation)."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return next((f for f in model._meta.concrete_fields if f.attname == key), None)
    return found if isinstance(found, models.Field) else None


def _field_order(model, key: str) -> tuple[int, str]:
    """Fields in the model's declaration order (JSONB does not keep key order)."""
    if model is not None:
        for index, f in enumerate(model._meta.concrete_fields):
            if key in (f.name, f.attname):
                return index, key
    return 10**6, key


def _is_key_of(f: models.Field, value: Any) -> bool:
    """Whether a recorded value can be a key of the related object: some rows record the
    related object by name (the unit of an evidence row), shown then as recorded."""
    if value is None:
        return False
    try:
        f.target_field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return True


def describe(events: list[AuditEvent]) -> list[EventView]:
    """Readable views of audit rows (their content types must be select_related)."""
    pending: dict[type[models.Model], set] = defaultdict(set)
    rows = []
    for event in events:
        model = event.content_type.model_class() if event.content_type_id else None
        before, after = event.before or {}, event.after or {}
        keys = sorted(dict.fromkeys([*before, *after]), key=lambda k: _field_order(model, k))
        fields = {key: _model_field(model, key) for key in keys}
        for key, f in fields.items():
            if f is not None and f.many_to_one:
                for value in (before.get(key), after.get(key)):
                    if _is_key_of(f, value):
                        pending[f.related_model].add(value)
        rows.append((event, model, before, after, keys, fields))
    related = {
        model: {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in pending.items()
    }

    def show(f: models.Field | None, value: Any) -> Any:
        if value is None or value == "":
            return "—"
        if f is None:
            return value
        if f.many_to_one:
            return related.get(f.related_model, {}).get(str(value), value)
        if f.choices:
            return dict(f.flatchoices).get(value, value)
        return value

    views = []
    for event, model, before, after, keys, fields in rows:
        changes = [
            Change(
                label=str(fields[key].verbose_name) if fields[key] is not None else key,
                before=show(fields[key], before.get(key)),
                after=show(fields[key], after.get(key)),
                only_after=key not in before,
            )
            for key in keys
        ]
        views.append(
            EventView(
                event=event,
                label=action_label(event.action),
                object_type=str(model._meta.verbose_name) if model else "",
                changes=changes,
            )
        )
    return views
