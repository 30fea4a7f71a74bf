"""Shared pieces of the entry forms: Bootstrap widgets, service errors onto the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Unit
from core.pickers import CadrePicker, UnitPicker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def year_field(label=None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("Year"),
        min_value=1990,
        max_value=2100,
        initial=lambda: timezone.localdate().year - 1,
    )


class UnitChoice(forms.ModelChoiceField):
    widget = UnitPicker

    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.code}）" if obj.code else obj.name


class CadreChoice(forms.ModelChoiceField):
    widget = CadrePicker

    def label_from_instance(self, obj: Cadre) -> str:
        return f"{obj.name}（{obj.pk}）· {obj.unit.name}"


class EntryForm(forms.Form):
    """A form whose save(actor), defined by each subclass, calls one service; `instance`
    is the row being edited (None when adding). Fields named in `fixed_on_edit` cannot
    change once recorded."""

    fixed_on_edit: tuple[str, ...] = ()

    def __init__(self, user, *args, instance=None, **kwargs):
        self.user, self.instance = user, instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        if instance is not None:
            for name in self.fixed_on_edit:
                self.fields[name].disabled = True
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def initial_from(self, instance) -> dict:
        return {name: getattr(instance, name, None) for name in self.base_fields}

    def save_or_errors(self, actor):
        """The saved object, or None with the service's refusal on the form."""
        try:
            return self.save(actor)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, messages in exc.message_dict.items():
                    target = name if name in self.fields else None
                    for message in messages:
                        self.add_error(target, message)
            else:
                for message in exc.messages:
                    self.add_error(None, message)
        return None
