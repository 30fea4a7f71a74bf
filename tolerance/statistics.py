"""The leaders' statistics: set-based aggregates over the cases of an authority and year.

Every figure is one GROUP BY statement whatever the number of cases; Python only folds the
grouped rows into charts. Working days are counted on the official calendar
(core.workdays), once per distinct pair of dates. A case belongs to the year in which it
was submitted (drafts are nobody's statistics); "overdue" is as of today.

Stage durations come from the audit rows that tolerance.workflow.case_transition writes for
every step (tolerance.case.<action>):

- acceptance: submitted → accepted or not accepted;
- investigation: accepted → last referral to the committee;
- decision: last referral → decided;
- feedback: decided → fed back;
- appeal: first appeal → appeal concluded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Max, Min, Q, QuerySet
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from cadres.models import Authority
from core.enums import Role
from core.models import AuditEvent, User
from core.workdays import WorkCalendar, load_calendar

from .queries import situation_catalogue

TOP_OVERDUE = 10


def can_view_statistics(user: User) -> bool:
    """Leaders' statistics: administrators, and staff or auditors of an authority."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_administrator:
        return True
    return user.has_role(*Role.authority_staff_roles(), Role.AUDITOR) and bool(user.authority_ids)


def statistics_authority_ids(user: User) -> frozenset[int] | None:
    """The authorities whose cases the statistics count; None means every authority."""
    if user.is_administrator:
        return None
    return user.authority_ids


@dataclass
class StageFigure:
    stage: str  # DueStage value
    label: str
    cases: int
    average_days: float | None


@dataclass
class OverdueCase:
    pk: int
    reference: str
    authority: str
    stage: str
    due_on: dt.date
    working_days_late: int


@dataclass
class AuthorityRow:
    authority_id: int
    name: str
    cases: int = 0
    applications: int = 0
    not_accepted: int = 0
    decided: int = 0
    overdue: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    appeals: int = 0
    changed_on_appeal: int = 0

    @property
    def exempt_share(self) -> int | None:
        from tolerance.enums import Outcome

        decided = sum(self.outcomes.values())
        if not decided:
            return None
        return round(100 * self.outcomes.get(Outcome.EXEMPT, 0) / decided)


@dataclass
class Statistics:
    year: int | None
    authority: Authority | None
    cases: int
    months: list[dict]  # {"label": "2026-03", "applications": n, "ex_officio": n}
    outcomes_by_situation: list[dict]  # {"code", "text", "counts": {outcome: n}, "total"}
    stages: list[StageFigure]
    overdue_by_stage: list[tuple[str, str, int]]  # (stage, label, n)
    overdue_total: int
    worst_overdue: list[OverdueCase]
    appeals: dict[str, int]  # appeal state → n
    appeal_changes: list[tuple[str, str, int]]  # (from outcome, to outcome, n)
    by_authority: list[AuthorityRow]

    @property
    def decided_cadres(self) -> int:
        return sum(sum(row.outcomes.values()) for row in self.by_authority)


def authority_choices(user: User) -> QuerySet[Authority]:
    ids = statistics_authority_ids(user)
    authorities = Authority.objects.order_by("name")
    return authorities if ids is None else authorities.filter(pk__in=ids)


def scoped_cases(user: User, *, authority_id: int | None = None):
    """The cases the statistics may count for this user: their authorities', no drafts."""
    from tolerance.enums import CaseState
    from tolerance.models import Case

    cases = Case.objects.exclude(state=CaseState.DRAFT).filter(submitted_at__isnull=False)
    ids = statistics_authority_ids(user)
    if ids is not None:
        cases = cases.filter(authority_id__in=ids)
    if authority_id is not None:
        cases = cases.filter(authority_id=authority_id)
    return cases


def years_with_cases(cases) -> list[int]:
    return sorted({d.year for d in cases.datetimes("submitted_at", "year")}, reverse=True)


# --- the figures ---------------------------------------------------------------------------


def _months(cases, year: int | None) -> list[dict]:
    """Cases submitted per month: {"label": "2026-03", "applications": n, "ex_officio": n};
    the twelve months of the year, or every month from the first case to the last."""
    from tolerance.enums import StartedBy

    rows = (
        cases.annotate(month=TruncMonth("submitted_at"))
        .values("month", "started_by")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for row in rows:
        key = "applications" if row["started_by"] in StartedBy.applications() else "ex_officio"
        counts[(row["month"].year, row["month"].month)][key] += row["n"]
    if year is not None:
        slots = [(year, m) for m in range(1, 13)]
    elif counts:
        (y, m), last = min(counts), max(counts)
        slots = []
        while (y, m) <= last:
            slots.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        slots = []
    return [
        {
            "label": f"{y}-{m:02d}",
            "applications": counts[(y, m)]["applications"],
            "ex_officio": counts[(y, m)]["ex_officio"],
        }
        for y, m in slots
    ]


def _outcomes_by_situation(cases) -> list[dict]:
    from tolerance.models import CaseCadre

    rows = (
        CaseCadre.objects.filter(case__in=cases)
        .exclude(outcome="")
        .values("situations", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        for code in row["situations"] or ["—"]:
            counts[code][row["outcome"]] += row["n"]
    catalogue = situation_catalogue()
    return [
        {
            "code": code,
            "text": catalogue.get(code, ""),
            "counts": dict(by_outcome),
            "total": sum(by_outcome.values()),
        }
        for code, by_outcome in sorted(counts.items())
    ]


_ACTION = "tolerance.case.{}".format
_TIMED_ACTIONS = (
    "submit",
    "accept",
    "reject",
    "refer",
    "decide",
    "feed_back",
    "appeal",
    "conclude_appeal",
)


def _stage_spans(row: dict) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    from tolerance.models.case import DueStage

    accepted_or_not = [t for t in (row["accept"], row["reject"]) if t is not None]
    spans = {
        DueStage.ACCEPTANCE: (row["submit"], min(accepted_or_not, default=None)),
        DueStage.INVESTIGATION: (row["accept"], row["last_refer"]),
        DueStage.DECISION: (row["last_refer"], row["decide"]),
        DueStage.FEEDBACK: (row["decide"], row["feed_back"]),
        DueStage.APPEAL_DECISION: (row["appeal"], row["conclude_appeal"]),
    }
    return {
        stage: (start, end)
        for stage, (start, end) in spans.items()
        if start is not None and end is not None and end >= start
    }


def _stages(cases, calendar: WorkCalendar) -> list[StageFigure]:
    from tolerance.models.case import DueStage

    timed = {name: Min("at", filter=Q(action=_ACTION(name))) for name in _TIMED_ACTIONS}
    rows = (
        AuditEvent.objects.filter(
            content_type__app_label="tolerance",
            content_type__model="case",
            object_id__in=cases.annotate(key=Cast("pk", CharField())).values("key"),
            action__in=[_ACTION(name) for name in _TIMED_ACTIONS],
        )
        .values("object_id")
        .annotate(**timed, last_refer=Max("at", filter=Q(action=_ACTION("refer"))))
        .order_by()
    )
    spans: dict[str, Counter] = defaultdict(Counter)  # stage → (start day, end day) → cases
    for row in rows:
        for stage, (start, end) in _stage_spans(row).items():
            spans[stage][(timezone.localdate(start), timezone.localdate(end))] += 1
    figures = []
    for stage in (
        DueStage.ACCEPTANCE,
        DueStage.INVESTIGATION,
        DueStage.DECISION,
        DueStage.FEEDBACK,
        DueStage.APPEAL_DECISION,
    ):
        pairs = spans.get(stage, Counter())
        n = sum(pairs.values())
        days = sum(calendar.working_days_between(a, b) * k for (a, b), k in pairs.items())
        figures.append(
            StageFigure(stage, str(DueStage(stage).label), n, round(days / n, 1) if n else None)
        )
    return figures


def _overdue(cases, calendar: WorkCalendar, today: dt.date):
    from tolerance.enums import CaseState
    from tolerance.models.case import DueStage

    overdue = cases.filter(state__in=CaseState.open_states(), due_on__lt=today)
    counts = {
        row["due_stage"]: row["n"]
        for row in overdue.values("due_stage").annotate(n=Count("id")).order_by()
    }
    by_stage = [  # in the order of the procedure
        (stage.value, str(stage.label), counts[stage.value])
        for stage in DueStage
        if counts.get(stage.value)
    ]
    worst = [
        OverdueCase(
            pk=case.pk,
            reference=case.reference,
            authority=case.authority.name,
            stage=case.get_due_stage_display(),
            due_on=case.due_on,
            working_days_late=calendar.working_days_between(case.due_on, today),
        )
        for case in overdue.select_related("authority").order_by("due_on", "id")[:TOP_OVERDUE]
    ]
    return by_stage, sum(n for _s, _l, n in by_stage), worst


def _appeals(cases):
    from tolerance.models import Appeal
    from tolerance.models.review import AppealState

    rows = (
        Appeal.objects.filter(entry__case__in=cases)
        .values("entry__case__authority_id", "state", "original_outcome", "new_outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    states: Counter = Counter({state: 0 for state in AppealState.values})
    changes: Counter = Counter()
    per_authority: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        states[row["state"]] += row["n"]
        per_authority[row["entry__case__authority_id"]]["appeals"] += row["n"]
        if row["state"] == AppealState.CHANGED:
            changes[(row["original_outcome"], row["new_outcome"])] += row["n"]
            per_authority[row["entry__case__authority_id"]]["changed"] += row["n"]
    return dict(states), sorted((a, b, n) for (a, b), n in changes.items()), per_authority


def _by_authority(cases, today: dt.date, appeals_per_authority) -> list[AuthorityRow]:
    from tolerance.enums import CaseState, StartedBy
    from tolerance.models import CaseCadre

    rows = {
        row["authority_id"]: AuthorityRow(
            authority_id=row["authority_id"],
            name=row["authority__name"],
            cases=row["cases"],
            applications=row["applications"],
            not_accepted=row["not_accepted"],
            decided=row["decided"],
            overdue=row["overdue"],
        )
        for row in cases.values("authority_id", "authority__name")
        .annotate(
            cases=Count("id"),
            applications=Count("id", filter=Q(started_by__in=StartedBy.applications())),
            not_accepted=Count("id", filter=Q(state=CaseState.NOT_ACCEPTED)),
            decided=Count("id", filter=Q(decided_at__isnull=False)),
            overdue=Count("id", filter=Q(state__in=CaseState.open_states(), due_on__lt=today)),
        )
        .order_by("authority__name")
    }
    outcomes = (
        CaseCadre.objects.filter(case__in=cases)
        .exclude(outcome="")
        .values("case__authority_id", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in outcomes:
        rows[row["case__authority_id"]].outcomes[row["outcome"]] = row["n"]
    for authority_id, counts in appeals_per_authority.items():
        rows[authority_id].appeals = counts["appeals"]
        rows[authority_id].changed_on_appeal = counts["changed"]
    return list(rows.values())


def statistics(user: User, *, year: int | None, authority: Authority | None = None) -> Statistics:
    """Every figure of the page for the user's authorities (or the one chosen) and year."""
    cases = scoped_cases(user, authority_id=authority.pk if authority else None)
    if year is not None:
        cases = cases.filter(submitted_at__year=year)
    today = timezone.localdate()
    calendar = load_calendar()
    overdue_by_stage, overdue_total, worst = _overdue(cases, calendar, today)
    appeal_states, appeal_changes, appeals_per_authority = _appeals(cases)
    by_authority = _by_authority(cases, today, appeals_per_authority)
    return Statistics(
        year=year,
        authority=authority,
        cases=sum(row.cases for row in by_authority),
        months=_months(cases, year),
        outcomes_by_situation=_outcomes_by_situation(cases),
        stages=_stages(cases, calendar),
        overdue_by_stage=overdue_by_stage,
        overdue_total=overdue_total,
        worst_overdue=worst,
        appeals=appeal_states,
        appeal_changes=appeal_changes,
        by_authority=by_authority,
    )
