"""Small display helpers of the tolerance pages, and their navigation entries."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.enums import Role

from ..enums import CaseState, Outcome
from ..permissions import works_on_cases
from ..rules import NO_SITUATION, REMEDY, RISK_FILED, SEVERITY, SITUATIONS

register = template.Library()

S = CaseState
STATE_CLASSES = {
    S.DRAFT: "text-bg-light border",
    S.SUBMITTED: "text-bg-info",
    S.ACCEPTED: "text-bg-info",
    S.INVESTIGATING: "text-bg-primary",
    S.DELIBERATING: "text-bg-warning",
    S.APPEALED: "text-bg-warning",
    S.DECIDED: "text-bg-success",
    S.RULING_ISSUED: "text-bg-success",
    S.FED_BACK: "text-bg-success",
    S.PUBLISHED: "text-bg-success",
}
OUTCOME_CLASSES = {
    Outcome.EXEMPT: "text-bg-success",
    Outcome.MITIGATED: "text-bg-info",
    Outcome.LIGHTER: "text-bg-info",
    Outcome.NOT_TOLERATED: "text-bg-danger",
}


# Reasons that are facts of the case rather than clauses of the policy: shown without a code.
FACT_CODES = frozenset({NO_SITUATION, REMEDY, RISK_FILED, SEVERITY, SITUATIONS})


@register.filter
def clause_code(code: str) -> str:
    return "" if code in FACT_CODES else code


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "text-bg-secondary")


@register.filter
def outcome_class(outcome: str) -> str:
    return OUTCOME_CLASSES.get(outcome, "text-bg-secondary")


@register.filter
def outcome_label(outcome: str) -> str:
    return Outcome(outcome).label if outcome in Outcome.values else ""


@register.simple_tag
def case_nav(user) -> list[tuple[str, str]]:
    """The tolerance entries of the navigation for this user (no query: roles are cached)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    if works_on_cases(user):
        items.append((_("Tolerance cases"), reverse("tolerance:queue")))
    if user.has_role(Role.CADRE, Role.UNIT_HR):
        items.append((_("My tolerance cases"), reverse("tolerance:my_cases")))
    return items
