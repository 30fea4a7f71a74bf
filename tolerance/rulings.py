"""Issuing the case documents: notices, rulings and appeal decisions (numbered, hashed, once).

Each function is safe to run again: core.documents.document_issue returns the existing
document for the same key and does not render twice.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from core.documents import document_issue
from core.models import DocumentKind, IssuedDocument
from core.pdf import render_pdf

from .enums import CaseState
from .models import Appeal, Case, CaseCadre
from .rules import summarize

SERIES = {
    DocumentKind.ACCEPTANCE_NOTICE: "容受",
    DocumentKind.NON_ACCEPTANCE_NOTICE: "容不受",
    DocumentKind.TOLERANCE_RULING: "容",
    DocumentKind.APPEAL_DECISION: "容复",
}
TEMPLATES = {
    DocumentKind.ACCEPTANCE_NOTICE: "tolerance/pdf/acceptance_notice.html",
    DocumentKind.NON_ACCEPTANCE_NOTICE: "tolerance/pdf/non_acceptance_notice.html",
    DocumentKind.TOLERANCE_RULING: "tolerance/pdf/ruling.html",
    DocumentKind.APPEAL_DECISION: "tolerance/pdf/appeal_decision.html",
}
TITLES = {
    DocumentKind.ACCEPTANCE_NOTICE: "容错免责申请受理通知书",
    DocumentKind.NON_ACCEPTANCE_NOTICE: "容错免责申请不予受理通知书",
    DocumentKind.TOLERANCE_RULING: "容错认定决定书",
    DocumentKind.APPEAL_DECISION: "容错认定复核决定书",
}


def _case(case_id: int) -> Case:
    return (
        Case.objects.select_related("authority", "policy_version", "matter", "filed_by")
        .prefetch_related("entries__cadre__unit")
        .get(pk=case_id)
    )


def _renderer(kind: str, context: dict):
    def render(number, issued_on):
        with translation.override("zh-hans"):
            pdf = render_pdf(
                TEMPLATES[kind],
                {**context, "number": number, "issued_on": issued_on, "title": TITLES[kind]},
            )
        cadre = context.get("cadre")
        stem = f"{number}-{TITLES[kind]}" + (f"-{cadre.name}" if cadre else "")
        return f"{stem}.pdf", "application/pdf", pdf

    return render


def _issue(kind: str, *, key: str, case: Case, context: dict, cadre=None, actor=None):
    return document_issue(
        key=key,
        kind=kind,
        authority=case.authority,
        series=SERIES[kind],
        title=TITLES[kind] + (f"（{cadre.name}）" if cadre is not None else ""),
        render=_renderer(kind, {"case": case, "cadre": cadre, **context}),
        subject=case,
        cadre=cadre,
        actor=actor,
    )


def issue_case_notice(case_id: int, kind: str) -> IssuedDocument:
    """The acceptance or non-acceptance notice of a case."""
    if kind not in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.NON_ACCEPTANCE_NOTICE):
        raise ValueError(f"not a case notice: {kind!r}")
    case = _case(case_id)
    entries = list(case.entries.all())
    document, _created = _issue(
        kind,
        key=f"tolerance.{kind}:case={case.pk}",
        case=case,
        context={"entries": entries},
    )
    return document


def ruling_context(case: Case, entry: CaseCadre) -> dict:
    policy = case.policy_version.policy
    summary = summarize(entry.findings(), policy)
    index = {
        **{s.code: s.text for s in policy.situations},
        **{d.code: d.tolerable for d in policy.distinctions},
        **{c.code: c.text for c in policy.conditions},
        **{x.code: x.text for x in policy.exclusions},
    }
    relied_on = [(code, index.get(code, "")) for code in entry.relied_on]
    return {
        "entry": entry,
        "summary": summary,
        "relied_on": relied_on,
        "policy": policy,
        "procedure": policy.procedure,
    }


def issue_rulings(case_id: int) -> list[IssuedDocument]:
    """One ruling per decided cadre; then the case moves to 'ruling issued' (once)."""
    from .workflow import case_transition

    case = _case(case_id)
    documents = []
    for entry in case.entries.all():
        if not entry.outcome:
            continue
        document, _created = _issue(
            DocumentKind.TOLERANCE_RULING,
            key=f"tolerance.ruling:entry={entry.pk}",
            case=case,
            cadre=entry.cadre,
            context=ruling_context(case, entry),
        )
        documents.append(document)
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.state == CaseState.DECIDED and len(documents) == len(case.entries.all()):
            case_transition(locked, actor=None, action="issue_rulings")
    return documents


def issue_appeal_decision(appeal_id: int) -> IssuedDocument:
    appeal = Appeal.objects.select_related("entry__cadre", "reviewer").get(pk=appeal_id)
    case = _case(appeal.entry.case_id)
    entry = appeal.entry
    document, _created = _issue(
        DocumentKind.APPEAL_DECISION,
        key=f"tolerance.appeal:appeal={appeal.pk}",
        case=case,
        cadre=entry.cadre,
        context={**ruling_context(case, entry), "appeal": appeal},
    )
    return document


def documents_of_case(case: Case):
    from django.contrib.contenttypes.models import ContentType

    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
    ).order_by("issued_at", "id")


def can_read_document(user, document: IssuedDocument) -> bool:
    """Registered with core.documents for every tolerance document kind."""
    from .permissions import sees_all_entries, visible_cases

    case = visible_cases(user).filter(pk=document.object_id).first()
    if case is None:
        return False
    if document.cadre_id is not None and not sees_all_entries(user, case):
        return document.cadre_id == user.cadre_id
    return True
