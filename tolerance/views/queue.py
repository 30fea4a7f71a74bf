"""The staff work queue: the cases this user may see, nearest deadline first."""

from __future__ import annotations

from html import escape as _escape

from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadres.access import recall, recalls, remembered
from core import audit
from core.display import labels
from core.listing import Sorting, header_cells, pk_url, xlsx_response
from core.paging import COUNT_CAP, BranchSQL, compile_branches, union_page

from ..enums import StartedBy
from ..filters import QueueFilter, remedy_overdue
from ..models import Case, CaseCadre
from ..permissions import visible_case_branches, visible_cases, works_on_cases
from ..templatetags.tolerance_ui import state_class
from .applicant import filing_starts

PAGE_SIZE = 25
QUEUE_ORDER = ("queue_due", "id")
"""Nearest deadline first, cases without one last (Case.queue_due), then the oldest."""

QUEUE_COLUMNS = (
    *("pk", "created_at", "state", "due_on", "due_stage", "due_fallback_years", "queue_due"),
    *("remedy_overdue", "matter__title", "authority__name"),
)
"""What a row of the page shows (queue_rows) and its keyset reads: the page query reads
these values only (named tuples), not the cases' texts nor every column of their matter
and authority."""

QUEUE_SORTING = Sorting(
    columns={
        "number": (_("Case"), ("id",)),
        "state": (_("State"), ("state", "id")),
        "due": (_("Current deadline"), QUEUE_ORDER),
    },
    default="due",
)


def with_remedy_overdue(cases, today):
    """Cases annotated with `remedy_overdue` (a remedial measure past its date), which the
    queue shows and filters on."""
    return cases.annotate(remedy_overdue=remedy_overdue(today))


def queue_cases(user, today, *, with_cadres: bool = True):
    """Visible cases with what a queue row shows, in a fixed number of queries (the page
    reads the cadres' names on its own: queue_rows)."""
    cases = (
        with_remedy_overdue(visible_cases(user), today)
        .select_related("authority", "matter")
        .order_by(*QUEUE_ORDER)
    )
    if not with_cadres:
        return cases
    return cases.prefetch_related(
        Prefetch("entries", CaseCadre.objects.select_related("cadre").order_by("id"))
    )


def queue_page_rows(today):
    """What a row of the page reads (queue_page_columns), of every case: union_page reads it
    for the cases of the page only. On PostgreSQL the cadres' names come in the same query
    (`cadre_names`, an array in their order on the case: an index scan per row shown);
    elsewhere queue_rows reads them."""
    rows = with_remedy_overdue(Case.objects.all(), today)
    if connection.vendor != "postgresql":
        return rows
    names = CaseCadre.objects.filter(case=OuterRef("pk")).order_by("id").values("cadre__name")
    return rows.annotate(cadre_names=ArraySubquery(names))


def queue_page_columns() -> tuple[str, ...]:
    """What union_page reads of queue_page_rows."""
    return (*QUEUE_COLUMNS, "cadre_names") if connection.vendor == "postgresql" else QUEUE_COLUMNS


def queue_rows(cases: list, today) -> list[dict]:
    """What each row of the page shows (rows of queue_page_rows), as plain values, so the
    template only prints them. Without `cadre_names` on the rows, one query reads them."""
    if cases and not hasattr(cases[0], "cadre_names"):
        names: dict[int, list[str]] = {}
        for case_id, name in (
            CaseCadre.objects.filter(case__in=[case.pk for case in cases])
            .order_by("id")
            .values_list("case_id", "cadre__name")
        ):
            names.setdefault(case_id, []).append(name)
        cadres = [names.get(case.pk, ()) for case in cases]
    else:
        cadres = [case.cadre_names for case in cases]
    detail = pk_url("tolerance:case_detail")
    states = labels(Case._meta.get_field("state"))
    stages = labels(Case._meta.get_field("due_stage"))
    reference = Case.reference.fget  # reads `pk` and `created_at` only
    return [
        {
            "pk": case.pk,
            "url": detail(case.pk),
            "reference": reference(case),
            "cadres": "、".join(case_cadres),
            "matter": case.matter__title,
            "remedy_overdue": case.remedy_overdue,
            "state": states.get(case.state, case.state),
            "state_class": state_class(case.state),
            "due_on": case.due_on.isoformat() if case.due_on else "",
            "overdue": case.due_on is not None and case.due_on < today,
            "due_stage": stages.get(case.due_stage, case.due_stage),
            "fallback_years": "、".join(str(year) for year in case.due_fallback_years or ()),
            "authority": case.authority__name,
        }
        for case, case_cadres in zip(cases, cadres, strict=True)
    ]


ROW = """        <tr data-testid="case-row">
          <td class="text-nowrap"><a class="fw-semibold" href="{url}">{reference}</a></td>
          <td>{cadres}</td>
          <td>{matter}{remedy}</td>
          <td class="text-nowrap"><span class="badge {state_class}">{state}</span></td>
          <td class="text-nowrap">{due}</td>
          <td class="d-none d-lg-table-cell">{authority}</td>
        </tr>
"""
DUE = """
              <span class="{css}"{testid}>{due_on}</span>
              <span class="text-muted small">{due_stage}</span>{overdue}{fallback}
          """


def escape(value) -> str:
    """What django.utils.html.escape returns, without its lazy-string wrapper (a few hundred
    calls per page)."""
    return _escape(str(value))


def queue_rows_html(rows: list[dict]) -> SafeString:
    """The table's rows (queue_rows) as HTML, every value escaped. Built here, not in a
    template loop: 25 rows of a dozen values each cost the template engine about a sixth of
    the page's CPU (variable lookups, autoescape, a translation per row), this a few tenths
    of a millisecond. The labels are translated once per page."""
    remedy = (
        ' <span class="badge text-bg-danger" data-testid="remedy-overdue">'
        f"{escape(gettext('Remedial measure overdue'))}</span>"
    )
    overdue = (
        f'\n              <span class="badge text-bg-danger">{escape(gettext("Overdue"))}</span>'
    )
    fallback = gettext("Holidays of %(years)s not entered: counted Monday to Friday.")
    none = '<span class="text-muted">—</span>'
    parts = []
    for row in rows:
        if row["due_on"]:
            due = DUE.format(
                css="text-danger fw-semibold" if row["overdue"] else "",
                testid=' data-testid="overdue"' if row["overdue"] else "",
                due_on=escape(row["due_on"]),
                due_stage=escape(row["due_stage"]),
                overdue=overdue if row["overdue"] else "",
                fallback=(
                    '\n<div class="small text-warning-emphasis" data-testid="fallback">'
                    f"⚠ {escape(fallback % {'years': row['fallback_years']})}</div>"
                    if row["fallback_years"]
                    else ""
                ),
            )
        else:
            due = none
        parts.append(
            ROW.format(
                url=escape(row["url"]),
                reference=escape(row["reference"]),
                cadres=escape(row["cadres"]),
                matter=escape(row["matter"]),
                remedy=remedy if row["remedy_overdue"] else "",
                state_class=escape(row["state_class"]),
                state=escape(row["state"]),
                due=due,
                authority=escape(row["authority"]),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


BRANCHES = "case-branches"  # (cadres.access.KINDS: forgotten when the user is saved)
BRANCHES_KEPT = 4

QUEUE_RECALLED = ("case-grants", "filter-authorities-own", "filter-authorities-all", BRANCHES)
"""The user's case grants, own authorities (the filter's choices) and compiled branches:
read from the cache in one round trip (cadres.access.recall), the one that reads the
user's menu (recalls)."""


def queue_branches(user, queue_filter: QueueFilter, today) -> list[BranchSQL] | list:
    """visible_case_branches of the filtered cases, compiled (core.paging.compile_branches)
    and kept with the user's reach (cadres.access.remembered: forgotten when units,
    authorities, grants, groups or the user change) for the last BRANCHES_KEPT submitted
    values and days: their SQL is a pure function of the user's access paths, the values
    and the day (the deadline filters), and building and compiling it cost about a fifth
    of the page's CPU. Values the form refuses are filtered as submitted, not kept."""
    if queue_filter.is_bound and not queue_filter.is_valid():
        return visible_case_branches(user, queue_filter.qs)
    data = queue_filter.data
    key = (
        today,
        tuple((name, tuple(data.getlist(name))) for name in queue_filter.filters if name in data),
    )

    def compiled() -> list[BranchSQL]:
        return compile_branches(visible_case_branches(user, queue_filter.qs))

    def refresh(known: dict) -> dict:
        if key in known:
            return known
        return {**dict(list(known.items())[1 - BRANCHES_KEPT :]), key: compiled()}

    return remembered(user, BRANCHES, lambda: {key: compiled()}, refresh=refresh)[key]


@login_required
@recalls(*QUEUE_RECALLED)
def case_queue(request: HttpRequest) -> HttpResponse:
    if not works_on_cases(request.user):
        return redirect("tolerance:my_cases")
    recall(request.user, QUEUE_RECALLED)
    today = timezone.localdate()
    # The filters' queryset needs no annotation: each branch reads primary keys only.
    queue_filter = QueueFilter(request.GET, queryset=Case.objects.all(), request=request)
    page, count = union_page(
        lambda: queue_page_rows(today),
        queue_page_columns(),
        queue_branches(request.user, queue_filter, today),
        cursor=request.GET.get("cursor", ""),
        size=PAGE_SIZE,
        order=QUEUE_SORTING.order(request.GET),
        rows_key=("tolerance.queue", today),  # the rows' SQL is compiled once a day
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    export_query = query.copy()
    rows = queue_rows(page.rows, today)
    sort = QUEUE_SORTING.headers(request.GET)
    return render(
        request,
        "tolerance/queue.html",
        {
            "filter": queue_filter,
            "fields": queue_filter.fields(),
            "page": page,
            "rows": rows,
            "rows_html": queue_rows_html(rows),
            "count": count,
            "count_cap": COUNT_CAP,
            "today": today,
            "query": query.urlencode(),
            "may_open": bool(set(filing_starts(request.user)) & StartedBy.ex_officio()),
            "sort": sort,
            "sort_cells": header_cells(sort),
            "export_query": export_query.urlencode(),
        },
    )


@login_required
def case_queue_export(request: HttpRequest) -> HttpResponse:
    """The rows of the queue as filtered and sorted, every one of them, as a workbook."""
    if not works_on_cases(request.user):
        raise Http404
    today = timezone.localdate()
    queue_filter = QueueFilter(
        request.GET, queryset=queue_cases(request.user, today), request=request
    )
    rows = queue_filter.qs.order_by(*QUEUE_SORTING.order(request.GET))
    cases = list(rows)
    with transaction.atomic():
        audit.record(
            "tolerance.queue.export",
            actor=request.user,
            after={"filters": _filters_shown(request.GET), "rows": len(cases)},
        )
    headers = [
        _("Case"),
        _("Cadres concerned"),
        _("Accountability matter"),
        _("State"),
        _("Current deadline"),
        _("Deadline stage"),
        _("Competent authority"),
    ]
    return xlsx_response(
        f"tolerance-cases-{today.isoformat()}.xlsx",
        str(_("Tolerance cases")),
        [str(h) for h in headers],
        (
            [
                case.reference,
                "、".join(entry.cadre.name for entry in case.entries.all()),
                case.matter.title,
                str(case.get_state_display()),
                case.due_on,
                str(case.get_due_stage_display()),
                case.authority.name,
            ]
            for case in cases
        ),
    )


def _filters_shown(params) -> dict[str, str]:
    return {key: params.get(key) for key in sorted(params) if params.get(key)}
