"""Entry forms for Guanyun tracking and feedback: monthly reports, feedback records,
quarterly check-ups (header; the 5 × 5 rating grid is read by checkup_views) and the
resolution of a warning."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..enums import CheckupSource, Dimension, FeedbackTier, Rating
from ..models import MonthlyReport
from ..permissions import (
    checkup_cadres,
    evidence_writable_units,
    feedback_cadres,
    monthly_report_cadres,
)
from ..rules import CheckupInput
from ..services.tracking import (
    checkup_record,
    feedback_record,
    feedback_update,
    monthly_report_save,
    warning_resolve,
)
from .base import DATE, CadreChoice, EntryForm, UnitChoice, year_field


def _cadres(queryset):
    return queryset.select_related("unit").order_by("unit__path", "name", "pk")


class MonthlyForm(EntryForm):
    fixed_on_edit = ("cadre", "month")
    cadre = CadreChoice(label=_("Cadre"), queryset=None)
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    items_done = forms.CharField(
        label=_("Items done this month (one per line, with figures)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    plan_next = forms.CharField(
        label=_("Plan for next month"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    discussed_on = forms.DateField(label=_("Discussed by the team on"), required=False, widget=DATE)
    signed_by = forms.CharField(
        label=_("Signed off by the principal"), required=False, max_length=64
    )
    published_on = forms.DateField(label=_("Published in the unit on"), required=False, widget=DATE)

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["cadre"].queryset = _cadres(monthly_report_cadres(user))

    def clean(self):
        data = super().clean()
        cadre, month = data.get("cadre"), data.get("month")
        if self.instance is None and cadre is not None and month is not None:
            if MonthlyReport.objects.filter(cadre=cadre, month=month.replace(day=1)).exists():
                raise forms.ValidationError(
                    gettext("%(name)s's report for %(month)s exists; open it to change it.")
                    % {"name": cadre.name, "month": month.strftime("%Y-%m")}
                )
        return data

    def save(self, actor):
        d = dict(self.cleaned_data)
        cadre, month = d.pop("cadre"), d.pop("month")
        return monthly_report_save(cadre, actor=actor, month=month, **d)


class FeedbackForm(EntryForm):
    year = year_field(_("Assessment year"))
    tier = forms.ChoiceField(label=_("Tier"), choices=FeedbackTier.choices)
    given_by = forms.CharField(label=_("Given by"), max_length=128)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    to_unit = UnitChoice(
        label=_("To the team of"),
        queryset=None,
        required=False,
        help_text=_("The leadership team's unit, the cadre, or both."),
    )
    to_cadre = CadreChoice(label=_("To cadre"), queryset=None, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["to_unit"].queryset = evidence_writable_units(user).order_by("path")
        self.fields["to_cadre"].queryset = _cadres(feedback_cadres(user))

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("to_unit") is None and data.get("to_cadre") is None:
            raise forms.ValidationError(gettext("Give the team's unit or the cadre, or both."))
        return data

    def save(self, actor):
        if self.instance is not None:
            return feedback_update(self.instance, actor=actor, **self.cleaned_data)
        return feedback_record(actor=actor, **self.cleaned_data)


RATING_CHOICES = [("", "—"), *Rating.choices]


class CheckupForm(EntryForm):
    """The check-up's header plus one rating (and note) per source and dimension, as
    fields named rating-<source>-<dimension> and note-<source>-<dimension>."""

    cadre = CadreChoice(label=_("Cadre"), queryset=None)
    year = year_field()
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )
    held_on = forms.DateField(label=_("Check-up held on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["cadre"].queryset = _cadres(checkup_cadres(user))
        for source in CheckupSource.values:
            for dimension in Dimension.values:
                self.fields[f"rating-{source}-{dimension}"] = forms.ChoiceField(
                    choices=RATING_CHOICES,
                    required=False,
                    initial=Rating.OK,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                self.fields[f"note-{source}-{dimension}"] = forms.CharField(
                    max_length=300,
                    required=False,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )

    def grid(self):
        """Rows of (source label, [(dimension, rating field, note field)]) for the template."""
        return [
            (
                label,
                [
                    (self[f"rating-{source}-{dim}"], self[f"note-{source}-{dim}"])
                    for dim in Dimension.values
                ],
            )
            for source, label in CheckupSource.choices
        ]

    def inputs(self) -> list[CheckupInput]:
        d = self.cleaned_data
        return [
            CheckupInput(source, dim, d[f"rating-{source}-{dim}"], d[f"note-{source}-{dim}"])
            for source in CheckupSource.values
            for dim in Dimension.values
            if d.get(f"rating-{source}-{dim}")
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.inputs():
            raise forms.ValidationError(gettext("Record at least one rating."))
        return data

    def save(self, actor):
        d = self.cleaned_data
        checkup, _findings, _warnings = checkup_record(
            d["cadre"],
            actor=actor,
            year=d["year"],
            quarter=d["quarter"],
            held_on=d["held_on"],
            inputs=self.inputs(),
        )
        return checkup


class ResolveForm(EntryForm):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DATE, initial=timezone.localdate)
    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def initial_from(self, instance) -> dict:
        return {}

    def save(self, actor):
        d = self.cleaned_data
        return warning_resolve(
            self.instance, actor=actor, resolved_on=d["resolved_on"], resolution=d["resolution"]
        )
