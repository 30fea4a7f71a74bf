"""Writing audit rows: the one function every service calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .middleware import current_ip
from .models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    authority_id: int | None = None,
) -> AuditEvent:
    """Append one audit row. Call it inside the service's transaction."""
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_repr=str(actor) if actor is not None else "system",
        action=action,
        reason=reason,
        before=before,
        after=after,
        ip=current_ip(),
        authority_id=authority_id,
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    event.save()
    return event


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values changed, as (before, after)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def record_many(
    action: str,
    *,
    actor: User | None,
    entries: list[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
    reason: str = "",
    authority_ids: Sequence[int | None] | None = None,
) -> list[AuditEvent]:
    """Append one row per (object, before, after) in a single INSERT (bulk exports/imports).

    `authority_ids`, when given, holds each entry's authority, in the order of `entries`.
    """
    if authority_ids is None:
        authority_ids = [None] * len(entries)
    if len(authority_ids) != len(entries):
        raise ValueError("record_many needs one authority id per entry")
    ip = current_ip()
    events = []
    for (obj, before, after), authority_id in zip(entries, authority_ids, strict=True):
        events.append(
            AuditEvent(
                actor=actor if actor is not None and actor.pk else None,
                actor_repr=str(actor) if actor is not None else "system",
                action=action,
                reason=reason,
                before=before,
                after=after,
                ip=ip,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                authority_id=authority_id,
            )
        )
    return AuditEvent.objects.bulk_create(events)


def can_browse_audit(user) -> bool:
    """Administrators and auditors read the audit log."""
    from .enums import Role

    return user.is_authenticated and user.has_role(Role.ADMIN, Role.AUDITOR)
