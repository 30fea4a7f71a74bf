"""Prevention (防错): registering filings of major reform measures and citing them in cases."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import pgettext

from core import audit
from core.models import User
from tolerance.enums import CaseState
from tolerance.errors import CaseError
from tolerance.investigation import FINDING_FIELDS, entry_record_findings
from tolerance.models import Case, CaseCadre
from tolerance.predicates import can_investigate

from .errors import ClarificationError
from .models import CaseFilingCitation, PreventionFiling
from .permissions import can_cite_in_case, filing_authority_ids

# A cited filing may change the findings only while the conclusion is still open.
OPEN_FOR_FINDINGS = frozenset(
    {CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.INVESTIGATING, CaseState.DELIBERATING}
)


def _t(text: str) -> str:
    return pgettext("clarifications", text)


def filing_create(
    *,
    actor: User,
    authority,
    unit,
    measure: str,
    description: str,
    risk_level: str,
    risk_assessment: str,
    argument: str,
    argued_on: dt.date,
    filed_on: dt.date,
    approving_body: str,
    filing_ref: str = "",
) -> PreventionFiling:
    if authority.pk not in filing_authority_ids(actor):
        raise ClarificationError(_t("Only staff of this authority can register filings."))
    if argued_on > filed_on:
        raise ClarificationError(_t("The argument comes before the filing."))
    with transaction.atomic():
        filing = PreventionFiling.objects.create(
            authority=authority,
            unit=unit,
            measure=measure,
            description=description,
            risk_level=risk_level,
            risk_assessment=risk_assessment,
            argument=argument,
            argued_on=argued_on,
            filed_on=filed_on,
            approving_body=approving_body,
            filing_ref=filing_ref,
            created_by=actor,
        )
        audit.record(
            "clarifications.filing.create",
            actor=actor,
            obj=filing,
            after={
                "measure": measure,
                "unit": unit.pk,
                "risk_level": risk_level,
                "argued_on": argued_on.isoformat(),
                "filed_on": filed_on.isoformat(),
                "approving_body": approving_body,
                "filing_ref": filing_ref,
            },
            authority_id=authority.pk,
        )
    return filing


def _mark_risk_filed(case: Case, *, actor: User, filing: PreventionFiling) -> list[int]:
    """risk_filed=True on the case's entries: through entry_record_findings while the
    investigator investigates, otherwise directly with an audit row of the same action."""
    changed = []
    for entry in CaseCadre.objects.filter(case=case).order_by("pk"):
        if entry.risk_filed:
            continue
        if case.state == CaseState.INVESTIGATING and can_investigate(case, actor):
            values = {name: getattr(entry, name) for name in FINDING_FIELDS}
            entry_record_findings(entry, actor=actor, **{**values, "risk_filed": True})
        else:
            CaseCadre.objects.filter(pk=entry.pk).update(risk_filed=True)
            audit.record(
                "tolerance.findings.record",
                actor=actor,
                obj=case,
                before={"entry": entry.pk, "risk_filed": False},
                after={"entry": entry.pk, "risk_filed": True},
                reason=_t("Prevention filing %(filing)s cited") % {"filing": filing},
                authority_id=case.authority_id,
            )
        changed.append(entry.pk)
    return changed


def case_cite_filing(case: Case, *, actor: User, filing: PreventionFiling) -> CaseFilingCitation:
    """Cite a filing in a tolerance case: the risk was assessed and filed beforehand."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if not can_cite_in_case(actor, case):
            raise ClarificationError(_t("Only staff of the case's authority can cite a filing."))
        if case.state not in OPEN_FOR_FINDINGS:
            raise ClarificationError(_t("Filings can be cited only before the conclusion."))
        if CaseFilingCitation.objects.filter(case=case, filing=filing).exists():
            raise ClarificationError(_t("This filing is already cited in the case."))
        citation = CaseFilingCitation.objects.create(case=case, filing=filing, cited_by=actor)
        try:
            entries = _mark_risk_filed(case, actor=actor, filing=filing)
        except CaseError as error:
            raise ClarificationError(str(error)) from error
        audit.record(
            "clarifications.filing.cite",
            actor=actor,
            obj=citation,
            after={"case": case.pk, "filing": filing.pk, "entries": entries},
            authority_id=case.authority_id,
        )
    return citation
