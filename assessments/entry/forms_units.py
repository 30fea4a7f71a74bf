"""Entry forms for unit-level evidence: team and target grades, poverty targets,
paired competitions (county ranks are entered as a whole group: rank_views)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadres.enums import UnitKind
from cadres.models import ComparisonCategory

from ..enums import TargetGrade, TeamGrade
from ..models import PovertyTarget, TargetAssessment, TeamAssessment
from ..permissions import evidence_writable_units
from ..services.evidence import TARGET_KINDS, poverty_set, target_grade_set, team_grade_set
from ..services.tracking import competition_record, competition_update
from .base import EntryForm, UnitChoice, year_field


class UnitYearForm(EntryForm):
    """One row per unit and year; adding one that exists is refused (edit it instead)."""

    model = None
    unit_kinds: Q = Q()
    fixed_on_edit = ("unit", "year")

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["unit"].queryset = (
            evidence_writable_units(user).filter(self.unit_kinds).order_by("path")
        )

    def clean(self):
        data = super().clean()
        unit, year = data.get("unit"), data.get("year")
        if self.instance is None and unit is not None and year is not None:
            if self.model.objects.filter(unit=unit, year=year).exists():
                raise forms.ValidationError(
                    gettext("%(unit)s already has a record for %(year)d; open it to change it.")
                    % {"unit": unit.name, "year": year}
                )
        return data


class TeamForm(UnitYearForm):
    model = TeamAssessment
    unit_kinds = ~Q(kind=UnitKind.VILLAGE)
    unit = UnitChoice(label=_("Unit"), queryset=None)
    year = year_field()
    grade = forms.ChoiceField(label=_("Team grade"), choices=TeamGrade.choices)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def save(self, actor):
        d = self.cleaned_data
        return team_grade_set(
            d["unit"], actor=actor, year=d["year"], grade=d["grade"], comments=d["comments"]
        )


class TargetForm(UnitYearForm):
    model = TargetAssessment
    unit_kinds = Q(kind__in=[*TARGET_KINDS, UnitKind.DEPARTMENT])
    unit = UnitChoice(
        label=_("Unit"),
        queryset=None,
        help_text=_("Cities, counties and districts, and provincial departments."),
    )
    year = year_field()
    grade = forms.ChoiceField(label=_("Target-responsibility grade"), choices=TargetGrade.choices)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def save(self, actor):
        d = self.cleaned_data
        return target_grade_set(
            d["unit"], actor=actor, year=d["year"], grade=d["grade"], comments=d["comments"]
        )


class PovertyForm(UnitYearForm):
    model = PovertyTarget
    unit_kinds = Q(kind__in=TARGET_KINDS)
    unit = UnitChoice(label=_("City or county"), queryset=None)
    year = year_field()
    target = forms.IntegerField(label=_("Reduction target (persons)"), min_value=0)
    achieved = forms.IntegerField(
        label=_("Reduction achieved (persons)"),
        min_value=0,
        required=False,
        help_text=_("Leave empty until the result is in; met or not is computed."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def save(self, actor):
        d = self.cleaned_data
        return poverty_set(
            d["unit"],
            actor=actor,
            year=d["year"],
            target=d["target"],
            achieved=d["achieved"],
            note=d["note"],
        )


class CompetitionForm(EntryForm):
    fixed_on_edit = ("category", "year", "unit_a", "unit_b")
    category = forms.ModelChoiceField(
        label=_("Comparison category"), queryset=ComparisonCategory.objects.order_by("name")
    )
    year = year_field()
    topic = forms.CharField(label=_("Topic"), max_length=128)
    unit_a = UnitChoice(label=_("Unit A"), queryset=None)
    score_a = forms.DecimalField(label=_("Score A"), max_digits=6, decimal_places=2, required=False)
    unit_b = UnitChoice(label=_("Unit B"), queryset=None)
    score_b = forms.DecimalField(label=_("Score B"), max_digits=6, decimal_places=2, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        units = evidence_writable_units(user).filter(category__isnull=False).order_by("path")
        self.fields["unit_a"].queryset = units
        self.fields["unit_b"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("unit_a") is not None and data.get("unit_a") == data.get("unit_b"):
            self.add_error("unit_b", gettext("Choose two different units."))
        return data

    def save(self, actor):
        d = self.cleaned_data
        if self.instance is not None:
            return competition_update(
                self.instance,
                actor=actor,
                topic=d["topic"],
                score_a=d["score_a"],
                score_b=d["score_b"],
                note=d["note"],
            )
        return competition_record(actor=actor, **d)
