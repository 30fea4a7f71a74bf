"""Admin helpers shared by the policy tables: the action form that names a jurisdiction to
copy a policy to (an administrator starts one jurisdiction's measure from another's)."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from .policies import UNIT_MODEL


class JurisdictionActionForm(ActionForm):
    jurisdiction_code = forms.CharField(
        label=_("to the jurisdiction (unit code)"),
        required=False,
        max_length=32,
        help_text=_("Blank: the same jurisdiction."),
    )


def jurisdiction_named(code: str) -> tuple[str, str] | None:
    """(code, unit name) of a unit code; None when no unit has it."""
    name = apps.get_model(UNIT_MODEL).objects.filter(code=code).values_list("name", flat=True)
    found = name.first()
    return (code, found) if found is not None else None
