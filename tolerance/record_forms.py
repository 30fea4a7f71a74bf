"""Forms that record what happened off-line: the committee meeting and its conclusion, the
delivery of the conclusion, the date an application was received. They parse input and
check what a person can correct at once (dates in the future, a meeting below quorum, a
departure without its reason); the services check again and decide.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.kept_uploads import KeepsUploads
from core.models import User
from core.pickers import ChipsSelectMultiple
from core.uploads import UploadRejected, check_attachment, read_upload

from .enums import Advice, Outcome
from .forms import DateInput, StyledForm, UserChoiceField, _file_help, _text
from .models import CaseCadre, DeliveryMethod, Meeting
from .policy_types import Policy
from .rules import DeliberationRules, departs_from_advice, quorum_check

SEAT_PRESENT, SEAT_ABSENT = "present", "absent"


def _no_future(value, message):
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class MeetingForm(StyledForm):
    """A committee meeting: its real date, who of the authority's roster was present (the
    others were absent), each present member's vote on each cadre with an opinion.

    A meeting below the policy's quorum is refused here, naming the quorum (the service
    checks again)."""

    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    location = forms.CharField(label=_("Place"), required=False, max_length=128)

    def __init__(
        self,
        *args,
        roster: Sequence[User],
        entries: Sequence[CaseCadre],
        rules: DeliberationRules,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.members = list(roster)
        self.entries = list(entries)
        self.rules = rules
        self.fields["chair"] = UserChoiceField(users=roster, label=_("Chair"), required=False)
        for user in self.members:
            self.fields[f"seat_{user.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(member)s") % {"member": user},
                choices=[
                    ("", _("Choose")),
                    (SEAT_PRESENT, _("Present")),
                    (SEAT_ABSENT, _("Absent")),
                ],
                widget=forms.Select(attrs={"style": "min-width: 6.5rem"}),  # narrow screens
            )
            for entry in self.entries:
                self.fields[f"vote_{entry.pk}_{user.pk}"] = forms.ChoiceField(
                    label=_("Vote of %(member)s on %(cadre)s")
                    % {"member": user, "cadre": entry.cadre.name},
                    required=False,
                    choices=[("", _("No vote")), *Outcome.choices],
                    widget=forms.Select(attrs={"style": "min-width: 8rem"}),
                )
                self.fields[f"opinion_{entry.pk}_{user.pk}"] = forms.CharField(
                    label=_("Opinion"),
                    required=False,
                    widget=forms.TextInput(attrs={"style": "min-width: 8rem"}),
                )
        self.fields["minutes"] = _text(_("Minutes"), required=False, rows=4)
        self._style()

    @property
    def quorum_text(self) -> str:
        from .deliberation import quorum_words

        return _("Quorum: %(rule)s, at least %(required)d of the %(members)d on the roster.") % {
            "rule": quorum_words(self.rules),
            "required": self.rules.required_present(max(len(self.members), 1)),
            "members": len(self.members),
        }

    def clean_held_on(self):
        return _no_future(
            self.cleaned_data["held_on"], _("The meeting date cannot be in the future.")
        )

    def clean(self):
        from .deliberation import quorum_refusal

        data = super().clean()
        seats = [data.get(f"seat_{user.pk}") for user in self.members]
        if self.members and all(seats):
            present = sum(seat == SEAT_PRESENT for seat in seats)
            check = quorum_check(len(self.members), present, self.rules)
            if not check.quorate:
                raise forms.ValidationError(quorum_refusal(check, self.rules), code="quorum")
        for user, seat in zip(self.members, seats, strict=True):
            for entry in self.entries:
                name = f"vote_{entry.pk}_{user.pk}"
                if seat == SEAT_ABSENT and data.get(name):
                    self.add_error(name, _("Only members present vote."))
        return data

    def rows(self):
        """(member, seat field, [(entry, vote field, opinion field)]) for the template."""
        return [
            (
                user,
                self[f"seat_{user.pk}"],
                [
                    (
                        entry,
                        self[f"vote_{entry.pk}_{user.pk}"],
                        self[f"opinion_{entry.pk}_{user.pk}"],
                    )
                    for entry in self.entries
                ],
            )
            for user in self.members
        ]

    def values(self) -> dict:
        """Keyword arguments for tolerance.deliberation.meeting_record."""
        data = self.cleaned_data
        present, votes = [], []
        for user in self.members:
            if data[f"seat_{user.pk}"] != SEAT_PRESENT:
                continue
            present.append(user)
            for entry in self.entries:
                outcome = data[f"vote_{entry.pk}_{user.pk}"]
                if outcome:
                    votes.append((entry, user, outcome, data[f"opinion_{entry.pk}_{user.pk}"]))
        return {
            "held_on": data["held_on"],
            "location": data["location"],
            "chair": data["chair"],
            "minutes": data["minutes"],
            "present": present,
            "votes": votes,
        }


class DecideForm(StyledForm):
    """The committee's conclusion on one cadre. No outcome is chosen beforehand; one that
    departs from the rules advice needs the reason for the departure."""

    def __init__(
        self, *args, meetings: Sequence[Meeting], policy: Policy, advice: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.advice = advice
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["outcome"] = forms.ChoiceField(
            label=_("Conclusion"),
            choices=Outcome.choices,
            widget=forms.RadioSelect,
            help_text=(_("Rules advice: %(advice)s.") % {"advice": Advice(advice).label})
            if advice in Advice.values
            else "",
        )
        self.fields["meeting"] = forms.TypedChoiceField(
            label=_("Adopted at the meeting of"),
            choices=[(pk, m.held_on.isoformat()) for pk, m in reversed(self.meetings.items())],
            coerce=lambda pk: self.meetings[pk],
        )
        self.fields["reason"] = _text(
            _("Reasons"),
            rows=3,
            help_text=_("Tie the reasons to the findings."),
        )
        self.fields["departure_reason"] = _text(
            _("Reason for departing from the rules advice"),
            required=False,
            rows=2,
            help_text=_(
                "Required when the conclusion differs from the rules advice; it is "
                "shown on the case page and in the ruling's reasons."
            ),
        )
        clauses = [
            *((s.code, f"{s.code} {s.text}") for s in policy.situations),
            *((d.code, f"{d.code} {d.tolerable}") for d in policy.distinctions),
            *((c.code, f"{c.code} {c.text}") for c in policy.conditions),
            *((x.code, f"{x.code} {x.text}") for x in policy.exclusions),
        ]
        self.fields["relied_on"] = forms.MultipleChoiceField(
            label=_("Clauses relied on"),
            required=False,
            choices=clauses,
            help_text=_("Leave empty to cite the clauses behind the rules summary."),
            widget=ChipsSelectMultiple(),
        )
        self._style()

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if (
            outcome
            and self.advice in Advice.values
            and departs_from_advice(self.advice, outcome)
            and not (data.get("departure_reason") or "").strip()
        ):
            self.add_error(
                "departure_reason",
                _(
                    "This conclusion departs from the rules advice (%(advice)s): give the reason "
                    "for the departure."
                )
                % {"advice": Advice(self.advice).label},
            )
        return data


# --- delivery and paper dates -------------------------------------------------------------


class DeliveryForm(KeepsUploads, StyledForm):
    """How and when the conclusion was delivered, and the signed receipt if there is one
    (kept for the retry when the form comes back with errors)."""

    kept_fields = ("receipt",)

    method = forms.ChoiceField(
        label=_("Method of delivery"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    delivered_on = forms.DateField(
        label=_("Date of delivery"),
        widget=DateInput(),
        help_text=_(
            "The day the person concerned received it; the appeal window counts from this day."
        ),
    )
    receipt = forms.FileField(label=_("Signed receipt (送达回证)"), required=False)
    reason = _text(_("Remarks"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].help_text = _file_help()

    def clean_delivered_on(self):
        return _no_future(
            self.cleaned_data["delivered_on"], _("The date of delivery cannot be in the future.")
        )

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if upload:
            try:
                check_attachment(read_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES))
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
            finally:
                upload.seek(0)
        return upload


class ReceiptForm(StyledForm):
    received_on = forms.DateField(
        label=_("Date of receipt"),
        widget=DateInput(),
        help_text=_(
            "The day the paper application reached the authority; the acceptance "
            "deadline counts from it."
        ),
    )

    def clean_received_on(self):
        return _no_future(
            self.cleaned_data["received_on"], _("The date of receipt cannot be in the future.")
        )
