"""`get_FOO_display` without lazy-translation work per row.

Django's `Model._get_FIELD_display` builds a dict of the field's choices on every call,
hashing each lazy translation proxy (one gettext per choice), so a 50-row list showing
three choice fields paid ~1,500 gettext calls. Here the labels of a field are translated
once per language and kept; the result is the same string Django returns. Fields whose
choices are computed at run time (a callable) keep Django's own path.
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_labels: dict[tuple[int, str | None], dict] = {}
_django_display = Model._get_FIELD_display


def labels(field) -> dict:
    """{value: translated label} of a field with fixed choices, in the active language."""
    key = (id(field), get_language())
    found = _labels.get(key)
    if found is None:
        found = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
        _labels[key] = found
    return found


def get_field_display(self, field):
    if isinstance(field.choices, CallableChoiceIterator):
        return _django_display(self, field)
    value = getattr(self, field.attname)
    found = labels(field).get(make_hashable(value), None)
    if found is None:
        return force_str(value, strings_only=True)
    return found


def install() -> None:
    """Called from CoreConfig.ready(): every model's generated get_FOO_display (those a model
    defines itself are left alone)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if isinstance(current, partialmethod) and current.func is _django_display:
                setattr(model, name, partialmethod(get_field_display, field=field))
