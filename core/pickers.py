"""Type-ahead pickers: a select that renders only the chosen options and asks the server
for the rest as the person types (Tom Select, served from static/vendor/tom-select).

A form keeps its field (a ModelChoiceField, a ChoiceField ...) and its validation; only the
widget changes. `kind` names the endpoint (workbench.pickers) that answers within the
person's jurisdiction; "local" keeps every option in the page (short lists, such as the
clauses of a policy) and only adds the type-ahead and the chips.
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LOCAL = "local"


class PickerMixin:
    kind = LOCAL

    def __init__(self, kind: str = LOCAL, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.kind = kind

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        attrs["data-picker"] = (
            LOCAL if self.kind == LOCAL else reverse("workbench:pick", args=[self.kind])
        )
        attrs.setdefault("data-placeholder", str(_("Type to search")))
        if "form-select" not in attrs.get("class", ""):
            attrs["class"] = "form-select"
        return super().get_context(name, value, attrs)

    def _chosen(self, value) -> list:
        """The choices to render: the chosen ones (and the empty one of a single select)."""
        wanted = {str(v) for v in value if v not in (None, "")}
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            kept = []
            if field.empty_label is not None and not self.allow_multiple_selected:
                kept.append(("", field.empty_label))
            key = field.to_field_name or "pk"
            if wanted:
                try:
                    rows = field.queryset.filter(**{f"{key}__in": list(wanted)})
                    kept += [
                        (ModelChoiceIteratorValue(field.prepare_value(o), o),
                         field.label_from_instance(o))
                        for o in rows
                    ]
                except (ValueError, TypeError):
                    pass  # a value that is not a key: nothing to show, the form says why
            return kept
        kept = []
        for option_value, label in choices:
            if isinstance(label, list | tuple):  # an optgroup
                kept += [(v, lab) for v, lab in label if str(v) in wanted]
            elif option_value in ("", None) or str(option_value) in wanted:
                kept.append((option_value, label))
        return kept

    def optgroups(self, name, value, attrs=None):
        if self.kind == LOCAL:
            return super().optgroups(name, value, attrs)
        original = self.choices
        self.choices = self._chosen(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original


class PickerSelect(PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(PickerMixin, forms.SelectMultiple):
    pass


class CadrePicker(PickerSelect):
    def __init__(self, attrs=None, choices=()):
        super().__init__("cadres", attrs, choices)


class CadresPicker(PickerSelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__("cadres", attrs, choices)


class UnitPicker(PickerSelect):
    def __init__(self, attrs=None, choices=()):
        super().__init__("units", attrs, choices)


class ChipsSelectMultiple(PickerSelectMultiple):
    """A multiple select of a short, fixed list (the clauses of a policy), as chips."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(LOCAL, attrs, choices)
