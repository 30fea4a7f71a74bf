"""Navigation entries of the register of documents and the statistics, and small helpers of
their pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.enums import Role
from register.rows import OUTCOME_CLASSES

register = template.Library()


@register.simple_tag
def register_nav(user) -> list[tuple[str, str]]:
    """(label, url) of the register and statistics entries for the user's roles.

    Roles only (already loaded for the navigation): no query of its own on every page. The
    pages check the user's authorities too (register.access) and answer 404 without.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    staff = user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)
    links = []
    if staff or (user.has_role(Role.CADRE) and user.cadre_id is not None):
        links.append((_("Register of documents"), reverse("register:list")))
    if staff:
        links.append((_("Statistics"), reverse("stats:index")))
    return links


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


EXPORT_CLASSES = {
    "queued": "text-bg-secondary",
    "running": "text-bg-info",
    "done": "text-bg-success",
    "failed": "text-bg-danger",
    "expired": "text-bg-light border text-muted",
}


@register.simple_tag
def outcome_label(value: str) -> str:
    from tolerance.enums import Outcome

    return str(Outcome(value).label) if value in Outcome.values else value


@register.filter
def outcome_class(value: str) -> str:
    return OUTCOME_CLASSES.get(value, "text-bg-light border")


@register.filter
def export_class(value: str) -> str:
    return EXPORT_CLASSES.get(value, "text-bg-light border")


@register.filter
def subject_number(document) -> str:
    """The case or petition number a register row is about (register.queries)."""
    from register.queries import subject_reference

    return subject_reference(document)


@register.filter
def row_cadres(document) -> str:
    """The row's cadre, or for a notice about a case, the case's cadres."""
    from register.queries import cadre_names

    return cadre_names(document)
