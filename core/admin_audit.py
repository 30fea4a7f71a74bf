"""Audited admin: every save and delete through /admin/ writes AuditEvent rows.

`AuditedAdmin` is mixed into each writable ModelAdmin (tests/core/test_admin_audit.py
fails for one that is not). A change writes `<name>.update` with only the changed fields
before/after (many-to-many fields as sorted ids, inline rows as their own rows); an
addition `<name>.create` with the new values; a deletion `<name>.delete` with the old
ones, one row per object for bulk deletions. Secrets never reach the audit log (a
password shows as "changed"), ID numbers are masked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit

HIDDEN = "******"
SECRET_FIELDS = frozenset({"password"})
MASKED_FIELDS = frozenset({"national_id"})


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _mask(value: Any) -> Any:
    from .formatting import mask_id_number

    return mask_id_number(value) if isinstance(value, str) and value else value


def snapshot(obj: models.Model, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The object's own values (foreign keys as ids, many-to-many as sorted id lists)."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key or getattr(field, "auto_now", False):
            continue
        value = field.value_from_object(obj)
        if field.name in SECRET_FIELDS:
            value = HIDDEN if value else ""
        elif field.name in MASKED_FIELDS:
            value = _mask(value)
        values[field.name] = _plain(value)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name not in exclude:
                values[field.name] = sorted(
                    getattr(obj, field.name).values_list("pk", flat=True)
                )
    return values


def audit_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


VERBS = {
    "create": gettext_lazy("added in the administration"),
    "update": gettext_lazy("changed in the administration"),
    "delete": gettext_lazy("deleted in the administration"),
}


def admin_action_label(code: str) -> str:
    """"<app>.<model>.<verb>" written by AuditedAdmin, in words; "" for other codes."""
    app_label, _dot, rest = code.partition(".")
    model_name, _dot, verb = rest.partition(".")
    if verb not in VERBS:
        return ""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return ""
    return _("%(model)s %(verb)s") % {"model": model._meta.verbose_name, "verb": VERBS[verb]}


class AuditedAdmin(admin.ModelAdmin):
    """Mixin for ModelAdmin: audited saves (with inlines) and deletes."""

    audits_writes = True  # what tests/core/test_admin_audit.py asks of every writable admin
    audit_exclude: frozenset[str] = frozenset()  # fields kept out of the audit rows

    def _snapshot(self, obj):
        return snapshot(obj, exclude=self.audit_exclude)

    def _audit(self, action, request, obj, before, after):
        audit.record(
            f"{audit_name(type(obj))}.{action}",
            actor=request.user,
            obj=obj,
            before=before,
            after=after,
        )

    def save_form(self, request, form, change):
        # Inside the admin's transaction, before anything is written (a tree form moves the
        # node in its save); many-to-many fields are saved later (save_related).
        instance = form.instance
        request._audit_before = (
            self._snapshot(type(instance)._default_manager.get(pk=instance.pk))
            if change
            else None
        )
        return super().save_form(request, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = self._snapshot(obj)
        before = getattr(request, "_audit_before", None) if change else None
        if before is not None:
            before, after = audit.diff(before, after)
        if not change or after:
            self._audit("update" if change else "create", request, obj, before, after)
        self.audit_related_changes(request, obj, before or {}, after)

    def audit_related_changes(self, request, obj, before: dict, after: dict) -> None:
        """Hook: extra audit actions for some changed fields (e.g. a user's roles)."""

    def save_formset(self, request, form, formset, change):
        """Inline rows: each addition, change and deletion is its own audit row."""
        doomed = [
            (f.instance, f.instance.pk, self._snapshot(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk is not None
        ]
        old = {
            f.instance.pk: self._snapshot(type(f.instance)._default_manager.get(pk=f.instance.pk))
            for f in formset.initial_forms
            if f.instance.pk is not None and f.has_changed() and f not in formset.deleted_forms
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit("create", request, obj, None, self._snapshot(obj))
        for obj, _changed in formset.changed_objects:
            before, after = audit.diff(old.get(obj.pk, {}), self._snapshot(obj))
            self._audit("update", request, obj, before, after)
        for obj, pk, values in doomed:
            obj.pk = pk  # the deletion cleared it; the audit row names the deleted row
            self._audit("delete", request, obj, values, None)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit("delete", request, obj, self._snapshot(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
