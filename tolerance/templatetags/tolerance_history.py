"""The cadre's page shows the same history the decider sees (tolerance.history)."""

from __future__ import annotations

from django import template

from core.enums import Role

from ..history import CadreHistory, cadre_histories
from ..permissions import visible_cases

register = template.Library()


def sees_history(user) -> bool:
    """Administrators, auditors and the staff of a competent authority (the people who see a
    case's internal record); the cadre page itself is already limited to visible cadres."""
    return user.is_authenticated and (
        user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)
    )


@register.simple_tag
def tolerance_history_of(user, cadre) -> CadreHistory | None:
    """The cadre's tolerance cases the user may see, clarifications and accountability
    matters; None for a user who does not see casework (three queries)."""
    if not sees_history(user):
        return None
    cases = None if user.is_administrator else visible_cases(user)
    return cadre_histories([cadre.pk], cases=cases)[cadre.pk]
