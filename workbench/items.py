"""My work (待办): what awaits this person's action, counted with the list's own filter.

Each work item is declared once: who has it (roles), where the person acts (a list URL with
its filter parameters), and how it counts. The count runs the *same* filter the list runs
on the same parameters (tolerance.filters.QueueFilter, promotions.filters.filter_proposals,
clarifications.filters.PetitionFilter), so the number on the home page is the number of
rows behind the link. One aggregate query per item (count, overdue count, nearest due
date), capped like a badge (HOME_CAP, shown as "99+"; the list behind the link counts on
to its own cap): each access path reads at most cap + 1 rows, in deadline order, through
its index, so the home page costs the same with ten cases or a hundred thousand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clarifications.filters import PetitionFilter
from clarifications.permissions import (
    HANDLING_ROLES as PETITION_HANDLERS,
)
from clarifications.permissions import (
    handling_authority_ids,
    visible_petition_paths,
    visible_petitions,
)
from core.draft_views import drafts_to_check, drafts_to_sign
from core.drafts import default_signing_roles
from core.enums import Role
from core.paging import capped_count, path_branches, q_branches
from promotions.models import Proposal
from promotions.proposals.filters import filter_proposals
from promotions.proposals.permissions import visible_proposal_paths, visible_proposals
from register.models import ExportJob, ExportState
from tolerance.enums import CaseState
from tolerance.filters import QueueFilter
from tolerance.models import Case
from tolerance.permissions import visible_case_paths
from tolerance.views.queue import queue_cases, with_remedy_overdue

R = Role
S = CaseState
HOME_CAP = 99
"""Counts on the home page stop here ("99+", like a badge): past it the number is no longer
what a person plans a day by, and the list behind the link counts on (to 1000)."""


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    domain: str
    url: str
    count: int
    overdue: int = 0
    next_due: dt.date | None = None
    cap: int = HOME_CAP

    @property
    def count_shown(self) -> str:
        """The count, past the cap "99+"."""
        return f"{self.cap}+" if self.count > self.cap else str(self.count)

    @property
    def overdue_capped(self) -> bool:
        return self.overdue > self.cap

    @property
    def sort_key(self) -> tuple:
        """Overdue work first, then the nearest deadline, then the rest by size."""
        return (
            self.overdue == 0,
            self.next_due or dt.date.max,
            -self.count,
            self.key,
        )


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    domain: str
    roles: frozenset[str]
    url_name: str
    params: tuple[tuple[str, str], ...]
    counter: Callable[[HttpRequest, QueryDict, dt.date, int], dict]
    applies: Callable[[object], bool] = lambda user: True


def _params(pairs: tuple[tuple[str, str], ...]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query[key] = value
    return query


CAPPED_FIGURES = (
    "SELECT COUNT(*), COUNT(*) FILTER (WHERE firsts.due_on < %s), MIN(firsts.due_on)"
    " FROM (SELECT matching.due_on FROM ({union}) AS matching (pk, due_on)"
    " ORDER BY matching.due_on NULLS LAST LIMIT %s) AS firsts"
)
"""The first cap + 1 cases by deadline of the union of the paths' first cap + 1 each: its
size is the count up to the cap, its overdue rows are every overdue case (up to the cap:
overdue cases come first by deadline), its earliest deadline is the earliest of all."""


def _by_deadline(qs: QuerySet) -> QuerySet:
    return qs.order_by(F("due_on").asc(nulls_last=True))


def _case_counter(request: HttpRequest, params: QueryDict, today: dt.date, cap: int) -> dict:
    """The staff queue's rows for these parameters: count, overdue count (both capped at
    `cap`, so at most cap + 1) and the nearest deadline, in one query. Each access path is
    read through its own index in deadline order, no further than cap + 1 rows."""
    queue_filter = QueueFilter(params, queryset=queue_cases(request.user, today), request=request)
    branches = path_branches(
        queue_filter, visible_case_paths(request.user), with_remedy_overdue(Case.objects, today)
    )
    if not branches:
        return (
            Case.objects.filter(pk__in=_by_deadline(queue_filter.qs).values("pk")[: cap + 1])
            .order_by()
            .aggregate(
                count=Count("pk"),
                overdue=Count("pk", filter=Q(due_on__lt=today)),
                next_due=Min("due_on"),
            )
        )
    parts = [_by_deadline(b).values("pk", "due_on")[: cap + 1] for b in branches]
    sql, params = parts[0].union(*parts[1:]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(CAPPED_FIGURES.format(union=sql), [today, *params, cap + 1])
        count, overdue, next_due = cursor.fetchone()
    return {"count": count, "overdue": overdue, "next_due": next_due}


def _proposal_counter(request: HttpRequest, params: QueryDict, today: dt.date, cap: int) -> dict:
    matching = filter_proposals(visible_proposals(request.user), params)
    branches = q_branches(
        filter_proposals(Proposal.objects.all(), params), visible_proposal_paths(request.user)
    )
    return {"count": capped_count(matching, cap, branches=branches)}


def _petition_counter(request: HttpRequest, params: QueryDict, today: dt.date, cap: int) -> dict:
    petition_filter = PetitionFilter(params, queryset=visible_petitions(request.user))
    branches = petition_filter.branches(visible_petition_paths(request.user))
    return {"count": capped_count(petition_filter.matching, cap, branches=branches)}


def ready_exports(user) -> QuerySet[ExportJob]:
    """The user's register exports whose files are ready to download."""
    return ExportJob.objects.filter(requested_by=user, state=ExportState.DONE)


def _draft_counter(request: HttpRequest, params: QueryDict, today: dt.date, cap: int) -> dict:
    return {"count": capped_count(drafts_to_check(request.user), cap)}


def _sign_counter(request: HttpRequest, params: QueryDict, today: dt.date, cap: int) -> dict:
    return {"count": capped_count(drafts_to_sign(request.user), cap)}


def _may_sign_some(user) -> bool:
    """The sign-off item: for the roles that sign by the site's setting, and for anyone a
    case's policy names as the signer of a draft now waiting."""
    return user.has_role(*default_signing_roles()) or drafts_to_sign(user).exists()


def _export_counter(request: HttpRequest, params: QueryDict, today: dt.date, cap: int) -> dict:
    return {"count": capped_count(ready_exports(request.user), cap)}


CLERK, INVESTIGATOR, COMMITTEE, LEADER = (
    R.INTAKE_CLERK,
    R.INVESTIGATOR,
    R.COMMITTEE_MEMBER,
    R.APPROVING_LEADER,
)
ORG = R.org_department_roles()
TOLERANCE, PROMOTIONS, PETITIONS, DOCUMENTS = "tolerance", "promotions", "petitions", "documents"

SPECS: tuple[Spec, ...] = (
    Spec(
        "accept", _("Applications to accept or refuse"), TOLERANCE,
        frozenset({CLERK, LEADER}), "tolerance:queue", (("state", S.SUBMITTED),), _case_counter,
    ),
    Spec(
        "start", _("Accepted cases to assign and start investigating"), TOLERANCE,
        frozenset({CLERK, LEADER}), "tolerance:queue", (("state", S.ACCEPTED),), _case_counter,
    ),
    Spec(
        "investigate", _("Cases to investigate (assigned to me)"), TOLERANCE,
        frozenset({INVESTIGATOR}), "tolerance:queue",
        (("state", S.INVESTIGATING), ("mine", "on")), _case_counter,
    ),
    Spec(
        "deliberate", _("Cases awaiting the committee's meeting and decision"), TOLERANCE,
        frozenset({COMMITTEE, LEADER}), "tolerance:queue", (("state", S.DELIBERATING),),
        _case_counter,
    ),
    Spec(
        "feed_back", _("Rulings to feed back to the applicant"), TOLERANCE,
        frozenset({CLERK, LEADER}), "tolerance:queue", (("state", S.RULING_ISSUED),),
        _case_counter,
    ),
    Spec(
        "publish", _("Conclusions to publish or close"), TOLERANCE,
        frozenset({CLERK, LEADER}), "tolerance:queue", (("state", S.FED_BACK),), _case_counter,
    ),
    Spec(
        "appeals", _("Appeals to review (assigned to me)"), TOLERANCE,
        ORG, "tolerance:queue", (("state", S.APPEALED), ("mine", "on")), _case_counter,
    ),
    Spec(
        "remedies", _("Cases with remedial measures overdue"), TOLERANCE,
        frozenset({CLERK, INVESTIGATOR, LEADER}), "tolerance:queue",
        (("due", "remedy_overdue"),), _case_counter,
    ),
    Spec(
        "proposals_inspect", _("Adjustment proposals to inspect"), PROMOTIONS,
        frozenset({CLERK, INVESTIGATOR, LEADER}), "promotions:proposals",
        (("state", "proposed"),), _proposal_counter,
    ),
    Spec(
        "proposals_decide", _("Adjustment proposals to decide"), PROMOTIONS,
        frozenset({COMMITTEE, LEADER}), "promotions:proposals",
        (("state", "inspecting"),), _proposal_counter,
    ),
    Spec(
        "petitions_received", _("Petitions to start verifying"), PETITIONS,
        PETITION_HANDLERS, "clarifications:list",
        (("state", "received"),), _petition_counter,
        applies=lambda user: bool(handling_authority_ids(user)),
    ),
    Spec(
        "petitions_verifying", _("Petitions under verification to conclude"), PETITIONS,
        PETITION_HANDLERS, "clarifications:list",
        (("state", "verifying"),), _petition_counter,
        applies=lambda user: bool(handling_authority_ids(user)),
    ),
    Spec(
        "drafts_check", _("Documents to check before sign-off"), DOCUMENTS,
        ORG, "documents:drafts", (("step", "check"),), _draft_counter,
    ),
    Spec(
        "drafts_sign", _("Documents to sign off"), DOCUMENTS,
        ORG, "documents:drafts", (("step", "sign"),), _sign_counter, applies=_may_sign_some,
    ),
    Spec(
        "exports", _("Register exports ready to download"), DOCUMENTS,
        frozenset({*R.authority_staff_roles(), R.AUDITOR}), "register:list", (),
        _export_counter,
    ),
)


def specs_for(user) -> list[Spec]:
    """The work items this user has, by role (administrators: all of them)."""
    if user.is_administrator:
        return list(SPECS)
    return [s for s in SPECS if user.has_role(*s.roles) and s.applies(user)]


def spec_url(spec: Spec) -> str:
    url = reverse(spec.url_name)
    return f"{url}?{urlencode(spec.params)}" if spec.params else url


def my_work(request: HttpRequest, today: dt.date, *, cap: int = HOME_CAP) -> list[WorkItem]:
    """Every work item of this user with its counts (up to `cap`, then cap + 1: "99+"),
    overdue first (see WorkItem.sort_key)."""
    items = []
    for spec in specs_for(request.user):
        figures = spec.counter(request, _params(spec.params), today, cap)
        items.append(
            WorkItem(
                key=spec.key,
                label=str(spec.label),
                domain=spec.domain,
                url=spec_url(spec),
                count=figures["count"],
                overdue=figures.get("overdue") or 0,
                next_due=figures.get("next_due"),
                cap=cap,
            )
        )
    return sorted(items, key=lambda item: item.sort_key)
