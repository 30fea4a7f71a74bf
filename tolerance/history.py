"""A cadre's history in front of the decider: earlier tolerance cases (outcome, matter,
situations, date), the cadre's clarifications and accountability matters; and the rules
advice with the repeated-error exclusion applied to that history.

Loading is set-based (three queries for any number of cadres); the advice itself is the pure
tolerance.rules.summarize + tolerance.repeated. Clarifications are read by model label: the
clarifications app builds on this one, not the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings

from .models import AccountabilityMatter, CaseCadre
from .policy_types import Policy
from .repeated import EarlierCase, apply_repeated_error, find_repeated_error
from .rules import RulesSummary, summarize


@dataclass
class CadreHistory:
    cases: list[CaseCadre] = field(default_factory=list)  # newest conduct first
    clarifications: list = field(default_factory=list)  # clarifications.Clarification
    matters: list[AccountabilityMatter] = field(default_factory=list)  # without a case shown

    def __bool__(self) -> bool:
        return bool(self.cases or self.clarifications or self.matters)

    # What the panel renders: at most CADRE_HISTORY_MAX_ROWS rows per section, newest first;
    # the note under a cut section gives the total and links to the full cadre timeline.
    @property
    def max_rows(self) -> int:
        return settings.CADRE_HISTORY_MAX_ROWS

    @property
    def cases_shown(self) -> list[CaseCadre]:
        return self.cases[: self.max_rows]

    @property
    def matters_shown(self) -> list[AccountabilityMatter]:
        return self.matters[: self.max_rows]

    @property
    def clarifications_shown(self) -> list:
        return self.clarifications[: self.max_rows]

    @property
    def is_cut(self) -> bool:
        return max(len(self.cases), len(self.matters), len(self.clarifications)) > self.max_rows

    def earlier_cases(self) -> list[EarlierCase]:
        return [earlier_case(row) for row in self.cases]


def earlier_case(row: CaseCadre) -> EarlierCase:
    return EarlierCase(
        str(row.case),
        row.outcome,
        frozenset(row.situations or ()),
        row.case.matter.title,
        row.case.matter.occurred_on,
    )


def cadre_histories(
    cadre_ids: Iterable[int],
    *,
    until: dt.date | None = None,
    exclude_case_id: int | None = None,
    exclude_matter_id: int | None = None,
    cases=None,
) -> dict[int, CadreHistory]:
    """Each cadre's history (three queries). `until`: only conduct on or before that day;
    `cases`: a queryset of cases to restrict the tolerance cases to (what a viewer may see)."""
    ids = list(dict.fromkeys(cadre_ids))
    found = {pk: CadreHistory() for pk in ids}
    if not ids:
        return found
    rows = CaseCadre.objects.filter(cadre_id__in=ids).select_related("case__matter")
    if exclude_case_id is not None:
        rows = rows.exclude(case_id=exclude_case_id)
    if until is not None:
        rows = rows.filter(case__matter__occurred_on__lte=until)
    if cases is not None:
        rows = rows.filter(case__in=cases)
    for row in rows.order_by("-case__matter__occurred_on", "-case_id"):
        found[row.cadre_id].cases.append(row)
    Clarification = apps.get_model("clarifications", "Clarification")
    clarified = Clarification.objects.filter(petition__cadre_id__in=ids).select_related(
        "petition", "document"
    )
    if until is not None:
        clarified = clarified.filter(held_on__lte=until)
    for c in clarified.order_by("-held_on", "-id"):
        found[c.petition.cadre_id].clarifications.append(c)
    links = AccountabilityMatter.cadres.through.objects.filter(cadre_id__in=ids).select_related(
        "accountabilitymatter"
    )
    if exclude_matter_id is not None:
        links = links.exclude(accountabilitymatter_id=exclude_matter_id)
    if until is not None:
        links = links.filter(accountabilitymatter__occurred_on__lte=until)
    for link in links.order_by("-accountabilitymatter__occurred_on", "-accountabilitymatter_id"):
        history = found[link.cadre_id]
        if any(row.case.matter_id == link.accountabilitymatter_id for row in history.cases):
            continue  # already shown with its tolerance case
        history.matters.append(link.accountabilitymatter)
    return found


def entry_advice(
    entry: CaseCadre, policy: Policy, occurred_on: dt.date, earlier: Iterable[EarlierCase]
) -> RulesSummary:
    """The rules advice on one cadre's findings, with the repeated-error rule of the policy
    applied to the cadre's earlier cases (and the investigator's "not the same error")."""
    summary = summarize(entry.findings(), policy)
    found = find_repeated_error(
        policy,
        earlier,
        situations=entry.findings().situations,
        occurred_on=occurred_on,
        not_same_reason=entry.not_same_error_reason,
    )
    return apply_repeated_error(summary, found)
