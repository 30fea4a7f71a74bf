"""Forms of the tolerance pages. They only parse input; the services decide and write.

Choices that depend on the case (investigators, committee members, the policy's clauses) are
passed in by the view, which has already loaded them for the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from core.kept_uploads import KeepsUploads
from core.models import User
from core.pickers import CadresPicker
from core.uploads import UploadRejected, check_attachment, read_upload

from .enums import (
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    PublicationScope,
    Severity,
    StartedBy,
)
from .models import CaseCadre
from .models.case import AttachmentKind, NoteKind
from .models.review import Remedy, RemedyStatus
from .policy_types import Policy


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; fields with errors marked invalid."""

    def _style(self) -> None:
        errors = self._errors or {}  # not validated yet: nothing is invalid
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if name in errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def full_clean(self):
        super().full_clean()
        self._style()

    def full_clean_style(self) -> None:
        """Mark fields invalid again after a service's refusal was added to the form."""
        self._style()


def _text(label, *, required=True, rows=3, max_length=None, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _user_choices(users: Sequence[User]) -> list[tuple[str, str]]:
    return [(str(u.pk), str(u)) for u in users]


class UserChoiceField(forms.TypedChoiceField):
    """A select over a list of users the view loaded; cleans to the User (None when an
    optional choice is left at "—")."""

    def __init__(self, *, users: Sequence[User], **kwargs):
        self.users = {str(u.pk): u for u in users}
        super().__init__(
            choices=[("", "—"), *_user_choices(users)],
            coerce=lambda pk: self.users[pk],
            empty_value=None,
            **kwargs,
        )


# --- transitions ------------------------------------------------------------------------


class ConfirmForm(StyledForm):
    """A transition that needs nothing but the click."""


class ReasonForm(StyledForm):
    reason = _text(_("Reasons"), rows=3)


class OptionalReasonForm(StyledForm):
    reason = _text(_("Remarks"), required=False, rows=2)


class StartInvestigationForm(StyledForm):
    def __init__(self, *args, investigators: Sequence[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"] = UserChoiceField(users=investigators, label=_("Investigator"))
        self._style()


class PublishForm(StyledForm):
    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        procedure = policy.procedure
        self.fields["publication_scope"] = forms.ChoiceField(
            label=_("Publication scope"),
            choices=[
                (value, PublicationScope(value).label) for value in procedure.publication_scopes
            ],
            initial=procedure.default_publication_scope,
        )
        self._style()


# --- investigation ----------------------------------------------------------------------

UNKNOWN = ""
TRI_STATE = [(UNKNOWN, _("Not yet established")), ("yes", _("Yes")), ("no", _("No"))]


class FindingsForm(StyledForm):
    """One cadre's findings: each distinction, condition and exclusion of the policy applied,
    the matched situations, consequences and remedy."""

    def __init__(self, *args, policy: Policy, entry: CaseCadre, **kwargs):
        initial = {
            **{f"d_{c}": v for c, v in entry.distinctions.items()},
            **{f"c_{c}": v for c, v in entry.conditions.items()},
            **{f"x_{c}": v for c, v in entry.exclusions.items()},
            "assessed": entry.situations is not None,
            "situations": list(entry.situations or []),
            "remedy_taken": {None: UNKNOWN, True: "yes", False: "no"}[entry.remedy_taken],
            "risk_filed": entry.risk_filed,
            "severity": entry.severity,
            "findings_note": entry.findings_note,
            "not_same_error_reason": entry.not_same_error_reason,
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.policy = policy
        for d in policy.distinctions:
            self.fields[f"d_{d.code}"] = forms.ChoiceField(
                label=f"{d.code} {d.tolerable} / {d.not_tolerable}",
                choices=DistinctionSide.choices,
                initial=DistinctionSide.UNDETERMINED,
            )
        for c in policy.conditions:
            self.fields[f"c_{c.code}"] = forms.ChoiceField(
                label=f"{c.code} {c.text}",
                choices=ConditionStatus.choices,
                initial=ConditionStatus.UNDETERMINED,
            )
        for x in policy.exclusions:
            self.fields[f"x_{x.code}"] = forms.ChoiceField(
                label=f"{x.code} {x.text}",
                choices=ExclusionStatus.choices,
                initial=ExclusionStatus.UNDETERMINED,
            )
        self.fields["assessed"] = forms.BooleanField(
            label=_("The tolerance situations have been assessed"),
            required=False,
            help_text=_("Leave unticked while the situations are still being examined."),
        )
        self.fields["situations"] = forms.MultipleChoiceField(
            label=_("Matched situations"),
            required=False,
            choices=[(s.code, f"{s.code} {s.text}") for s in policy.situations],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["severity"] = forms.ChoiceField(
            label=_("Severity of consequences"),
            required=False,
            choices=[(UNKNOWN, _("Not yet established")), *Severity.choices],
        )
        self.fields["remedy_taken"] = forms.ChoiceField(
            label=_("Remedial action taken"), required=False, choices=TRI_STATE
        )
        self.fields["risk_filed"] = forms.BooleanField(
            label=_("Risk assessed and filed beforehand"), required=False
        )
        self.fields["findings_note"] = _text(_("Findings"), required=False, rows=3)
        self.fields["not_same_error_reason"] = _text(
            _("Not the same error as the earlier case: reason"), required=False, rows=2
        )
        self.fields["not_same_error_reason"].help_text = _(
            "Only where the advice cites an earlier tolerated case of the same kind and you "
            "find that this is a different error: say why. The advice then no longer excludes "
            "tolerance on that ground; the reason is shown to the committee."
        )
        self._style()

    def groups(self) -> list[tuple[str, list]]:
        """Bound fields grouped for display."""
        by_prefix = {"d_": [], "c_": [], "x_": []}
        for name in self.fields:
            if name[:2] in by_prefix:
                by_prefix[name[:2]].append(self[name])
        return [
            (_("Three distinctions"), by_prefix["d_"]),
            (_("Conditions"), by_prefix["c_"]),
            (_("Exclusions"), by_prefix["x_"]),
        ]

    def values(self) -> dict:
        """Keyword arguments for tolerance.investigation.entry_record_findings."""
        data = self.cleaned_data
        policy = self.policy
        return {
            "distinctions": {d.code: data[f"d_{d.code}"] for d in policy.distinctions},
            "conditions": {c.code: data[f"c_{c.code}"] for c in policy.conditions},
            "exclusions": {x.code: data[f"x_{x.code}"] for x in policy.exclusions},
            "situations": list(data["situations"]) if data["assessed"] else None,
            "severity": data["severity"],
            "remedy_taken": {UNKNOWN: None, "yes": True, "no": False}[data["remedy_taken"]],
            "risk_filed": data["risk_filed"],
            "findings_note": data["findings_note"],
            "not_same_error_reason": data["not_same_error_reason"],
        }


class ReportForm(StyledForm):
    report = _text(_("Investigation report"), rows=6)


class NoteForm(StyledForm):
    def __init__(self, *args, kinds: Sequence[str], entries: Sequence[CaseCadre], **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = {str(e.pk): e for e in entries}
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind of record"), choices=[(k, NoteKind(k).label) for k in kinds]
        )
        if len(entries) > 1:
            self.fields["entry"] = forms.TypedChoiceField(
                label=_("Cadre"),
                required=False,
                choices=[
                    ("", _("The whole case")),
                    *((pk, e.cadre.name) for pk, e in self.entries.items()),
                ],
                coerce=lambda pk: self.entries[pk],
                empty_value=None,
            )
        self.fields["held_on"] = forms.DateField(
            label=_("Date"), required=False, initial=timezone.localdate, widget=DateInput()
        )
        self.fields["participants"] = forms.CharField(
            label=_("Participants"), required=False, max_length=200
        )
        self.fields["text"] = _text(_("Text"), rows=4)
        self._style()


# --- deliberation -----------------------------------------------------------------------

# --- appeals ----------------------------------------------------------------------------


class AppealForm(StyledForm):
    reason = _text(_("Grounds of the appeal"), rows=4)


class AssignReviewerForm(StyledForm):
    def __init__(self, *args, reviewers: Sequence[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"] = UserChoiceField(
            users=reviewers,
            label=_("Reviewer"),
            help_text=_("Only staff of this authority who took no part in the case."),
        )
        self._style()


CONFIRM = "confirm"


class AppealDecisionForm(StyledForm):
    new_outcome = forms.ChoiceField(
        label=_("Review conclusion"),
        choices=[(CONFIRM, _("Confirm the conclusion")), *Outcome.choices],
    )
    reason = _text(_("Reasons of the review"), rows=3)

    def outcome(self) -> str | None:
        value = self.cleaned_data["new_outcome"]
        return None if value == CONFIRM else value


# --- correction -------------------------------------------------------------------------


class RemedyForm(StyledForm):
    measure = _text(_("Measure"), rows=2)
    owner = forms.CharField(label=_("Responsible"), max_length=128)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class RemedyStatusForm(StyledForm):
    def __init__(self, *args, remedy: Remedy, **kwargs):
        super().__init__(*args, **kwargs)
        order = list(RemedyStatus.values)
        later = order[order.index(remedy.status) + 1 :]
        if remedy.status != RemedyStatus.DONE:  # only a measure that is done is verified
            later = [s for s in later if s != RemedyStatus.VERIFIED]
        self.fields["status"] = forms.ChoiceField(
            label=_("New status"), choices=[(s, RemedyStatus(s).label) for s in later]
        )
        self.fields["verification"] = _text(
            _("Verification"),
            required=False,
            rows=2,
            help_text=_("Required when the approving leader verifies the measure."),
        )
        self._style()


class ExtensionForm(StyledForm):
    def __init__(self, *args, remaining: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_days"] = forms.IntegerField(
            label=_("Working days added"),
            min_value=1,
            max_value=max(remaining, 1),
            help_text=_("At most %(days)d more working days on this deadline.")
            % {"days": remaining},
        )
        self.fields["reason"] = _text(_("Reasons"), rows=2)
        self._style()


# --- files ------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content and size before anything is
    written (the service checks again)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for upload in cleaned:
            try:
                check_attachment(read_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES))
            except UploadRejected as exc:
                raise forms.ValidationError(f"{upload.name}: {exc}") from exc
            finally:
                upload.seek(0)
        return cleaned


def _file_help():
    return _("PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx), at most %(mb)d MB each.") % {
        "mb": settings.ATTACHMENT_MAX_BYTES // 2**20
    }


class AttachmentForm(KeepsUploads, StyledForm):
    kept_fields = ("files",)

    def __init__(self, *args, kinds: Sequence[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind of material"), choices=[(k, AttachmentKind(k).label) for k in kinds]
        )
        self.fields["files"] = MultipleFileField(label=_("Files"), help_text=_file_help())
        self.fields["note"] = forms.CharField(label=_("Note"), required=False, max_length=200)
        self._style()


# --- filing -----------------------------------------------------------------------------


class FilingForm(KeepsUploads, StyledForm):
    """An application (by the cadre or the unit) or an ex officio case (by staff). The
    chosen files are kept for the retry when the form comes back with errors."""

    kept_fields = ("files",)

    title = forms.CharField(
        label=_("Accountability matter"),
        max_length=200,
        help_text=_("A short name of what happened."),
    )
    description = _text(_("What happened"), rows=4)
    occurred_on = forms.DateField(label=_("Date of the conduct"), widget=DateInput())
    action = forms.CharField(
        label=_("Accountability action taken or proposed"), required=False, max_length=200
    )
    action_by = forms.CharField(label=_("By whom"), required=False, max_length=128)
    document_ref = forms.CharField(
        label=_("Reference of the accountability document"), required=False, max_length=64
    )
    application_text = _text(
        _("Grounds of the application"),
        required=False,
        rows=5,
        help_text=_(
            "Why the matter falls under a tolerance situation: the facts, the decision "
            "procedure followed, and that no private gain was sought."
        ),
    )

    def __init__(self, *args, starts: Sequence[str], cadres: Sequence[Cadre] = (), **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        if len(starts) > 1:
            fields["started_by"] = forms.ChoiceField(
                label=_("Started"),
                choices=[(s, StartedBy(s).label) for s in starts],
                widget=forms.RadioSelect,
            )
        self.starts = list(starts)
        self.cadre_options = {str(c.pk): c for c in cadres}
        if cadres:
            fields["cadres"] = forms.TypedMultipleChoiceField(
                label=_("Cadres concerned"),
                choices=[
                    (pk, f"{c.name} · {c.unit.name} · {c.position}")
                    for pk, c in self.cadre_options.items()
                ],
                coerce=lambda pk: self.cadre_options[pk],
                widget=CadresPicker(),
                help_text=_("Type a name or its pinyin initials (zs for 张三) and choose."),
            )
        fields.update(self.fields)
        fields["files"] = MultipleFileField(
            label=_("Supporting material"), required=False, help_text=_file_help()
        )
        self.fields = fields
        self._style()

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(_("The date of the conduct cannot be in the future."))
        return occurred_on

    def started_by(self) -> str:
        return self.cleaned_data.get("started_by") or self.starts[0]
