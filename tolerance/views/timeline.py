"""The case timeline, read from the audit log: what happened, who did it, why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from core.audit_display import action_label
from core.models import AuditEvent, User
from core.statements import statement

from ..enums import CaseState, Outcome
from ..models import Case, CaseCadre, DeliveryMethod
from ..models.review import AppealState, RemedyStatus

# Rows a viewer outside the authority sees: the steps of the case, not the internal work.
PUBLIC_ACTIONS = frozenset(
    {
        "tolerance.case.create",
        "tolerance.case.submit",
        "tolerance.case.withdraw",
        "tolerance.case.accept",
        "tolerance.case.reject",
        "tolerance.case.start_investigation",
        "tolerance.case.refer",
        "tolerance.case.decide",
        "tolerance.case.issue_rulings",
        "tolerance.case.feed_back",
        "tolerance.case.publish",
        "tolerance.case.appeal",
        "tolerance.case.conclude_appeal",
        "tolerance.case.close",
        "tolerance.case.receive",
        "tolerance.delivery.record",
        "tolerance.note.statement",
        "tolerance.appeal.file",
        "tolerance.appeal.decide",
        "tolerance.entry.decide",
        "tolerance.entry.change_on_appeal",
    }
)
# Reasons shown to outside viewers (the others may be internal deliberation).
PUBLIC_REASONS = frozenset(
    {
        "tolerance.case.withdraw",
        "tolerance.case.reject",
        "tolerance.appeal.file",
        "tolerance.appeal.decide",
        "tolerance.entry.decide",
        "tolerance.entry.change_on_appeal",
    }
)


@dataclass
class TimelineRow:
    at: dt.datetime
    actor: str
    label: str
    details: list[str] = field(default_factory=list)
    reason: str = ""


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def _details(event: AuditEvent, cadres: dict[int, str], users: dict[int, str]) -> list[str]:
    before, after = event.before or {}, event.after or {}
    details = []
    if before.get("state") and after.get("state") and before["state"] != after["state"]:
        details.append(
            _("State changed from %(old)s to %(new)s")
            % {"old": _label(CaseState, before["state"]), "new": _label(CaseState, after["state"])}
        )
    entry = after.get("entry") or before.get("entry")
    if entry in cadres:
        details.append(_("Cadre: %(name)s") % {"name": cadres[entry]})
    for key, text in (
        ("investigator", _("Investigator: %(name)s")),
        ("reviewer", _("Reviewer: %(name)s")),
    ):
        if after.get(key) in users:
            details.append(text % {"name": users[after[key]]})
    if after.get("outcome") in Outcome.values:
        details.append(
            _("Conclusion: %(outcome)s") % {"outcome": _label(Outcome, after["outcome"])}
        )
    if after.get("departs_from_advice"):
        details.append(_("Departs from the advice of the rules"))
    if after.get("departure_reason"):
        details.append(
            _("Reason for the departure: %(reason)s") % {"reason": after["departure_reason"]}
        )
    if event.action == "tolerance.meeting.record" and after.get("held_on"):
        details.append(
            _("Held on %(date)s; %(present)s of %(members)s members present")
            % {
                "date": after["held_on"],
                "present": after.get("present"),
                "members": after.get("members"),
            }
        )
    if event.action == "tolerance.delivery.record":
        if after.get("method") in DeliveryMethod.values:
            details.append(_label(DeliveryMethod, after["method"]))
        details.append(_("Delivered on %(date)s") % {"date": after.get("delivered_on")})
        details.append(_("Appeals until %(date)s") % {"date": after.get("appeal_due_on")})
    if event.action == "tolerance.case.receive":
        details.append(_("Received on %(date)s") % {"date": after.get("received_on")})
    if event.action == "tolerance.appeal.decide" and after.get("state") in AppealState.values:
        details.append(_label(AppealState, after["state"]))
    if event.action == "tolerance.remedy.status" and after.get("status") in RemedyStatus.values:
        details.append(_label(RemedyStatus, after["status"]))
    if after.get("filename"):
        details.append(after["filename"])
    if after.get("due_on") and event.action.startswith("tolerance.case."):
        details.append(_("Due on %(date)s") % {"date": after["due_on"]})
    return details


def _label_of(case: Case, action: str) -> str:
    """A cadre's or unit's own application is drafted, not "立案" (opened by the authority)."""
    if action == "tolerance.case.create" and case.is_application:
        return _("Application drafted")
    return action_label(action) or action


_CASE = "2147483004"  # stands for the case's id while the statement is compiled


def _event_rows():
    """The audit rows about a case (compiled once per process: core.statements)."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=_CASE
    ).order_by("at", "id")


def case_timeline(
    case: Case,
    entries: list[CaseCadre],
    *,
    internal: bool,
    concluded: bool,
    known: Iterable[User] = (),
) -> list[TimelineRow]:
    """Every audit row about the case, oldest first (one query, one more when people are
    named in them who are not among the `known` users already loaded). Outside viewers see
    the steps and rows about their own entries only, and the conclusions once the case is
    decided."""
    content_type = ContentType.objects.get_for_model(Case).pk
    events = statement(AuditEvent, _event_rows, key=content_type).rows({_CASE: str(case.pk)})
    cadres = {entry.pk: entry.cadre.name for entry in entries}
    rows = []
    user_ids = set()
    for event in events:
        payload = {**(event.before or {}), **(event.after or {})}
        if not internal:
            if event.action not in PUBLIC_ACTIONS:
                continue
            if event.action == "tolerance.entry.decide" and not concluded:
                continue
            if "entry" in payload and payload["entry"] not in cadres:
                continue
        for key in ("investigator", "reviewer"):
            if isinstance(payload.get(key), int):
                user_ids.add(payload[key])
        rows.append(event)
    users = {u.pk: str(u) for u in known if u is not None and u.pk in user_ids}
    if user_ids - users.keys():
        users |= {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids - users.keys())}
    return [
        TimelineRow(
            at=event.at,
            actor=_("System") if event.actor_repr == "system" else event.actor_repr,
            label=_label_of(case, event.action),
            details=_details(event, cadres, users),
            reason=event.reason if internal or event.action in PUBLIC_REASONS else "",
        )
        for event in rows
    ]
