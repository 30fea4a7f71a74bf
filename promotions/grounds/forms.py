"""Forms for staff-proposed adjustments on Jinan's grounds, and the widgets and service-error
helper that the exceptional-request form shares.

Forms only shape input; the services (promotions.grounds.services,
promotions.exceptional.services) decide and report field errors, which the views put back
on these forms.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXTAREA = forms.Textarea(attrs={"rows": 5, "class": "form-control"})
INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class GroundProposalForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"),
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Choose the ground of the proposal."),
            "invalid_choice": _("Choose one of the grounds of the policy in force."),
        },
    )
    year = forms.IntegerField(
        label=_("Year of the facts"),
        widget=forms.NumberInput(attrs=INPUT),
        error_messages={
            "required": _("Give the year of the facts."),
            "invalid": _("Give the year as a whole number."),
        },
    )
    facts = forms.CharField(
        label=_("Facts"),
        widget=TEXTAREA,
        max_length=5000,
        help_text=_("What the cadre did or failed to do, when, and with what consequence."),
        error_messages={"required": _("Describe the facts behind the proposal.")},
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=TEXTAREA,
        max_length=5000,
        help_text=_("One item per line: assessments, reports, talks, documents."),
        error_messages={"required": _("List the evidence the proposal rests on.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [("", "—"), *choices]
        self.fields["year"].initial = timezone.localdate().year


def show_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's field → message errors on the form's fields (others on top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
