"""Forms of the incentives pages. They only shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cadres.models import Cadre
from core.pickers import UnitPicker

from .access import commendable_cadres, staff_units
from .enums import CommendationKind, Subject


class CommendationForm(forms.Form):
    subject = forms.ChoiceField(label=_("Commended"), choices=Subject.choices)
    cadre = forms.IntegerField(widget=forms.HiddenInput, required=False)
    national_id = forms.CharField(
        label=_("Cadre's national ID number"),
        max_length=18,
        required=False,
        help_text=_("For a cadre: the 18-character ID number (or open the form from the profile)."),
    )
    unit = forms.ModelChoiceField(
        label=_("Team's unit"), queryset=None, required=False, empty_label="—", widget=UnitPicker
    )
    team_name = forms.CharField(label=_("Team"), max_length=128, required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("incentives", "Kind"), choices=CommendationKind.choices
    )
    year = forms.IntegerField(label=_("Year"))
    granted_on = forms.DateField(
        label=_("Granted on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    granted_by = forms.CharField(label=_("Granting authority"), max_length=128)
    document_ref = forms.CharField(
        label=pgettext_lazy("incentives", "Document reference"), max_length=64, required=False
    )
    citation = forms.CharField(label=_("Citation"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = staff_units(user, write=True).order_by("path")
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year
        for name, field in self.fields.items():
            if name == "cadre":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        data["person"] = None
        if data.get("subject") != Subject.CADRE:
            return data
        found = commendable_cadres(self.user)
        if data.get("cadre"):
            person = found.filter(pk=data["cadre"]).first()
        elif data.get("national_id"):
            person = found.filter(national_id=data["national_id"].strip().upper()).first()
        else:
            person = None
        if person is None:
            self.add_error("national_id", _("No cadre with this ID number in your jurisdiction."))
        data["person"] = person
        return data


def cadre_of_form(user, pk) -> Cadre | None:
    """The cadre a form was opened for (from the profile), when the user may commend them."""
    if not str(pk or "").isdigit():
        return None
    return commendable_cadres(user).select_related("unit").filter(pk=int(pk)).first()
