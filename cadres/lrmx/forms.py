"""The .lrmx import form: the file and where new cadres go. It parses input only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import ManagementLevel, PostType, Rank
from ..forms import BootstrapMixin, UnitChoiceField
from ..models import Unit
from ..permissions import may_place_cadre, writable_units
from .importing import Placement


class LrmxImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Appointment form file (.lrmx) or a zip of them"),
        widget=forms.ClearableFileInput(attrs={"accept": ".lrmx,.zip,application/zip"}),
    )
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Unit for new cadres"))
    management_level = forms.ChoiceField(
        label=_("Management level"), choices=ManagementLevel.choices
    )
    rank = forms.TypedChoiceField(label=_("Rank of new cadres"), choices=Rank.choices, coerce=int)
    post_type = forms.ChoiceField(
        label=_("Post type of new cadres"), choices=PostType.choices, initial=PostType.LEADERSHIP
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = writable_units(user)

    def clean(self):
        data = super().clean()
        unit, level = data.get("unit"), data.get("management_level")
        if unit and level and not may_place_cadre(self.user, unit=unit, management_level=level):
            self.add_error(
                "unit", _("You may not add cadres of this management level to this unit.")
            )
        return data

    def placement(self) -> Placement:
        data = self.cleaned_data
        return Placement(
            unit=data["unit"],
            management_level=data["management_level"],
            rank=data["rank"],
            post_type=data["post_type"],
        )
