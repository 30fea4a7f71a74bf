"""The documents of a tolerance case: notices, rulings and appeal decisions.

Rendering is pure: `render_document(kind, context, number, issued_on)` turns a context built
from the case (``notice_context``, ``ruling_context``, ``appeal_context``) into
``(filename, content_type, bytes)`` without saving anything. Issuing goes through
core.documents.document_issue, which numbers the document (文号, gap-free per authority,
series and year), stores the file once with its SHA-256 and audits it, all in one
transaction: a failure while rendering consumes no number.

Each ``issue_*`` function is safe to run again (a redelivered task, two workers): the
idempotency key names one document per case notice, per cadre's ruling and per appeal, and
the existing document is returned without rendering. The functions take ids, because the
Celery tasks in tolerance.tasks call them.

Documents are official Chinese texts: they are always rendered in Simplified Chinese,
whatever language the person or worker that triggered them uses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import pgettext

from core import wording
from core.document_access import readable_documents
from core.drafts import issue_or_draft
from core.models import AuditEvent, DocumentKind, IssuedDocument
from core.pdf import in_chinese, letterhead_size, render_pdf

from .enums import (
    CaseState,
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    Severity,
    StartedBy,
)
from .models import Appeal, Case, CaseCadre
from .models.review import AppealState
from .rules import FACT_TEXTS

logger = logging.getLogger(__name__)

CONTEXT = "tolerance document"

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
NOTICE_KINDS = (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.NON_ACCEPTANCE_NOTICE)
# Once the committee has decided, a ruling is due for every cadre (and stays due after).
RULING_STATES = frozenset(
    {
        CaseState.DECIDED,
        CaseState.RULING_ISSUED,
        CaseState.FED_BACK,
        CaseState.PUBLISHED,
        CaseState.APPEALED,
        CaseState.CLOSED,
    }
)


@in_chinese
def document_title(kind: str, *, application: bool = True) -> str:
    """The title of a document kind. A case started ex officio has no application: its
    notices speak of a procedure the authority started (no "申请受理通知书")."""
    if not application and kind == DocumentKind.ACCEPTANCE_NOTICE:
        return pgettext(CONTEXT, "Notice of the start of a tolerance review")
    if not application and kind == DocumentKind.NON_ACCEPTANCE_NOTICE:
        return pgettext(CONTEXT, "Notice that no tolerance review is started")
    titles = {
        DocumentKind.ACCEPTANCE_NOTICE: pgettext(
            CONTEXT, "Notice of acceptance of a tolerance application"
        ),
        DocumentKind.NON_ACCEPTANCE_NOTICE: pgettext(
            CONTEXT, "Notice of non-acceptance of a tolerance application"
        ),
        DocumentKind.TOLERANCE_RULING: pgettext(CONTEXT, "Tolerance ruling"),
        DocumentKind.APPEAL_DECISION: pgettext(
            CONTEXT, "Decision on the review of a tolerance ruling"
        ),
    }
    return titles[kind]


# --- building the context (plain values for the templates) ---------------------------------


@dataclass(frozen=True)
class FindingGroup:
    """（一）符合的容错情形 and its lines, each citing the clause code."""

    label: str
    lines: tuple[str, ...]


NUMERALS = "一二三四五六七八九十"


def _case(case_id: int) -> Case:
    return (
        Case.objects.select_related(
            "authority", "policy_version", "matter", "filed_by__unit", "applicant_unit"
        )
        .prefetch_related("entries__cadre__unit")
        .get(pk=case_id)
    )


def _was_accepted(case: Case) -> bool:
    """Accepted once, even if withdrawn since: the acceptance notice is due."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case.pk),
        action="tolerance.case.accept",
    ).exists()


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def cadre_line(cadre) -> str:
    """张三（甲县城关镇镇长）: the name with unit and position."""
    return pgettext(CONTEXT, "%(name)s (%(unit)s, %(position)s)") % {
        "name": cadre.name,
        "unit": cadre.unit.name,
        "position": cadre.position,
    }


def _ex_officio_context(started_by: str) -> str:
    return {
        StartedBy.EX_OFFICIO_INSPECTION: pgettext(
            CONTEXT, "in the course of cadre inspection and assessment"
        ),
        StartedBy.EX_OFFICIO_INVESTIGATION: pgettext(
            CONTEXT, "in the course of a responsibility investigation"
        ),
        StartedBy.EX_OFFICIO_ACCOUNTABILITY: pgettext(CONTEXT, "at the start of accountability"),
    }.get(started_by, "")


def addressee(case: Case, entries: list[CaseCadre]) -> str:
    """Who a notice is addressed to: the applying unit, or the cadres (同志)."""
    if case.started_by == StartedBy.UNIT and case.applicant_unit is not None:
        return case.applicant_unit.name
    names = pgettext(CONTEXT, ", ").join(entry.cadre.name for entry in entries)
    return pgettext(CONTEXT, "Comrade %(names)s") % {"names": names}


def outcome_phrase(outcome: str) -> str:
    return {
        Outcome.EXEMPT: pgettext(CONTEXT, "exempted from responsibility"),
        Outcome.LIGHTER: pgettext(CONTEXT, "given lighter treatment"),
        Outcome.MITIGATED: pgettext(CONTEXT, "given mitigated treatment"),
        Outcome.NOT_TOLERATED: pgettext(CONTEXT, "not granted tolerance"),
    }[outcome]


def outcome_name(outcome: str) -> str:
    return {
        Outcome.EXEMPT: pgettext(CONTEXT, "exemption"),
        Outcome.LIGHTER: pgettext(CONTEXT, "lighter treatment"),
        Outcome.MITIGATED: pgettext(CONTEXT, "mitigated treatment"),
        Outcome.NOT_TOLERATED: pgettext(CONTEXT, "no tolerance"),
    }[outcome]


def _base_context(case: Case) -> dict:
    return {
        "case": case,
        "authority": case.authority,
        "letterhead_size": letterhead_size(case.authority.name),
        "matter": case.matter,
        "policy_version": case.policy_version,
        "procedure": case.policy_version.policy.procedure,
        "is_application": case.is_application,
        "by_unit": case.started_by == StartedBy.UNIT,
        "ex_officio_context": _ex_officio_context(case.started_by),
        # The real date the application reached the authority when staff recorded it.
        "submitted_on": case.received_on or _local_date(case.submitted_at),
        "verify_url": settings.SITE_URL.rstrip("/") + reverse("documents:verify"),
    }


@in_chinese
def notice_context(case: Case, kind: str) -> dict:
    """Acceptance or non-acceptance notice: addressee, cadres, and the reasons of a refusal."""
    entries = list(case.entries.all())
    context = {
        **_base_context(case),
        "addressee": addressee(case, entries),
        "cadre_lines": [cadre_line(entry.cadre) for entry in entries],
    }
    if kind == DocumentKind.NON_ACCEPTANCE_NOTICE:
        # kept by case_transition on 'reject'; the template says "for the following reasons:"
        context["reasons"] = "\n".join(
            wording.paragraphs(case.not_accepted_reason, REFUSAL_PHRASES)
        )
    return context


def _cite(text: str, code: str) -> str:
    return pgettext(CONTEXT, "%(text)s (%(code)s).") % {"text": text, "code": code}


def _judged(text: str, verdict: str, code: str) -> str:
    return pgettext(CONTEXT, "%(text)s: %(verdict)s (%(code)s).") % {
        "text": text,
        "verdict": verdict,
        "code": code,
    }


def _distinction_line(d, side: str) -> str:
    if side == DistinctionSide.NOT_TOLERABLE:
        verdict = pgettext(CONTEXT, "falls under “%(this)s”") % {"this": d.not_tolerable}
    else:
        verdict = pgettext(CONTEXT, "falls under “%(this)s”, not “%(other)s”") % {
            "this": d.tolerable,
            "other": d.not_tolerable,
        }
    return _cite(verdict, d.code)


def findings_relied_on(entry: CaseCadre, policy) -> list[FindingGroup]:
    """The clauses the conclusion cites (entry.relied_on) with what was established about
    them, then the circumstances that grade the outcome; numbered （一）（二）…"""
    cited = set(entry.relied_on)
    met = {
        ConditionStatus.HOLDS: pgettext(CONTEXT, "met"),
        ConditionStatus.FAILS: pgettext(CONTEXT, "not met"),
    }
    present = {
        ExclusionStatus.PRESENT: pgettext(CONTEXT, "present"),
        ExclusionStatus.ABSENT: pgettext(CONTEXT, "not present"),
    }
    unknown = pgettext(CONTEXT, "not established")
    sections = [
        (
            pgettext(CONTEXT, "Tolerance situations matched"),
            [_cite(s.text, s.code) for s in policy.situations if s.code in cited],
        ),
        (
            pgettext(CONTEXT, "The three distinctions"),
            [
                _distinction_line(d, entry.distinctions.get(d.code, ""))
                for d in policy.distinctions
                if d.code in cited
            ],
        ),
        (
            pgettext(CONTEXT, "Conditions for tolerance"),
            [
                _judged(c.text, met.get(entry.conditions.get(c.code), unknown), c.code)
                for c in policy.conditions
                if c.code in cited
            ],
        ),
        (
            pgettext(CONTEXT, "Circumstances excluding tolerance"),
            [
                _judged(x.text, present.get(entry.exclusions.get(x.code), unknown), x.code)
                for x in policy.exclusions
                if x.code in cited
            ],
        ),
        (pgettext(CONTEXT, "Other circumstances"), circumstances(entry)),
    ]
    groups = []
    for heading, lines in sections:
        if lines:
            number = NUMERALS[len(groups)]
            label = pgettext(CONTEXT, "(%(n)s) %(heading)s") % {"n": number, "heading": heading}
            groups.append(FindingGroup(label, tuple(lines)))
    return groups


def circumstances(entry: CaseCadre) -> list[str]:
    """Consequences, prior risk filing and remedy, as established (they grade the outcome)."""
    lines = []
    if entry.severity:
        lines.append(str(FACT_TEXTS[f"severity_{Severity(entry.severity).value}"]))
    if entry.risk_filed:
        lines.append(str(FACT_TEXTS["risk_filed"]))
    if entry.remedy_taken is not None:
        lines.append(str(FACT_TEXTS["remedy_taken" if entry.remedy_taken else "remedy_not_taken"]))
    return lines


# Phrases a findings note may already begin with, which the ruling's own lead-in says.
LEAD_PHRASES = ("经调查核实", "经调查核查", "经调查了解", "经核实", "经调查", "调查核实")
# Lead-ins the templates write before a text staff typed (core.wording.without_lead).
REASON_PHRASES = ("理由", "理由是", "认定理由", "结论理由")
DEPARTURE_PHRASES = ("作出上述结论还考虑了以下情况", "还考虑了以下情况", "偏离理由")
REVIEW_PHRASES = ("复核理由", "理由", "经复核")
REFUSAL_PHRASES = ("不予受理的理由", "不予受理理由", "理由", "经审查")


def without_lead(note: str) -> str:
    """The findings note without a lead-in the ruling already writes ("经调查核实："), so
    the document never reads "经调查核实：经调查核实，…"."""
    return wording.without_lead(note, LEAD_PHRASES)


def heard_statement(entry: CaseCadre) -> bool:
    """The cadre's statement (陈述申辩 / 说明) is on the record: the ruling may say it was
    heard."""
    from .models import CaseNote
    from .models.case import NoteKind

    notes = CaseNote.objects.filter(case_id=entry.case_id, kind=NoteKind.STATEMENT)
    if notes.filter(entry_id=entry.pk).exists():
        return True
    return notes.filter(entry__isnull=True).exists() and entry.case.entries.count() == 1


def ruling_opening(*, investigated: bool, heard: bool, meeting_on) -> str:
    """The ruling's lead-in, one clause per fact on the record: investigation, the cadre's
    statement, the collective deliberation (with its date)."""
    clauses = []
    if investigated:
        clauses.append(pgettext(CONTEXT, "after investigation and verification"))
    if heard:
        clauses.append(pgettext(CONTEXT, "having heard the statement of the person concerned"))
    if meeting_on is not None:
        clauses.append(
            pgettext(CONTEXT, "after collective deliberation on %(date)s")
            % {"date": formats.date_format(meeting_on, "DATE_FORMAT")}
        )
    clauses.append(pgettext(CONTEXT, "this authority decides as follows:"))
    return pgettext("tolerance document clauses", ", ").join(clauses)


@in_chinese
def ruling_context(case: Case, entry: CaseCadre) -> dict:
    """The ruling on one cadre. Whether it departs from the rules advice is internal: the
    advice is deliberately not in the context; the reason the committee gave for its
    conclusion (and for a departure) is."""
    policy = case.policy_version.policy
    meeting_on = entry.meeting.held_on if entry.meeting_id else None
    return {
        "opening": ruling_opening(
            investigated=bool(case.investigation_report.strip()),
            heard=heard_statement(entry),
            meeting_on=meeting_on,
        ),
        "findings_note": without_lead(entry.findings_note),
        "outcome_reason": wording.without_lead(entry.outcome_reason, REASON_PHRASES),
        "departure_reason": wording.without_lead(entry.departure_reason, DEPARTURE_PHRASES),
        **_base_context(case),
        "entry": entry,
        "cadre": entry.cadre,
        "outcome_phrase": outcome_phrase(entry.outcome),
        "cadre_line": cadre_line(entry.cadre),
        "findings": findings_relied_on(entry, policy),
        "policy": policy,
        "meeting_on": meeting_on,
        "exempt": entry.outcome == Outcome.EXEMPT,
        "copy_to": [entry.cadre.unit.name],  # 抄送: the cadre's unit
    }


def _applicant(appeal: Appeal, entry: CaseCadre) -> str:
    filer = appeal.filed_by
    if filer.cadre_id == entry.cadre_id:
        return entry.cadre.name
    if filer.unit_id is not None:
        return filer.unit.name
    return filer.full_name or filer.get_username()


@in_chinese
def appeal_context(case: Case, appeal: Appeal) -> dict:
    """The decision on an appeal. The reviewer is not named (no measure requires it)."""
    entry = next(e for e in case.entries.all() if e.pk == appeal.entry_id)
    ruling = IssuedDocument.objects.filter(key=ruling_key(entry)).first()
    changed = appeal.state == AppealState.CHANGED
    return {
        **_base_context(case),
        "entry": entry,
        "cadre": entry.cadre,
        "appeal": appeal,
        "cadre_line": cadre_line(entry.cadre),
        "applicant": _applicant(appeal, entry),
        "applicant_is_cadre": appeal.filed_by.cadre_id == entry.cadre_id,
        "copy_to": [entry.cadre.unit.name],  # 抄送: the cadre's unit
        "filed_on": _local_date(appeal.filed_at),
        "ruling": ruling,
        # A number never breaks across lines: 甲组容〔2026〕 | 1号 would misread.
        "ruling_number": format_html('<span class="nowrap">{}</span>', ruling.number)
        if ruling is not None
        else "",
        "changed": changed,
        # under the heading "二、理由": the reasons without a "理由：" of their own
        "decision_paragraphs": wording.paragraphs(appeal.decision_reason, REVIEW_PHRASES),
        "original": outcome_name(appeal.original_outcome),
        "final": outcome_name(appeal.new_outcome or appeal.original_outcome),
        "exempt": (appeal.new_outcome or appeal.original_outcome) == Outcome.EXEMPT,
    }


# --- rendering (pure) ----------------------------------------------------------------------


@in_chinese
def render_document(kind: str, context: dict, number: str, issued_on) -> tuple[str, str, bytes]:
    """(filename, content type, PDF bytes) of a document; saves nothing (previews too)."""
    title = document_title(kind, application=context.get("is_application", True))
    pdf = render_pdf(
        TEMPLATES[kind], {**context, "number": number, "issued_on": issued_on, "title": title}
    )
    cadre = context.get("cadre")
    stem = f"{number}-{title}" + (f"-{cadre.name}" if cadre is not None else "")
    return f"{stem}.pdf", "application/pdf", pdf


def issued_title(kind: str, case: Case, cadre=None) -> str:
    return document_title(kind, application=case.is_application) + (
        f"（{cadre.name}）" if cadre is not None else ""
    )


def _issue(kind: str, *, key: str, case: Case, context: dict, cadre=None) -> IssuedDocument | None:
    """Issue the document now, or (when its kind needs a sign-off) open its draft and
    return None until the draft is signed off and issued (core.drafts)."""
    document = issue_or_draft(
        key=key,
        kind=kind,
        authority=case.authority,
        series=SERIES[kind],
        title=issued_title(kind, case, cadre),
        render=lambda number, issued_on: render_document(kind, context, number, issued_on),
        subject=case,
        cadre=cadre,
    )
    if document is not None:
        logger.info("%s (%s) for case %s", document.number, kind, case.pk)
    return document


# --- issuing -------------------------------------------------------------------------------


def notice_key(case: Case, kind: str) -> str:
    return f"tolerance.{kind}:case={case.pk}"


def ruling_key(entry: CaseCadre) -> str:
    return f"tolerance.ruling:entry={entry.pk}"


def appeal_key(appeal: Appeal) -> str:
    return f"tolerance.appeal:appeal={appeal.pk}"


def issue_case_notice(case_id: int, kind: str) -> IssuedDocument | None:
    """The acceptance or non-acceptance notice of a case (None when it is not due)."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"not a case notice: {kind!r}")
    case = _case(case_id)
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        due = _was_accepted(case)
    else:
        due = case.state == CaseState.NOT_ACCEPTED
    if not due:
        logger.warning("No %s is due for case %s (state %s)", kind, case.pk, case.state)
        return None
    return _issue(kind, key=notice_key(case, kind), case=case, context=notice_context(case, kind))


def _ruling(case: Case, entry: CaseCadre) -> IssuedDocument | None:
    """The cadre's ruling: issued, or drafted and None until it is signed off."""
    return _issue(
        DocumentKind.TOLERANCE_RULING,
        key=ruling_key(entry),
        case=case,
        context=ruling_context(case, entry),
        cadre=entry.cadre,
    )


def issue_rulings(case_id: int) -> list[IssuedDocument]:
    """One ruling per decided cadre; then the case moves to 'ruling issued' (once).

    Nothing is issued before the committee has decided on every cadre. Rulings that need a
    sign-off are drafted here and issued by core.drafts after it; that issue calls this
    again, and the last one moves the case on.
    """
    from .workflow import case_transition

    case = _case(case_id)
    if case.state not in RULING_STATES:
        logger.warning("No rulings are due for case %s (state %s)", case.pk, case.state)
        return []
    entries = list(case.entries.all())
    documents = [_ruling(case, entry) for entry in entries if entry.outcome]
    documents = [document for document in documents if document is not None]
    if case.state == CaseState.DECIDED and len(documents) == len(entries):
        with transaction.atomic():
            locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
            if locked.state == CaseState.DECIDED:  # another worker may have moved it
                case_transition(locked, actor=None, action="issue_rulings")
    return documents


def issue_appeal_decision(appeal_id: int) -> IssuedDocument | None:
    """The decision on a reviewed appeal (None while it is pending)."""
    appeal = Appeal.objects.select_related("entry", "filed_by__unit").get(pk=appeal_id)
    if appeal.state == AppealState.PENDING:
        logger.warning("Appeal %s is still pending: no decision to issue", appeal.pk)
        return None
    case = _case(appeal.entry.case_id)
    entry = next(e for e in case.entries.all() if e.pk == appeal.entry_id)
    return _issue(
        DocumentKind.APPEAL_DECISION,
        key=appeal_key(appeal),
        case=case,
        context=appeal_context(case, appeal),
        cadre=entry.cadre,
    )


# --- reading -------------------------------------------------------------------------------


def documents_of_case(case: Case, *, user=None) -> QuerySet[IssuedDocument]:
    """The documents issued for a case, oldest first; with `user`, only those they may read
    (core.document_access: a cadre sees the case notices and their own rulings, not a
    co-cadre's)."""
    documents = IssuedDocument.objects.all() if user is None else readable_documents(user)
    return documents.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
    ).order_by("issued_at", "id")
