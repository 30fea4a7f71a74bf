"""The case file (卷宗) of a tolerance case: what goes into it, entry by entry.

`case_file_entries(case)` lists every issued document (superseded ones too), every
attachment, every signed delivery receipt, and the record written out as text: the case,
the findings on each cadre, the notes (statements, interviews), the minutes of each
meeting with attendance and votes, the deliveries, the appeals and the full timeline.
register.casefile writes them into one ZIP with a manifest and SHA-256 sums, through the
register's export jobs (Celery, progress, audited). Who may ask for it: `may_export`.

Entry names are safe on every system (core.filenames.safe_name); stored files carry the
SHA-256 taken when they were stored, which the writer checks while it copies them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enums import Role
from core.filenames import safe_name
from core.models import DocumentKind, IssuedDocument
from core.sheets.writer import csv_writer

from . import predicates as P
from .enums import Advice, ConditionStatus, DistinctionSide, ExclusionStatus, Outcome, Severity
from .models import Appeal, Case, CaseCadre, CaseNote, Delivery, Meeting

SECTION_DOCUMENT = "document"
SECTION_ATTACHMENT = "attachment"
SECTION_RECEIPT = "receipt"
SECTION_RECORD = "record"


@dataclass(frozen=True)
class CaseFileEntry:
    path: str  # inside the ZIP
    section: str
    description: str
    open: Callable[[], io.BufferedIOBase] | None = None  # a stored file ...
    sha256: str = ""  # ... and the hash taken when it was stored
    content: bytes | None = None  # or the record, written out now


def may_export(user, case: Case) -> bool:
    """The staff handling the case's authority (organization department) export its file."""
    return P.staff_of(case, user, *Role.org_department_roles())


def _text(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _csv(header: list[str], rows: list[list]) -> bytes:
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    return stream.getvalue().encode("utf-8-sig")


def _date(value) -> str:
    return value.isoformat() if value else "—"


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _case_summary(case: Case) -> bytes:
    lines = [
        f"{_('Case')}: {case.reference}",
        f"{_('Accountability matter')}: {case.matter.title}",
        f"{_('Competent authority')}: {case.authority.name}",
        f"{_('Started by')}: {case.get_started_by_display()}",
        f"{_('State')}: {case.get_state_display()}",
        f"{_('Date of receipt')}: {_date(case.received_on)}",
        f"{_('Submitted at')}: {_moment(case.submitted_at)}",
        f"{_('Referred to the committee at')}: {_moment(case.referred_at)}",
        f"{_('Decided at')}: {_moment(case.decided_at)}",
        f"{_('Fed back on')}: {_date(case.fed_back_on)}",
        f"{_('Appeals accepted until')}: {_date(case.appeal_due_on)}",
        f"{_('Investigator')}: {case.investigator or '—'}",
        "",
        f"{_('What happened')}:",
        case.matter.description,
        "",
        f"{_('Grounds of the application')}:",
        case.application_text or "—",
        "",
        f"{_('Investigation report')}:",
        case.investigation_report or "—",
    ]
    if case.not_accepted_reason:
        lines += ["", f"{_('Reasons for not accepting')}:", case.not_accepted_reason]
    return _text(lines)


def _yes_no(value: bool | None) -> str:
    """A yes/no finding as 是/否 (— when it was never answered)."""
    if value is None:
        return "—"
    return _("Yes") if value else _("No")


def _judged(values: dict, choices) -> str:
    """{"D1": "tolerable", …} → "D1 可容错一方；…" (the clause codes with their labels)."""
    labels = dict(choices.choices)
    return (
        "；".join(
            f"{code} {labels.get(value, value)}" for code, value in sorted((values or {}).items())
        )
        or "—"
    )


def _findings(entry: CaseCadre) -> bytes:
    severity = dict(Severity.choices).get(entry.severity, entry.severity) or "—"
    lines = [
        f"{_('Cadre')}: {entry.cadre.name}（{entry.cadre.unit.name}，{entry.cadre.position}）",
        f"{_('Matched situations')}: {'、'.join(entry.situations or []) or '—'}",
        f"{_('Three distinctions')}: {_judged(entry.distinctions, DistinctionSide)}",
        f"{_('Conditions')}: {_judged(entry.conditions, ConditionStatus)}",
        f"{_('Exclusions')}: {_judged(entry.exclusions, ExclusionStatus)}",
        f"{_('Severity of consequences')}: {severity}",
        f"{_('Remedial action taken')}: {_yes_no(entry.remedy_taken)}",
        f"{_('Risk assessed and filed beforehand')}: {_yes_no(entry.risk_filed)}",
        "",
        f"{_('Findings')}:",
        entry.findings_note or "—",
        "",
        f"{_('Conclusion')}: {Outcome(entry.outcome).label if entry.outcome else '—'}",
        f"{_('Clauses relied on')}: {'、'.join(entry.relied_on or []) or '—'}",
        f"{_('Reasons for the conclusion')}: {entry.outcome_reason or '—'}",
        f"{_('Rules advice at decision')}: "
        f"{dict(Advice.choices).get(entry.advice_at_decision, entry.advice_at_decision) or '—'}",
        f"{_('Reason for departing from the advice')}: {entry.departure_reason or '—'}",
        f"{_('Decided by')}: {entry.decided_by or '—'}, {_moment(entry.decided_at)}",
    ]
    return _text(lines)


def _minutes(meeting: Meeting, entries: dict[int, str]) -> bytes:
    seats = list(meeting.members.select_related("user"))
    present = [str(seat.user) for seat in seats if seat.present]
    absent = [str(seat.user) for seat in seats if not seat.present]
    lines = [
        f"{_('Held on')}: {_date(meeting.held_on)}",
        f"{_('Place')}: {meeting.location or '—'}",
        f"{_('Chair')}: {meeting.chair or '—'}",
        f"{_('Present')}: {'、'.join(present) or '—'}",
        f"{_('Absent')}: {'、'.join(absent) or '—'}",
        f"{_('Recorded by')}: {meeting.recorded_by}, {_moment(meeting.created_at)}",
        "",
        f"{_('Votes')}:",
    ]
    for vote in meeting.votes.select_related("member").order_by("entry_id", "id"):
        lines.append(
            f"  {entries.get(vote.entry_id, vote.entry_id)} · {vote.member} · "
            f"{Outcome(vote.outcome).label if vote.outcome else '—'} · {vote.opinion}"
        )
    lines += ["", f"{_('Minutes')}:", meeting.minutes or "—"]
    return _text(lines)


def _timeline(case: Case, entries: list[CaseCadre]) -> bytes:
    from .views.timeline import case_timeline

    rows = case_timeline(case, entries, internal=True, concluded=True)
    return _csv(
        [_("When"), _("Who"), _("What"), _("Details"), _("Reason")],
        [[_moment(r.at), r.actor, r.label, "；".join(r.details), r.reason] for r in rows],
    )


def case_documents(case: Case):
    return (
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
        )
        .select_related("cadre")
        .order_by("issued_at", "id")
    )


def case_file_entries(case: Case) -> Iterator[CaseFileEntry]:
    """Every entry of the case file, in the order of the ZIP."""
    kinds = dict(DocumentKind.choices)
    for document in case_documents(case):
        name = document.filename or f"{document.pk}.pdf"
        if not name.startswith(document.number):
            name = f"{document.number}-{name}"
        superseded = IssuedDocument.objects.filter(supersedes=document).first()
        description = f"{kinds.get(document.kind, document.kind)} {document.number}"
        if superseded is not None:
            description += " " + _("(superseded by %(number)s)") % {"number": superseded.number}
        yield CaseFileEntry(
            path=f"documents/{safe_name(name, fallback=f'{document.pk}.pdf')}",
            section=SECTION_DOCUMENT,
            description=description,
            open=lambda document=document: document.file.open("rb"),
            sha256=document.sha256,
        )
    for attachment in case.attachments.order_by("uploaded_at", "id"):
        yield CaseFileEntry(
            path=f"attachments/{attachment.pk}-{safe_name(attachment.filename)}",
            section=SECTION_ATTACHMENT,
            description=f"{attachment.get_kind_display()} {attachment.note}".strip(),
            open=lambda attachment=attachment: attachment.file.open("rb"),
            sha256=attachment.sha256,
        )
    deliveries = list(
        Delivery.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("delivered_on", "id")
    )
    for delivery in deliveries:
        if delivery.receipt:
            yield CaseFileEntry(
                path=f"receipts/{delivery.pk}-{safe_name(delivery.receipt_filename or 'receipt')}",
                section=SECTION_RECEIPT,
                description=_("Signed receipt of the delivery on %(date)s")
                % {"date": _date(delivery.delivered_on)},
                open=lambda delivery=delivery: delivery.receipt.open("rb"),
                sha256=delivery.receipt_sha256,
            )
    entries = list(case.entries.select_related("cadre__unit", "decided_by").order_by("id"))
    names = {entry.pk: entry.cadre.name for entry in entries}
    yield CaseFileEntry(
        "record/case.txt", SECTION_RECORD, _("The case"), content=_case_summary(case)
    )
    for number, entry in enumerate(entries, start=1):
        yield CaseFileEntry(
            f"record/findings-{number}-{safe_name(entry.cadre.name)}.txt",
            SECTION_RECORD,
            _("Findings and conclusion on %(name)s") % {"name": entry.cadre.name},
            content=_findings(entry),
        )
    notes = CaseNote.objects.filter(case=case).select_related("author").order_by("held_on", "id")
    yield CaseFileEntry(
        "record/notes.csv",
        SECTION_RECORD,
        _("Statements and interview notes"),
        content=_csv(
            [_("Date"), _("Kind"), _("Cadre"), _("Participants"), _("Text"), _("Recorded by")],
            [
                [
                    n.held_on,
                    n.get_kind_display(),
                    names.get(n.entry_id, ""),
                    n.participants,
                    n.text,
                    n.author,
                ]
                for n in notes
            ],
        ),
    )
    for meeting in (
        Meeting.objects.filter(case=case)
        .select_related("chair", "recorded_by")
        .order_by("held_on", "id")
    ):
        yield CaseFileEntry(
            f"record/minutes-{_date(meeting.held_on)}-{meeting.pk}.txt",
            SECTION_RECORD,
            _("Minutes of the committee meeting of %(date)s") % {"date": _date(meeting.held_on)},
            content=_minutes(meeting, names),
        )
    yield CaseFileEntry(
        "record/deliveries.csv",
        SECTION_RECORD,
        _("Deliveries"),
        content=_csv(
            [
                _("Method of delivery"),
                _("Date of delivery"),
                _("Appeals accepted until"),
                _("Signed receipt"),
                _("Recorded by"),
                _("Recorded at"),
            ],
            [
                [
                    d.get_method_display(),
                    d.delivered_on,
                    d.appeal_due_on,
                    d.receipt_filename,
                    d.recorded_by,
                    _moment(d.recorded_at),
                ]
                for d in deliveries
            ],
        ),
    )
    appeals = Appeal.objects.filter(entry__case=case).select_related("filed_by").order_by("id")
    yield CaseFileEntry(
        "record/appeals.csv",
        SECTION_RECORD,
        _("Appeals"),
        content=_csv(
            [
                _("Cadre"),
                _("Filed by"),
                _("Filed at"),
                _("Grounds of the appeal"),
                _("State"),
                _("Reasons of the review"),
            ],
            [
                [
                    names.get(a.entry_id, ""),
                    a.filed_by,
                    _moment(a.filed_at),
                    a.reason,
                    a.get_state_display(),
                    a.decision_reason,
                ]
                for a in appeals
            ],
        ),
    )
    yield CaseFileEntry(
        "record/timeline.csv", SECTION_RECORD, _("Timeline"), content=_timeline(case, entries)
    )


def case_file_size(case: Case) -> int:
    """How many entries the file has (the job's total, for its progress bar)."""
    return sum(1 for _entry in case_file_entries_index(case))


def case_file_entries_index(case: Case) -> Iterator[str]:
    """The entries' paths without rendering the record (cheap, for counting)."""
    yield from (f"d{pk}" for pk in case_documents(case).values_list("pk", flat=True))
    yield from (f"a{pk}" for pk in case.attachments.values_list("pk", flat=True))
    yield from (
        f"r{pk}"
        for pk in Delivery.objects.filter(case=case)
        .exclude(receipt="")
        .values_list("pk", flat=True)
    )
    yield "case"
    yield from (f"e{pk}" for pk in case.entries.values_list("pk", flat=True))
    yield "notes"
    yield from (f"m{pk}" for pk in Meeting.objects.filter(case=case).values_list("pk", flat=True))
    yield from ("deliveries", "appeals", "timeline")
