"""The actions a viewer may take on a case now, each a form that POSTs to `case_action`,
which calls exactly one service.

An action is offered when the state machine (tolerance.permissions.allowed_actions) or the
service's own rule allows it for this viewer now. The services check again and refuse
with a CaseError; the view shows that message and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.db import transaction
from django.forms import Form
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.enums import Role

from .. import forms as F
from .. import predicates as P
from .. import record_forms as R
from ..appeals import appeal_assign_reviewer, appeal_decide, appeal_file
from ..deliberation import entry_decide, meeting_record
from ..enums import CaseState, Outcome
from ..extensions import can_extend, case_extend
from ..feedback import case_feed_back
from ..filing import _may_attach, attachment_add
from ..investigation import (
    case_start_investigation,
    case_update_report,
    entry_record_findings,
    note_add,
)
from ..models.case import AttachmentKind, NoteKind
from ..models.review import AppealState, RemedyStatus
from ..receipt import case_record_receipt, may_record_receipt
from ..remedies import can_manage_remedies, remedy_add, remedy_set_status
from ..workflow import case_transition
from .page import CasePage


@dataclass(frozen=True)
class Spec:
    name: str
    label: Any  # the button
    done: Any  # the message after success
    form: Callable[..., Form]  # (page, target, data, files) -> Form
    run: Callable[..., Any]  # (page, target, form) -> result; calls one service
    target: str = ""  # "", "entry", "appeal" or "remedy"
    style: str = "brand"  # the button: brand, outline-secondary, outline-danger


@dataclass
class ActionForm:
    spec: Spec
    form: Form
    case_pk: int
    target: Any = None

    @property
    def url(self) -> str:
        return reverse("tolerance:case_action", args=[self.case_pk, self.spec.name])

    @property
    def target_id(self):
        return getattr(self.target, "pk", "")

    @property
    def multipart(self) -> bool:
        return self.form.is_multipart()

    @property
    def fields_html(self) -> str:
        """The form's fields as tolerance/_fields.html renders them. A blank form of the
        case as a whole made from nothing but the posted data (_plain) is the same on every
        case for every viewer: rendered once per process and language."""
        form = self.form
        if form.is_bound or form.prefix or type(form) not in PLAIN:
            return render_to_string("tolerance/_fields.html", {"form": form})
        key = (type(form), get_language())
        html = _blank_fields.get(key)
        if html is None:
            html = _blank_fields[key] = render_to_string("tolerance/_fields.html", {"form": form})
        return html


_blank_fields: dict[tuple, str] = {}


def _forget_blank_fields(**kwargs) -> None:
    _blank_fields.clear()  # a setting (an upload limit in a help text) may have changed


setting_changed.connect(_forget_blank_fields, dispatch_uid="tolerance-blank-action-fields")


# --- transitions ------------------------------------------------------------------------


def _transition(action: str, *, changes: Callable[[Form], dict] | None = None):
    def run(page: CasePage, target, form: Form):
        return case_transition(
            page.case,
            actor=page.user,
            action=action,
            reason=form.cleaned_data.get("reason", ""),
            changes=changes(form) if changes else None,
        )

    return run


PLAIN: set[type[Form]] = set()  # the forms made from the posted data alone (_plain)


def _plain(form_class):
    PLAIN.add(form_class)
    return lambda page, target, data, files: form_class(data)


TRANSITIONS = {
    "submit": Spec(
        "submit",
        _("Submit to the competent authority"),
        _("Submitted."),
        _plain(F.ConfirmForm),
        _transition("submit"),
    ),
    "accept": Spec(
        "accept",
        _("Accept for review"),
        _("Accepted for review."),
        _plain(F.ConfirmForm),
        _transition("accept"),
    ),
    "reject": Spec(
        "reject",
        _("Do not accept"),
        _("Not accepted."),
        _plain(F.ReasonForm),
        _transition("reject"),
        style="outline-danger",
    ),
    "start_investigation": Spec(
        "start_investigation",
        _("Assign the investigator and start"),
        _("The investigation has started."),
        lambda page, target, data, files: F.StartInvestigationForm(
            data, investigators=page.investigators
        ),
        lambda page, target, form: case_start_investigation(
            page.case, actor=page.user, investigator=form.cleaned_data["investigator"]
        ),
    ),
    "refer": Spec(
        "refer",
        _("Refer to the committee"),
        _("Referred to the committee."),
        _plain(F.ConfirmForm),
        _transition("refer"),
    ),
    "send_back": Spec(
        "send_back",
        _("Send back for further investigation"),
        _("Sent back for further investigation."),
        _plain(F.ReasonForm),
        _transition("send_back"),
        style="outline-secondary",
    ),
    "feed_back": Spec(
        "feed_back",
        _("Record the delivery of the conclusion"),
        _("The delivery has been recorded; the appeal window counts from its date."),
        lambda page, target, data, files: R.DeliveryForm(data, files, owner=page.user),
        lambda page, target, form: case_feed_back(
            page.case,
            actor=page.user,
            method=form.cleaned_data["method"],
            delivered_on=form.cleaned_data["delivered_on"],
            receipt=form.cleaned_data["receipt"] or None,
            reason=form.cleaned_data["reason"],
        ),
    ),
    "publish": Spec(
        "publish",
        _("Publish the exemption"),
        _("The exemption has been published."),
        lambda page, target, data, files: F.PublishForm(data, policy=page.policy),
        _transition(
            "publish",
            changes=lambda form: {"publication_scope": form.cleaned_data["publication_scope"]},
        ),
    ),
    "close": Spec(
        "close",
        _("Close the case"),
        _("The case has been closed."),
        _plain(F.OptionalReasonForm),
        _transition("close"),
        style="outline-secondary",
    ),
    "withdraw": Spec(
        "withdraw",
        _("Withdraw the application"),
        _("The application has been withdrawn."),
        _plain(F.ReasonForm),
        _transition("withdraw"),
        style="outline-danger",
    ),
}


# --- service actions --------------------------------------------------------------------


def _note_kinds(page: CasePage) -> list[str]:
    case, user = page.case, page.user
    kinds = []
    if case.state == CaseState.INVESTIGATING and P.can_investigate(case, user):
        kinds += [NoteKind.STATEMENT, NoteKind.INTERVIEW, NoteKind.INVESTIGATION]
    if case.state in CaseState.open_states() and P.concerns(case, user):
        kinds.append(NoteKind.STATEMENT)
    return list(dict.fromkeys(kinds))


def _attachment_kinds(page: CasePage) -> list[str]:
    return [k for k in AttachmentKind.values if _may_attach(page.case, page.user, k)]


def _attach(page: CasePage, target, form: Form):
    with transaction.atomic():  # all files or none
        return [
            attachment_add(
                page.case,
                actor=page.user,
                upload=upload,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
            for upload in form.cleaned_data["files"]
        ]


def _note(page: CasePage, target, form: Form):
    data = form.cleaned_data
    entry = data.get("entry")
    if entry is None and len(page.entries) == 1:
        entry = page.entries[0]
    return note_add(
        page.case,
        actor=page.user,
        kind=data["kind"],
        text=data["text"],
        entry=entry,
        held_on=data["held_on"],
        participants=data["participants"],
    )


def _decide_form(page: CasePage, entry, data, files):
    advice = ""
    for view in page.entry_views:
        if view.entry.pk == entry.pk and view.summary is not None:
            advice = view.summary.advice
    return R.DecideForm(data, meetings=page.meetings, policy=page.policy, advice=advice)


SERVICES = {
    "receipt": Spec(
        "receipt",
        _("Record the date of receipt"),
        _("The date of receipt has been recorded."),
        _plain(R.ReceiptForm),
        lambda page, target, form: case_record_receipt(
            page.case, actor=page.user, received_on=form.cleaned_data["received_on"]
        ),
    ),
    "findings": Spec(
        "findings",
        _("Save the findings"),
        _("The findings have been saved."),
        lambda page, entry, data, files: F.FindingsForm(data, policy=page.policy, entry=entry),
        lambda page, entry, form: entry_record_findings(entry, actor=page.user, **form.values()),
        target="entry",
    ),
    "report": Spec(
        "report",
        _("Save the report"),
        _("The investigation report has been saved."),
        lambda page, target, data, files: F.ReportForm(
            data, initial={"report": page.case.investigation_report}
        ),
        lambda page, target, form: case_update_report(
            page.case, actor=page.user, report=form.cleaned_data["report"]
        ),
    ),
    "note": Spec(
        "note",
        _("Add the note"),
        _("The note has been added."),
        lambda page, target, data, files: F.NoteForm(
            data, kinds=_note_kinds(page), entries=page.entries
        ),
        _note,
    ),
    "attach": Spec(
        "attach",
        _("Upload"),
        _("The files have been added."),
        lambda page, target, data, files: F.AttachmentForm(
            data, files, kinds=_attachment_kinds(page), owner=page.user
        ),
        _attach,
    ),
    "meeting": Spec(
        "meeting",
        _("Record the meeting"),
        _("The meeting has been recorded."),
        lambda page, target, data, files: R.MeetingForm(
            data, roster=page.committee, entries=page.entries, rules=page.deliberation
        ),
        lambda page, target, form: meeting_record(page.case, actor=page.user, **form.values()),
    ),
    "decide": Spec(
        "decide",
        _("Record the conclusion"),
        _("The conclusion has been recorded."),
        _decide_form,
        lambda page, entry, form: entry_decide(
            entry,
            actor=page.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            meeting=form.cleaned_data["meeting"],
            relied_on=form.cleaned_data["relied_on"] or None,
            departure_reason=form.cleaned_data["departure_reason"],
        ),
        target="entry",
    ),
    "appeal": Spec(
        "appeal",
        _("Appeal"),
        _("Your appeal has been filed."),
        _plain(F.AppealForm),
        lambda page, entry, form: appeal_file(
            entry, actor=page.user, reason=form.cleaned_data["reason"]
        ),
        target="entry",
    ),
    "assign_reviewer": Spec(
        "assign_reviewer",
        _("Assign"),
        _("The reviewer has been assigned."),
        lambda page, appeal, data, files: F.AssignReviewerForm(data, reviewers=page.reviewers),
        lambda page, appeal, form: appeal_assign_reviewer(
            appeal, actor=page.user, reviewer=form.cleaned_data["reviewer"]
        ),
        target="appeal",
    ),
    "decide_appeal": Spec(
        "decide_appeal",
        _("Decide the appeal"),
        _("The appeal has been decided."),
        _plain(F.AppealDecisionForm),
        lambda page, appeal, form: appeal_decide(
            appeal, actor=page.user, new_outcome=form.outcome(), reason=form.cleaned_data["reason"]
        ),
        target="appeal",
    ),
    "extend": Spec(
        "extend",
        _("Extend the deadline"),
        _("The deadline has been extended."),
        lambda page, target, data, files: F.ExtensionForm(data, remaining=page.extension_room),
        lambda page, target, form: case_extend(page.case, actor=page.user, **form.cleaned_data),
    ),
    "remedy": Spec(
        "remedy",
        _("Add the measure"),
        _("The remedial measure has been added."),
        _plain(F.RemedyForm),
        lambda page, target, form: remedy_add(page.case, actor=page.user, **form.cleaned_data),
    ),
    "remedy_status": Spec(
        "remedy_status",
        _("Update"),
        _("The measure has been updated."),
        lambda page, remedy, data, files: F.RemedyStatusForm(data, remedy=remedy),
        lambda page, remedy, form: remedy_set_status(remedy, actor=page.user, **form.cleaned_data),
        target="remedy",
    ),
}

SPECS: dict[str, Spec] = {**TRANSITIONS, **SERVICES}


def make(page: CasePage, name: str, target=None, data=None, files=None) -> ActionForm:
    spec = SPECS[name]
    form = spec.form(page, target, data, files)
    if target is not None:
        form.prefix = f"{name}-{target.pk}"
    return ActionForm(spec, form, page.case.pk, target)


def resolve_target(page: CasePage, spec: Spec, raw: str):
    """The entry, appeal or remedy named in the POST, among those the viewer sees; else None."""
    if not spec.target:
        return None
    pool = {
        "entry": page.entries,
        "appeal": page.appeals,
        "remedy": page.remedies,
    }[spec.target]
    return next((obj for obj in pool if str(obj.pk) == raw), None)


# --- which forms the page offers ----------------------------------------------------------


def case_actions(page: CasePage) -> list[ActionForm]:
    """Actions on the case as a whole, in the order of the workflow."""
    case, user = page.case, page.user
    offered = [name for name in TRANSITIONS if name in page.allowed]
    if may_record_receipt(case, user):
        offered.append("receipt")
    if case.state == CaseState.ACCEPTED and P.can_intake(case, user):
        offered.append("start_investigation")
    if case.state == CaseState.INVESTIGATING and P.can_investigate(case, user):
        offered.append("report")
    if case.state == CaseState.DELIBERATING and P.can_deliberate(case, user):
        offered.append("meeting")
    if _note_kinds(page):
        offered.append("note")
    if _attachment_kinds(page):
        offered.append("attach")
    if case.state != CaseState.DRAFT and can_manage_remedies(case, user):
        offered.append("remedy")
    if can_extend(case, user) and page.extension_room > 0:
        offered.append("extend")
    order = list(SPECS)
    return [make(page, name) for name in sorted(set(offered), key=order.index)]


def _may_appeal(page: CasePage, entry) -> bool:
    case, user = page.case, page.user
    own = user.cadre_id is not None and entry.cadre_id == user.cadre_id
    unit_filer = P.can_appeal(case, user) and not P.concerns(case, user)
    return (
        case.state in (CaseState.FED_BACK, CaseState.PUBLISHED, CaseState.APPEALED)
        and bool(entry.outcome)
        and entry.outcome != Outcome.EXEMPT  # nobody is invited to appeal an exemption
        and (own or unit_filer)
        and page.appeal_open
        and not any(a.entry_id == entry.pk for a in page.appeals)
    )


def entry_actions(page: CasePage, entry) -> list[ActionForm]:
    case, user = page.case, page.user
    result = []
    if case.state == CaseState.INVESTIGATING and P.can_investigate(case, user):
        result.append(make(page, "findings", entry))
    if (
        case.state == CaseState.DELIBERATING
        and P.can_deliberate(case, user)
        and not entry.outcome
        and page.meetings
    ):
        result.append(make(page, "decide", entry))
    if _may_appeal(page, entry):
        result.append(make(page, "appeal", entry))
    return result


def appeal_actions(page: CasePage, appeal) -> list[ActionForm]:
    if appeal.state != AppealState.PENDING:
        return []
    result = []
    if P.staff_of(page.case, page.user, Role.APPROVING_LEADER):
        result.append(make(page, "assign_reviewer", appeal))
    if appeal.reviewer_id == page.user.pk:
        result.append(make(page, "decide_appeal", appeal))
    return result


def remedy_actions(page: CasePage, remedy) -> list[ActionForm]:
    if remedy.status == RemedyStatus.VERIFIED or not can_manage_remedies(page.case, page.user):
        return []
    return [make(page, "remedy_status", remedy)]
