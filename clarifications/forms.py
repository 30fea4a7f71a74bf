"""Forms of the clarification pages; the services validate again and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from cadres.models import Authority, Cadre, Unit
from cadres.permissions import readable_units, visible_cadres
from core.pickers import CadrePicker, UnitPicker
from tolerance.models import AccountabilityMatter

from .enums import Channel, ClarificationMethod, PetitionOutcome, RiskLevel


def _(text: str):
    return pgettext_lazy("clarifications", text)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    """Bootstrap classes on every input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")


class PetitionForm(StyledForm):
    authority = forms.ModelChoiceField(Authority.objects.none(), label=_("handling authority"))
    received_on = forms.DateField(label=_("received on"), widget=DATE)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    cadre = forms.ModelChoiceField(
        Cadre.objects.none(),
        label=_("cadre reported on"),
        required=False,
        widget=CadrePicker,
    )
    unit = forms.ModelChoiceField(
        Unit.objects.none(), label=_("unit reported on"), required=False, widget=UnitPicker
    )
    matter = forms.ModelChoiceField(
        AccountabilityMatter.objects.all(), label=_("related accountability matter"), required=False
    )
    allegations = forms.CharField(label=_("allegations"), widget=forms.Textarea(attrs={"rows": 4}))
    anonymous = forms.BooleanField(label=_("anonymous report"), required=False)
    informant_name = forms.CharField(label=_("informant's name"), max_length=64, required=False)
    informant_contact = forms.CharField(
        label=_("informant's contact"), max_length=128, required=False
    )

    def __init__(self, *args, user, authority_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(pk__in=authority_ids)
        self.fields["cadre"].queryset = visible_cadres(user).select_related("unit").order_by("name")
        self.fields["unit"].queryset = readable_units(user).order_by("path")


class VerificationForm(StyledForm):
    explanation_heard_on = forms.DateField(
        label=_("explanation heard on"), widget=DATE, required=False
    )
    explanation = forms.CharField(
        label=_("the cadre's explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    opinions = forms.CharField(
        label=_("opinions gathered"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    findings = forms.CharField(
        label=_("verification findings"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ConclusionForm(StyledForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=PetitionOutcome.choices)
    concluded_on = forms.DateField(label=_("concluded on"), widget=DATE)
    reason = forms.CharField(
        label=_("reasons for the outcome"), widget=forms.Textarea(attrs={"rows": 3})
    )
    referred_to = forms.CharField(label=_("referred to"), max_length=128, required=False)


class AccuserResultForm(StyledForm):
    recorded_on = forms.DateField(label=_("accuser result recorded on"), widget=DATE)
    result = forms.CharField(
        label=_("result of the inquiry into the accuser"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClarificationForm(StyledForm):
    method = forms.ChoiceField(label=_("clarification method"), choices=ClarificationMethod.choices)
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    scope = forms.CharField(label=_("scope"), max_length=200)
    attendees = forms.CharField(
        label=_("attendees"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    content = forms.CharField(
        label=_("what was clarified"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FilingForm(StyledForm):
    authority = forms.ModelChoiceField(Authority.objects.none(), label=_("registering authority"))
    unit = forms.ModelChoiceField(
        Unit.objects.none(), label=_("unit carrying out the measure"), widget=UnitPicker
    )
    measure = forms.CharField(label=_("reform measure"), max_length=200)
    description = forms.CharField(
        label=_("description of the measure"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    risk_level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices)
    risk_assessment = forms.CharField(
        label=_("risk assessment"), widget=forms.Textarea(attrs={"rows": 3})
    )
    argument = forms.CharField(
        label=_("argument (feasibility study)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    argued_on = forms.DateField(label=_("argued on"), widget=DATE)
    filed_on = forms.DateField(label=_("filed on"), widget=DATE)
    approving_body = forms.CharField(label=_("approving body"), max_length=128)
    filing_ref = forms.CharField(label=_("filing reference"), max_length=64, required=False)

    def __init__(self, *args, user, authority_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(pk__in=authority_ids)
        self.fields["unit"].queryset = readable_units(user).order_by("path")


class CiteForm(StyledForm):
    case = forms.IntegerField(label=_("tolerance case number"), min_value=1)
