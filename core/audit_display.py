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

from .admin_audit import admin_action_label
from .formatting import money, plain
from .models import AuditEvent

ACTION_LABELS = {
    "cadre.create": _("Cadre added"),
    "cadre.update": _("Cadre record changed"),
    "cadre.national_id.reveal": _("Full national ID number viewed"),
    "cadre.roster.import": _("Roster imported"),
    "cadre.roster.export": _("Roster exported"),
    "cadre.list.export": _("Cadre list exported to Excel"),
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
    "core.import.request": _("Import file uploaded"),
    "core.import.finish": _("Import finished"),
    "core.import.fail": _("Import failed"),
    "core.import.expire": _("Import files deleted after the retention period"),
    "core.import.download": _("Import error report downloaded"),
    "register.export.request": _("Register export requested"),
    "register.casefile.request": _("Case file export requested"),
    "register.export.finish": _("Register exported"),
    "register.export.fail": _("Register export failed"),
    "register.export.download": _("Register export downloaded"),
    # The header's global search (workbench.search)
    "workbench.search.id_digits": _("Cadres searched by ID number digits"),
    # Tolerance cases (容错纠错)
    "tolerance.case.create": _("Case opened"),
    "tolerance.queue.export": _("Case list exported to Excel"),
    "audit.export": _("Audit log exported to Excel"),
    "clarifications.petition.export": _("Petitions and reports exported to Excel"),
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
    "tolerance.matter.clear": _("Accountability matter cleared for the cadre"),
    "tolerance.case.appeal_window_recompute": _(
        "Appeal period recomputed on the holiday schedule"
    ),
    "tolerance.remedy.status": _("Remedial measure updated"),
    "tolerance.receipt.download": _("Signed delivery receipt downloaded"),
    "tolerance.policy.create": _("Policy version drafted"),
    "tolerance.policy.update": _("Policy version changed"),
    "tolerance.policy.publish": _("Policy version published"),
    # Administration (core.admin_audit): who may see and do what
    "user.roles.change": _("User's roles changed"),
    "user.jurisdiction.change": _("User's jurisdiction changed"),
    "core.user.password_set": _("User's password set by an administrator"),
    "tolerance.policy_version.delete": _("Draft policy version deleted"),
    # API tokens (core.api_tokens)
    "api.token.issue": _("API token issued"),
    "api.token.rotate": _("API token replaced"),
    "api.token.revoke": _("API token revoked"),
    # Assessments (考核评价): evidence and tracking
    "assessment.checkup.record": _("Check-up recorded"),
    "assessment.competition.record": _("Paired competition recorded"),
    "assessment.competition.update": _("Paired competition changed"),
    "assessment.feedback.record": _("Face-to-face feedback recorded"),
    "assessment.feedback.update": _("Face-to-face feedback changed"),
    "assessment.grade.set": _("Assessment grades entered"),
    "assessment.incident.create": _("Incident recorded"),
    "assessment.monthly.save": _("Monthly performance report saved"),
    "assessment.poverty.set": _("Poverty-alleviation result entered"),
    "assessment.ranks.set": _("Unit ranks entered"),
    "assessment.target.set": _("Target-responsibility grade entered"),
    "assessment.team.set": _("Team grade entered"),
    "assessment.warning.resolve": _("Warning resolved"),
    "assessment.quota_policy.create": _("Excellent quota policy added"),
    "assessment.quota_policy.update": _("Excellent quota policy changed"),
    "assessment.quota_policy.delete": _("Excellent quota policy deleted"),
    "assessment.quota_policy.impact": _("Impact of a draft excellent quota policy viewed"),
    "assessment.quota_policy.publish": _("Excellent quota policy published"),
    "assessment.detection_policy.create": _("Detection policy added"),
    "assessment.detection_policy.update": _("Detection policy changed"),
    "assessment.detection_policy.delete": _("Detection policy deleted"),
    # Cadres
    "cadre.find_by_id": _("Cadre looked up by national ID number"),
    "cadre.roster.update": _("Posts changed through the roster"),
    # Clarifications
    "clarifications.notice.request": _("Clarification notice requested"),
    # Promotions (能上能下) and incentives
    "promotions.bonus.allocate": _("Bonus allocated"),
    "promotions.bonus.withdraw": _("Bonus allocation withdrawn"),
    "promotions.candidates.export": _("Candidate list exported"),
    "promotions.proposal.create": _("Adjustment proposal raised"),
    "promotions.commendation.create": _("Commendation recorded"),
    "promotions.commendation.export": _("Commendations exported to Excel"),
    "promotions.exceptional.export": _("Exceptional promotion requests exported to Excel"),
    "promotions.proposal.inspect": _("Adjustment proposal inspected"),
    "promotions.proposal.decide": _("Adjustment decided"),
    "promotions.proposal.execute": _("Adjustment carried out"),
    "promotions.exceptional.create": _("Exceptional promotion request drafted"),
    "promotions.exceptional.submit": _("Exceptional promotion request submitted"),
    "promotions.exceptional.approve": _("Exceptional promotion approved"),
    "promotions.exceptional.reject": _("Exceptional promotion rejected"),
    # The register's retention (register.retention)
    "register.export.expire": _("Register export deleted after its retention period"),
}
# prefix → (label, choices naming the rest of the code); apps add theirs in AppConfig.ready
# (cadres: "cadre.move.").
ACTION_PREFIX_LABELS: dict[str, tuple] = {}


KEY_LABELS = {
    # Keys audit rows record that are not a field of the audited model.
    "filters": _("Filters"),
    "rows": _("Rows"),
    "count": _("Count"),
    "bytes": _("Size (bytes)"),
    "size": _("Size (bytes)"),
    "sha256": _("SHA-256 digest"),
    "receipt_sha256": _("SHA-256 digest of the receipt"),
    "digits": _("Last digits searched"),
    "found": _("Found"),
    "q": _("Search"),
    "masked": _("National ID numbers masked"),
    "level": _("Level"),
    "format": _("Format"),
    "filename": _("File name"),
    "import": _("Import"),
    "error": _("Error"),
    "length": _("Length (characters)"),
    "findings_length": _("Length of the findings (characters)"),
    "result_length": _("Length of the result (characters)"),
    "waived": _("Thresholds waived"),
    "members": _("Members"),
    "present": _("Present"),
    "required_present": _("Members required to be present"),
    "votes": _("Votes"),
    "votes_for": _("Votes for"),
    "sent_before": _("Sent before"),
    "working_days": _("Working days"),
    "scores": _("Scores"),
    "leaders": _("Leaders"),
    "warnings": _("Dimensions warned"),
    "findings": _("Dimensions with findings"),
    "entries": _("Cadres concerned"),
    "cadres": _("Cadres concerned"),
    "as_of": _("As of"),
    "prefix": _("Token prefix"),
    "expires_at": _("Expires at"),
    "key": _("Document key"),
    "reference": _("Reference"),
    "national_id": _("National ID number"),
    "password": _("Password"),
    "bonus": _("Bonus"),
    "allocated": _("Allocated so far"),
}
MONEY_KEYS = frozenset({"bonus", "allocated"})  # recorded in yuan
VALUE_LABELS = {
    # key → {recorded code: label} for values recorded as codes outside a model's choices;
    # apps add theirs in AppConfig.ready (assessments: "findings", "warnings").
    "waived": {
        "years_in_rank": _("Years in rank"),
        "rank_step": _("Rank step"),
        "situation": _("Annual grades"),
        "warnings": _("Open check-up warning"),
        "matters": _("Accountability matter still counts"),
    },
}


def key_label(f: models.Field | None, key: str) -> str:
    if f is not None:
        return str(f.verbose_name)
    if key in KEY_LABELS:
        return str(KEY_LABELS[key])
    return key


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


def codes_labelled(text: str) -> list[str]:
    """The named action codes whose label, in the active language, contains `text`."""
    needle = text.casefold()
    return [code for code in ACTION_LABELS if needle in str(ACTION_LABELS[code]).casefold()]


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

    def show(f: models.Field | None, key: str, value: Any) -> str:
        if value is None or value == "":
            return plain(None)
        if f is None:
            return money(value) if key in MONEY_KEYS else plain(value, VALUE_LABELS.get(key))
        if f.many_to_one:
            return plain(related.get(f.related_model, {}).get(str(value), value))
        if isinstance(f, models.DecimalField) and "yuan" in str(f.verbose_name):
            return money(value)
        if f.choices:
            return plain(value, dict(f.flatchoices))
        base = getattr(f, "base_field", None)
        if base is not None and base.choices:
            return plain(value, dict(base.flatchoices))
        return plain(value, VALUE_LABELS.get(key))

    views = []
    for event, model, before, after, keys, fields in rows:
        changes = [
            Change(
                label=key_label(fields[key], key),
                before=show(fields[key], key, before.get(key)),
                after=show(fields[key], key, after.get(key)),
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
