"""Everything the case page shows, loaded in a fixed number of queries whatever the size
of the case (pinned in tests/tolerance/views/test_page.py)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from core.drafts import drafts_of
from core.drafts import may_view as may_view_draft
from core.enums import Role
from core.models import DocumentDraft, DocumentKind, IssuedDocument, User
from core.outbox import pending
from core.pg_prepared import prepared
from core.statements import statement

from .. import predicates as P
from .. import tasks
from ..deliberation import committee_roster
from ..enums import (
    CaseState,
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    Severity,
)
from ..extensions import extension_remaining
from ..history import CadreHistory, cadre_histories, entry_advice
from ..models import (
    AccountabilityMatter,
    Appeal,
    Attachment,
    Case,
    CaseCadre,
    CaseNote,
    Delivery,
    Extension,
    Meeting,
    MeetingMember,
    Remedy,
    Vote,
)
from ..models.review import AppealState
from ..permissions import (
    allowed_actions,
    get_case_for_user,
    readable_case_documents,
    sees_all_entries,
    visible_entries,
    works_on_cases,
)
from ..policy_types import Policy
from ..rules import RulesSummary
from ..rulings import documents_of_case
from .timeline import TimelineRow, case_timeline
from .visibility import attachment_visible, note_visible, sees_findings, sees_internal


@dataclass
class Finding:
    code: str
    text: str
    status: str  # the enum value
    label: str  # the status, for people
    badge: str  # the badge's classes in the findings table (tolerance/_entry.html)


@dataclass
class EntryView:
    entry: CaseCadre
    summary: RulesSummary | None
    distinctions: list[Finding]
    conditions: list[Finding]
    exclusions: list[Finding]
    situations: list[tuple[str, str]]
    appeals: list[Appeal] = field(default_factory=list)
    actions: list = field(default_factory=list)  # ActionForm, filled by views.actions
    history: CadreHistory = field(default_factory=CadreHistory)  # the cadre's past

    @property
    def severity_label(self) -> str:
        value = self.entry.severity
        return str(Severity(value).label) if value in Severity.values else ""


_HOLDS, _FAILS, _OPEN = "text-bg-success", "text-bg-danger", "text-bg-light border"
_BADGES = {  # a finding's badge by its status, for each kind of finding; else _OPEN
    DistinctionSide: {DistinctionSide.TOLERABLE: _HOLDS, DistinctionSide.NOT_TOLERABLE: _FAILS},
    ConditionStatus: {ConditionStatus.HOLDS: _HOLDS, ConditionStatus.FAILS: _FAILS},
    ExclusionStatus: {ExclusionStatus.ABSENT: _HOLDS, ExclusionStatus.PRESENT: _FAILS},
}


@functools.cache
def _labels(kind: type, language: str | None) -> dict[str, str]:
    """The labels of an enum of findings in `language` (the active one), translated once
    per process and language."""
    return {value: str(label) for value, label in kind.choices}


def _findings(entry: CaseCadre, policy: Policy):
    language = get_language()
    undetermined = "undetermined"

    def one(code, text, mapping, kind):
        status = mapping.get(code, undetermined)
        label = _labels(kind, language).get(status, status)
        return Finding(code, text, status, label, _BADGES[kind].get(status, _OPEN))

    distinctions = []
    for d in policy.distinctions:
        status = entry.distinctions.get(d.code, undetermined)
        text = d.not_tolerable if status == DistinctionSide.NOT_TOLERABLE else d.tolerable
        distinctions.append(one(d.code, text, entry.distinctions, DistinctionSide))
    conditions = [one(c.code, c.text, entry.conditions, ConditionStatus) for c in policy.conditions]
    exclusions = [one(x.code, x.text, entry.exclusions, ExclusionStatus) for x in policy.exclusions]
    chosen = set(entry.situations or ())
    situations = [(s.code, s.text) for s in policy.situations if s.code in chosen]
    return distinctions, conditions, exclusions, situations


@dataclass
class Votes:
    """One meeting's votes, arranged for a table of members × cadres."""

    meeting: Meeting
    members: list[MeetingMember]
    rows: list[tuple[MeetingMember, list[Vote | None]]]


# Which of the case's records exist, asked in one query after the case was found: a list
# that has none is not read. Most cases have no measures, notes, attachments, extensions,
# meetings, deliveries, drafts or history. Each is an uncorrelated EXISTS on the case's id,
# planned in about 2 ms together (in the case's own query, with its joins, 12 ms: measured
# on the 1M-cadre bench).
_CASE = 2_147_483_001  # stands for the case's id while the conditions are compiled (int4 range)


def _records_of(pk: int) -> dict[str, QuerySet]:
    about_case = {"content_type": ContentType.objects.get_for_model(Case), "object_id": pk}
    Clarification = apps.get_model("clarifications", "Clarification")
    cadres = CaseCadre.objects.filter(case_id=pk).values("cadre_id")
    links = AccountabilityMatter.cadres.through.objects
    return {
        "remedies": Remedy.objects.filter(case_id=pk),
        "notes": CaseNote.objects.filter(case_id=pk),
        "attachments": Attachment.objects.filter(case_id=pk),
        "extensions": Extension.objects.filter(case_id=pk),
        "meetings": Meeting.objects.filter(case_id=pk),
        "deliveries": Delivery.objects.filter(case_id=pk),
        "documents": IssuedDocument.objects.filter(**about_case),
        "drafts": DocumentDraft.objects.filter(**about_case),
        # A cadre's history (tolerance.history.cadre_histories, three queries): an earlier
        # tolerance case, a clarification, an accountability matter other than this case's.
        "history": CaseCadre.objects.filter(cadre_id__in=cadres).exclude(case_id=pk),
        "clarifications": Clarification.objects.filter(petition__cadre_id__in=cadres),
        "matters": links.filter(cadre_id__in=cadres).exclude(
            accountabilitymatter_id__in=Case.objects.filter(pk=pk).values("matter_id")
        ),
    }


@functools.cache
def _compiled_records(content_type_id: int) -> tuple[tuple[str, ...], str, tuple]:
    """_records_of as one SELECT of EXISTS, with the case's id as a parameter: compiled by
    the ORM once per process (a pure function of the schema and the case's content type)."""
    names, parts, params = [], [], []
    for name, rows in _records_of(_CASE).items():
        sql, part_params = rows.order_by().values("pk")[:1].query.sql_with_params()
        names.append(name)
        parts.append(f"EXISTS({sql})")
        params.extend(part_params)
    return tuple(names), prepared("SELECT " + ", ".join(parts)), tuple(params)


def records_of_case(pk: int) -> dict[str, bool]:
    """Which of _records_of the case has (one query)."""
    names, sql, params = _compiled_records(ContentType.objects.get_for_model(Case).pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk if p == _CASE else p for p in params])
        return dict(zip(names, cursor.fetchone(), strict=True))


def _document_rows() -> QuerySet[IssuedDocument]:
    return documents_of_case(Case(pk=_CASE)).select_related("cadre")


def case_documents(pk: int) -> list[IssuedDocument]:
    """documents_of_case with each document's cadre, through a statement compiled once per
    process and content type (core.statements)."""
    content_type = ContentType.objects.get_for_model(Case).pk
    return statement(IssuedDocument, _document_rows, key=content_type).rows({_CASE: pk})


_AUTHORITY = 2_147_483_005  # stands for the case's authority while _staff_rows is compiled


def _staff_of(*roles: str) -> QuerySet[User]:
    """The active staff of an authority who hold one of `roles`, by name."""
    return (
        User.objects.filter(is_active=True, authorities=_AUTHORITY, groups__name__in=roles)
        .distinct()
        .order_by("full_name", "username")
    )


def _investigators() -> QuerySet[User]:
    return _staff_of(Role.INVESTIGATOR)


def _org_department_staff() -> QuerySet[User]:
    return _staff_of(*Role.org_department_roles())


def case_for_page(user: User, pk: int) -> Case:
    """The case for its page (get_case_for_user: 404 unless the user sees it), with which of
    its records exist (CasePage.has)."""
    case = get_case_for_user(user, pk)
    case.records_present = records_of_case(pk)
    return case


class CasePage:
    """The loaded case page for one viewer. Properties load lazily, each at most once."""

    def __init__(self, request: HttpRequest, case: Case):
        self.request = request
        self.user: User = request.user
        self.case = case
        self.policy: Policy = case.policy_version.policy
        self.today = timezone.localdate()
        self.internal = sees_internal(self.user, case)
        self.findings_visible = sees_findings(self.user, case)
        self.sees_all = sees_all_entries(self.user, case)
        # Loaded with the case (get_case_for_user): cadres, units, who decided, the meeting.
        self.entries = sorted(visible_entries(self.user, case), key=lambda e: e.pk)
        self.entry_ids = {e.pk for e in self.entries}
        if not self.has("notes"):  # no statement either (tolerance.predicates)
            case._stated_entries = set()

    def has(self, records: str) -> bool:
        """Whether the case has any of these records (case_for_page); True when not asked."""
        present = getattr(self.case, "records_present", None)
        return True if present is None else present[records]

    # --- what the viewer may do now -----------------------------------------------------

    @cached_property
    def allowed(self) -> list[str]:
        self._all_appeals  # noqa: B018  (the state machine's pending-appeal check reads them)
        return allowed_actions(self.user, self.case)

    # --- the case's records --------------------------------------------------------------

    @cached_property
    def _all_appeals(self) -> list[Appeal]:
        """Every cadre's appeals (one query; none before the conclusion was delivered, which
        opens the appeal window). The pending ones are handed to the predicates
        (tolerance.predicates.pending_appeals), which would read them again."""
        if self.case.appeal_due_on is None:
            rows = []
        else:
            rows = list(
                Appeal.objects.filter(entry_id__in=[e.pk for e in self.case.entries.all()])
                .select_related("filed_by", "reviewer")
                .order_by("filed_at", "id")
            )
        self.case._pending_appeals = [a for a in rows if a.state == AppealState.PENDING]
        return rows

    @cached_property
    def appeals(self) -> list[Appeal]:
        """The appeals about the entries the viewer sees."""
        return [a for a in self._all_appeals if a.entry_id in self.entry_ids]

    @cached_property
    def history(self) -> dict[int, CadreHistory]:
        """Each cadre's earlier tolerance cases, clarifications and accountability matters,
        for the staff who investigate and decide (three queries)."""
        if not self.internal:
            return {}
        if not any(self.has(kind) for kind in ("history", "clarifications", "matters")):
            return {}
        return cadre_histories(
            [e.cadre_id for e in self.entries],
            until=self.case.matter.occurred_on,
            exclude_case_id=self.case.pk,
            exclude_matter_id=self.case.matter_id,
        )

    def _advice(self, entry: CaseCadre) -> RulesSummary:
        history = self.history.get(entry.cadre_id) or CadreHistory()
        return entry_advice(
            entry, self.policy, self.case.matter.occurred_on, history.earlier_cases()
        )

    @cached_property
    def entry_views(self) -> list[EntryView]:
        views = []
        for entry in self.entries:
            summary = self._advice(entry) if self.findings_visible else None
            views.append(
                EntryView(
                    entry,
                    summary,
                    *_findings(entry, self.policy),
                    appeals=[a for a in self.appeals if a.entry_id == entry.pk],
                    history=self.history.get(entry.cadre_id) or CadreHistory(),
                )
            )
        return views

    @cached_property
    def meetings(self) -> list[Meeting]:
        if not self.internal or not self.has("meetings"):
            return []
        return list(
            self.case.meetings.select_related("chair").prefetch_related(
                Prefetch("members", MeetingMember.objects.select_related("user")),
                Prefetch("votes", Vote.objects.order_by("id")),
            )
        )

    @cached_property
    def votes(self) -> list[Votes]:
        result = []
        for meeting in self.meetings:
            members = list(meeting.members.all())
            by_key = {(v.entry_id, v.member_id): v for v in meeting.votes.all()}
            rows = [(m, [by_key.get((e.pk, m.user_id)) for e in self.entries]) for m in members]
            result.append(Votes(meeting, members, rows))
        return result

    @cached_property
    def notes(self):
        if not self.has("notes"):
            return []
        notes = self.case.notes.select_related("author").order_by("held_on", "id")
        notes = [n for n in notes if note_visible(n, self.internal, self.entry_ids)]
        entries = {e.pk: e for e in self.case.entries.all()}  # loaded with the case
        for note in notes:
            if note.entry_id is not None:
                note.entry = entries[note.entry_id]
        return notes

    @cached_property
    def attachments(self):
        if not self.has("attachments"):
            return []
        rows = self.case.attachments.select_related("uploaded_by")
        return [a for a in rows if attachment_visible(self.user, self.case, a, self.internal)]

    @cached_property
    def remedies(self):
        if not self.has("remedies"):
            return []
        return list(self.case.remedies.select_related("verified_by").order_by("due_on", "id"))

    @cached_property
    def extensions(self):
        if not self.has("extensions"):
            return []
        return list(self.case.extensions.select_related("granted_by"))

    @cached_property
    def documents(self) -> list[IssuedDocument]:
        if not self.has("documents"):
            return []
        rows = case_documents(self.case.pk)
        return readable_case_documents(self.user, self.case, rows)

    @cached_property
    def timeline(self) -> list[TimelineRow]:
        known = [self.case.filed_by, self.case.investigator]
        known += [a.reviewer for a in self.appeals]
        return case_timeline(
            self.case,
            self.entries,
            internal=self.internal,
            concluded=self.findings_visible,
            known=known,
        )

    # --- people for the action forms (loaded only when a form needs them) ---------------

    def _staff(self, rows) -> list[User]:
        """The staff of the case's authority that `rows` (_investigators...) reads, through
        a statement compiled once per process (core.statements)."""
        return statement(User, rows).rows({_AUTHORITY: self.case.authority_id})

    @cached_property
    def investigators(self) -> list[User]:
        return self._staff(_investigators)

    @cached_property
    def committee(self) -> list[User]:
        """The authority's committee roster (kept by an administrator)."""
        return committee_roster(self.case.authority_id)

    @cached_property
    def deliberation(self):
        return self.case.policy_version.deliberation

    @cached_property
    def deliveries(self):
        if self.case.fed_back_on is None or not self.has("deliveries"):
            return []  # never delivered: nothing to read
        return list(self.case.deliveries.select_related("recorded_by").order_by("id"))

    @cached_property
    def missing_statements(self) -> list[str]:
        """Names of the cadres whose statement is not yet on the record (staff only)."""
        if self.case.state != CaseState.INVESTIGATING or not self.internal:
            return []
        missing = {entry.pk for entry in P.entries_without_statement(self.case)}
        return [entry.cadre.name for entry in self.entries if entry.pk in missing]

    @cached_property
    def reviewers(self) -> list[User]:
        """Staff who took no part (the service checks again): not the filer, investigator,
        a member, chair or recorder of a meeting, or someone who decided."""
        took_part = {self.case.filed_by_id, self.case.investigator_id}
        took_part |= {e.decided_by_id for e in self.case.entries.all()}
        for meeting in self.meetings:
            took_part |= {meeting.chair_id, meeting.recorded_by_id}
            took_part |= {member.user_id for member in meeting.members.all()}
        return [u for u in self._staff(_org_department_staff) if u.pk not in took_part]

    @cached_property
    def extension_room(self) -> int:
        """Working days still grantable on the running deadline."""
        return extension_remaining(self.case, self.extensions)

    # --- facts for the template ----------------------------------------------------------

    @cached_property
    def ruling_status(self) -> str:
        """Where the rulings of a decided case are: "queued" while their task waits in the
        durable outbox (not yet handed to the task service, e.g. Redis is down), "issuing"
        once handed over and until the worker has issued them; "" in any other state (the
        task moves the case on to "ruling issued"); "signoff" while drafted rulings wait for
        their check and sign-off (core.drafts). Two queries, on decided cases only."""
        if self.case.state != CaseState.DECIDED:
            return ""
        if pending(tasks.issue_rulings, self.case.pk):
            return "queued"
        if any(
            draft.document_id is None and draft.kind == DocumentKind.TOLERANCE_RULING
            for draft in self._drafts
        ):
            return "signoff"
        return "issuing"

    @cached_property
    def _drafts(self) -> list[DocumentDraft]:
        if self.case.state == CaseState.DRAFT or not self.has("drafts"):
            return []  # nothing is drafted before the authority has the case
        if self.case.state != CaseState.DECIDED and not self._may_view_some_draft:
            return []  # read for ruling_status (decided cases) and drafts (staff) only
        # The page shows each draft's number once issued, nothing of its people.
        rows = drafts_of(self.case).select_related(None).select_related("document")
        return list(rows.order_by("opened_at", "id"))

    @property
    def _may_view_some_draft(self) -> bool:
        """core.drafts.may_view holds for no draft without a role of the organization
        department (administrators aside)."""
        return self.user.is_administrator or self.user.has_role(*Role.org_department_roles())

    @cached_property
    def may_export_file(self) -> bool:
        """The handling staff export the case file (卷宗) as one ZIP (register export)."""
        from ..case_file import may_export

        return self.case.state != CaseState.DRAFT and may_export(self.user, self.case)

    @cached_property
    def drafts(self) -> list[DocumentDraft]:
        """The case's document drafts (rulings awaiting their check and sign-off, and
        corrections), for the staff who handle them; none for anyone else."""
        return [draft for draft in self._drafts if may_view_draft(self.user, draft)]

    @property
    def has_queue(self) -> bool:
        return works_on_cases(self.user)

    @property
    def overdue(self) -> bool:
        return self.case.due_on is not None and self.case.due_on < self.today

    @property
    def all_exempt(self) -> bool:
        """Every cadre the viewer sees was exempted: nobody is invited to appeal."""
        return bool(self.entries) and all(e.outcome == Outcome.EXEMPT for e in self.entries)

    @property
    def appeal_open(self) -> bool:
        due = self.case.appeal_due_on
        return due is not None and self.today <= due

    def can(self, predicate) -> bool:
        return predicate(self.case, self.user)

    @property
    def investigation_incomplete(self) -> bool:
        """The investigator may not refer yet: tell them what is missing."""
        return (
            "refer" not in self.allowed
            and self.case.state == "investigating"
            and P.can_investigate(self.case, self.user)
        )
