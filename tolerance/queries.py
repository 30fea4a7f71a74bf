"""Reads of the tolerance app that other apps reuse: the situation catalogue of the
published policies (register filters, exports and the statistics) and a cadre's settled
conclusions (the cadre timeline)."""

from __future__ import annotations

from django.db.models import QuerySet

from .effects import SETTLED_STATES
from .models import CaseCadre, PolicyVersion
from .models.policy import PolicyStatus


def situation_catalogue() -> dict[str, str]:
    """Code → text of every situation of a published tolerance policy version (one query).

    Codes carry their jurisdiction (SX-01, GY-01); where two versions word one code
    differently, the earlier version's wording is shown.
    """
    labels: dict[str, str] = {}
    for version in (
        PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED)
        .order_by("effective_from", "id")
        .only("id", "content")
    ):
        for situation in version.policy.situations:
            labels.setdefault(situation.code, situation.text)
    return dict(sorted(labels.items()))


def short_label(code: str, text: str, width: int = 22) -> str:
    """A situation as `code text`, the text cut to `width` characters."""
    text = text if len(text) <= width else text[: width - 1] + "…"
    return f"{code} {text}"


def settled_conclusions(user, cadre) -> QuerySet[CaseCadre]:
    """The cadre's conclusions in settled cases the user may see, with their matter."""
    from .permissions import visible_cases

    return (
        CaseCadre.objects.filter(
            cadre=cadre, case__in=visible_cases(user), case__state__in=SETTLED_STATES
        )
        .exclude(outcome="")
        .select_related("case__matter")
    )
