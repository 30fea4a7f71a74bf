"""Forms of the cadre pages. They only parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator, fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from core.pickers import PickerSelect, UnitPicker

from .enums import ETHNICITIES, MoveType, PostType, Rank
from .models import Cadre, Unit
from .queries import unit_choices
from .rules import normalize_id_number

EDIT_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "native_place",
    "party_join_date",
    "work_start_date",
    "education",
    "position",
    "post_type",
    "management_level",
    "status",
)
DATE_FIELDS = ("birth_date", "party_join_date", "work_start_date")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs; mark fields with errors invalid."""

    def style_widgets(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self.style_widgets()


class UnitTreeIterator(ModelChoiceIterator):
    """Units in tree order with names indented by depth, read in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from unit_choices(self.queryset)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen by type-ahead (core.pickers): the select holds the chosen unit only."""

    iterator = UnitTreeIterator
    widget = UnitPicker


class CadreEditForm(BootstrapMixin, forms.Form):
    """Correct a cadre's record. Moves (unit, rank) have their own form."""

    def __init__(self, *args, cadre: Cadre, **kwargs):
        kwargs.setdefault("initial", model_to_dict(cadre, fields=EDIT_FIELDS))
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        fields = fields_for_model(
            Cadre, fields=EDIT_FIELDS, widgets={name: DateInput() for name in DATE_FIELDS}
        )
        fields["name"].label = _("Name")  # the model's "name" also names units and lists
        ethnicities = list(ETHNICITIES)
        if cadre.ethnicity and cadre.ethnicity not in ethnicities:
            ethnicities.append(cadre.ethnicity)
        fields["ethnicity"] = forms.ChoiceField(
            label=fields["ethnicity"].label,
            choices=[(e, e) for e in ethnicities],
            widget=PickerSelect(),  # the 56 ethnic groups, with type-ahead
        )
        fields["national_id"] = forms.CharField(
            label=_("New national ID number"),
            required=False,
            max_length=18,
            help_text=_("Leave empty to keep the current number (%(masked)s).")
            % {"masked": cadre.masked_national_id},
        )
        fields["reason"] = forms.CharField(
            label=_("Reason for the change"),
            widget=forms.Textarea(attrs={"rows": 2}),
            max_length=500,
        )
        self.fields.update(fields)
        self.style_widgets()

    def clean_national_id(self) -> str:
        return normalize_id_number(self.cleaned_data["national_id"])

    def changes(self) -> dict[str, Any]:
        """Only the fields whose value differs from the cadre's current one."""
        changes = {
            name: self.cleaned_data[name]
            for name in EDIT_FIELDS
            if self.cleaned_data[name] != getattr(self.cadre, name)
        }
        new_id = self.cleaned_data["national_id"]
        if new_id and new_id != self.cadre.national_id:
            changes["national_id"] = new_id
        return changes


class CadreMoveForm(BootstrapMixin, forms.Form):
    """Record a move: promotion, transfer, demotion, retirement..."""

    move = forms.ChoiceField(
        label=_("Type of move"),
        choices=[(v, label) for v, label in MoveType.choices if v != MoveType.APPOINTED],
    )
    on = forms.DateField(label=_("Effective date"), widget=DateInput())
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Position"), max_length=128)
    rank = forms.TypedChoiceField(label=_("Rank"), choices=Rank.choices, coerce=int)
    post_type = forms.ChoiceField(
        label=_("Post type"),
        choices=[("", _("Unchanged")), *PostType.choices],
        required=False,
    )
    document_ref = forms.CharField(
        label=_("Document reference"),
        max_length=64,
        required=False,
        help_text=_("The appointment or removal document number, e.g. 甲组干〔2024〕12号."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )

    def __init__(self, *args, cadre: Cadre, units, **kwargs):
        kwargs.setdefault(
            "initial",
            {"unit": cadre.unit_id, "title": cadre.position, "rank": cadre.rank},
        )
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            label=_("Unit"), queryset=units, empty_label=_("Choose a unit")
        )
        self.style_widgets()
