"""The exceptional-promotion request form. It only shapes input; the service validates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.enums import Rank
from promotions.grounds.forms import INPUT, SELECT, TEXTAREA


class ExceptionalRequestForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Exceptional situation"),
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Choose the situation that applies."),
            "invalid_choice": _("Choose one of the situations of the policy in force."),
        },
    )
    target_title = forms.CharField(
        label=_("Target post"),
        max_length=128,
        widget=forms.TextInput(attrs=INPUT),
        error_messages={"required": _("Give the target post.")},
    )
    target_rank = forms.TypedChoiceField(
        label=_("Target rank"),
        coerce=int,
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Choose the target rank."),
            "invalid_choice": _("The target rank must be above the cadre's current rank."),
        },
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=TEXTAREA,
        max_length=5000,
        help_text=_("The results and the public standing that justify promoting out of turn."),
        error_messages={"required": _("Give the reasons for the exceptional promotion.")},
    )

    def __init__(self, *args, situations, current_rank: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = [("", "—"), *situations]
        self.fields["target_rank"].choices = [("", "—")] + [
            (value, label) for value, label in Rank.choices if value > current_rank
        ]
