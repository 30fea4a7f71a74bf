"""Pages: petitions (list, register, detail with its actions, CSV export), prevention
filings (register, detail with citing a case) and the statistics.

Every view reaches objects only through clarifications.permissions (404 for missing and
forbidden alike) and writes only through the services. The informant's identity is put in
the context only through permissions.informant_display.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from core import audit, fsm
from core.drafts import drafts_of
from core.listing import Sorting, xlsx_response
from core.models import DraftState
from core.paging import COUNT_CAP, capped_count, keyset_page
from core.sheets.writer import csv_writer
from tolerance.permissions import get_case_for_user, visible_cases

from . import filings as filing_services
from . import services
from .documents import clarification_issue_notice
from .enums import PetitionOutcome
from .errors import ClarificationError
from .filters import PetitionFilter
from .forms import (
    AccuserResultForm,
    CiteForm,
    ClarificationForm,
    ConclusionForm,
    FilingForm,
    PetitionForm,
    VerificationForm,
)
from .models import Clarification
from .permissions import (
    can_handle,
    can_register,
    can_see_register,
    filing_authority_ids,
    get_filing_for_user,
    get_petition_for_user,
    handling_authority_ids,
    informant_display,
    sees_informant,
    visible_filings,
    visible_petition_paths,
    visible_petitions,
)
from .queries import statistics

LIST_LIMIT = 200
PAGE_SIZE = 50
PETITION_ORDER = ("-received_on", "-id")
PETITION_SORTING = Sorting(
    columns={
        "reference": (pgettext_lazy("clarifications", "Reference"), ("id",)),
        "received": (pgettext_lazy("clarifications", "received on"), ("received_on", "id")),
        "state": (pgettext_lazy("clarifications", "state"), ("state", "received_on", "id")),
    },
    default="-received",
)


def _t(text: str) -> str:
    return pgettext("clarifications", text)


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    """Newest first, filtered, keyset-paged. Informants' identities are not listed: a name is
    shown on the petition's own page, to the handling staff, and that read is audited."""
    if not can_see_register(request.user):
        raise Http404
    filterset = PetitionFilter(request.GET or None, queryset=visible_petitions(request.user))
    matching = filterset.matching
    branches = filterset.branches(visible_petition_paths(request.user))
    page = keyset_page(
        matching.select_related("authority", "cadre", "unit", "clarification"),
        cursor=request.GET.get("cursor", ""),
        size=PAGE_SIZE,
        order=PETITION_SORTING.order(request.GET),
        branches=branches,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "clarifications/petition_list.html",
        {
            "page": page,
            "filter": filterset,
            "count": capped_count(matching, branches=branches),
            "count_cap": COUNT_CAP,
            "query": query.urlencode(),
            "can_register": can_register(request.user),
            "sort": PETITION_SORTING.headers(request.GET),
        },
    )


@login_required
def petition_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The petitions the list's filter selects, in the list's order, as a workbook (audited;
    written row by row). Never the informant's identity."""
    if not can_see_register(request.user):
        raise Http404
    filterset = PetitionFilter(request.GET or None, queryset=visible_petitions(request.user))
    petitions = filterset.matching.select_related(
        "authority", "cadre", "unit", "clarification"
    ).order_by(*PETITION_SORTING.order(request.GET))
    with transaction.atomic():
        audit.record(
            "clarifications.petition.export",
            actor=request.user,
            after={"filters": {k: v for k, v in sorted(request.GET.items()) if v}},
        )
    headers = [
        _t("Reference"), _t("handling authority"), _t("received on"), _t("channel"),
        _t("about"), _t("informant"), _t("state"), _t("outcome"), _t("concluded on"),
        _t("clarified on"),
    ]

    def rows():
        for p in petitions.iterator(chunk_size=500):
            clarification = getattr(p, "clarification", None)
            yield [
                p.reference, p.authority.name, p.received_on, p.get_channel_display(),
                p.subject_name, _t("Anonymous") if p.anonymous else _t("(withheld)"),
                p.get_state_display(), p.get_outcome_display(), p.concluded_on,
                clarification.held_on if clarification else None,
            ]

    return xlsx_response(
        "petitions.xlsx", _t("Petitions and reports"), headers, rows()
    )


@login_required
def petition_export(request: HttpRequest) -> HttpResponse:
    """CSV of the visible petitions the filter selects. Never the informant's identity."""
    if not can_see_register(request.user):
        raise Http404
    filterset = PetitionFilter(request.GET or None, queryset=visible_petitions(request.user))
    petitions = filterset.matching.select_related(
        "authority", "cadre", "unit", "clarification"
    ).order_by(*PETITION_ORDER)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="petitions.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(
        [_t("Reference"), _t("handling authority"), _t("received on"), _t("channel"),
         _t("about"), _t("informant"), _t("outcome"), _t("concluded on"), _t("clarified on")]
    )
    for p in petitions.iterator(chunk_size=500):
        clarification = getattr(p, "clarification", None)
        writer.writerow([
            p.reference, p.authority.name, p.received_on.isoformat(), p.get_channel_display(),
            p.subject_name, _t("Anonymous") if p.anonymous else _t("(withheld)"),
            p.get_outcome_display(), p.concluded_on.isoformat() if p.concluded_on else "",
            clarification.held_on.isoformat() if clarification else "",
        ])
    return response


@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    authority_ids = handling_authority_ids(request.user)
    if not authority_ids:
        raise Http404
    form = PetitionForm(request.POST or None, user=request.user, authority_ids=authority_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = services.petition_create(actor=request.user, **data)
        except ClarificationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("clarifications:petition", pk=petition.pk)
    return render(request, "clarifications/petition_form.html", {"form": form})


ACTIONS = {
    "verify": VerificationForm,
    "conclude": ConclusionForm,
    "accuser": AccuserResultForm,
    "clarify": ClarificationForm,
}


def _offered(petition) -> set[str]:
    offered = set(fsm.allowed_names(petition, services.PETITION_ACTIONS))
    if petition.outcome == PetitionOutcome.FALSE_ACCUSATION and not petition.accuser_result:
        offered.add("accuser")
    clarification = getattr(petition, "clarification", None)
    if petition.outcome in PetitionOutcome.clarifiable() and clarification is None:
        offered.add("clarify")
    if (
        clarification is not None
        and clarification.document_id is None
        and not drafts_of(clarification).exists()
    ):
        offered.add("issue")
    return offered


def _open_draft(petition):
    """The notice's draft still waiting for its check or sign-off (core.drafts), if any."""
    clarification = getattr(petition, "clarification", None)
    if clarification is None:
        return None
    return drafts_of(clarification).filter(state__in=DraftState.open_states()).first()


def _render_petition(request, petition, posted=None, status=200):
    handles = can_handle(request.user, petition)
    offered = _offered(petition) if handles else set()
    forms = {}
    for name in sorted(offered - {"issue"}):
        if posted is not None and posted[0] == name:
            forms[name] = posted[1]
        elif name == "verify":
            forms[name] = VerificationForm(initial={
                "explanation_heard_on": petition.explanation_heard_on,
                "explanation": petition.explanation,
                "opinions": petition.opinions,
                "findings": petition.findings,
            })
        else:
            forms[name] = ACTIONS[name]()
    name, contact = informant_display(request.user, petition)
    if sees_informant(request.user, petition) and (
        petition.informant_name or petition.informant_contact
    ):
        services.petition_informant_read(petition, actor=request.user)
    return render(
        request,
        "clarifications/petition_detail.html",
        {
            "petition": petition,
            "clarification": getattr(petition, "clarification", None),
            "informant_name": name,
            "informant_contact": contact,
            "handles": handles,
            "forms": forms,
            "can_issue": "issue" in offered,
            "notice_draft": _open_draft(petition) if handles else None,
        },
        status=status,
    )


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = get_petition_for_user(request.user, pk)
    return _render_petition(request, petition)


@login_required
@require_POST
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    petition = get_petition_for_user(request.user, pk)
    if not can_handle(request.user, petition):
        raise Http404
    user = request.user
    try:
        if action == "issue":
            clarification = Clarification.objects.filter(petition=petition).first()
            if clarification is None:
                raise Http404
            clarification_issue_notice(clarification, actor=user)
            messages.success(
                request, _t("The notice is being issued; its number appears here once issued.")
            )
            return redirect("clarifications:petition", pk=petition.pk)
        if action not in ACTIONS:
            raise Http404
        form = ACTIONS[action](request.POST)
        if not form.is_valid():
            return _render_petition(request, petition, posted=(action, form), status=400)
        data = form.cleaned_data
        if action == "verify":
            services.petition_record_verification(petition, actor=user, **data)
        elif action == "conclude":
            services.petition_conclude(petition, actor=user, **data)
        elif action == "accuser":
            services.petition_record_accuser_result(petition, actor=user, **data)
        else:
            services.clarification_record(petition, actor=user, **data)
    except ClarificationError as error:
        messages.error(request, str(error))
        return redirect("clarifications:petition", pk=petition.pk)
    messages.success(request, _t("Saved."))
    return redirect("clarifications:petition", pk=petition.pk)


# --- prevention filings --------------------------------------------------------------------


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    authority_ids = filing_authority_ids(request.user)
    filings = list(
        visible_filings(request.user).select_related("authority", "unit")[:LIST_LIMIT]
    )
    if not can_see_register(request.user):
        raise Http404
    form = None
    if authority_ids:
        form = FilingForm(request.POST or None, user=request.user, authority_ids=authority_ids)
        if request.method == "POST" and form.is_valid():
            try:
                filing = filing_services.filing_create(actor=request.user, **form.cleaned_data)
            except ClarificationError as error:
                form.add_error(None, str(error))
            else:
                return redirect("clarifications:filing", pk=filing.pk)
    return render(
        request, "clarifications/filing_list.html", {"filings": filings, "form": form}
    )


@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    citations = [
        c for c in filing.citations.select_related("case").order_by("id")
    ]
    visible = set(
        visible_cases(request.user)
        .filter(pk__in=[c.case_id for c in citations])
        .values_list("pk", flat=True)
    )
    form = CiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = get_case_for_user(request.user, form.cleaned_data["case"])
            filing_services.case_cite_filing(case, actor=request.user, filing=filing)
        except Http404:
            form.add_error("case", _t("No such case."))
        except ClarificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _t("Filing cited in case %(case)s.") % {"case": case})
            return redirect("clarifications:filing", pk=filing.pk)
    return render(
        request,
        "clarifications/filing_detail.html",
        {
            "filing": filing,
            "citations": [(c, c.case_id in visible) for c in citations],
            "form": form,
        },
    )


# --- statistics ----------------------------------------------------------------------------


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_see_register(user):
        raise Http404
    return render(
        request,
        "clarifications/stats.html",
        {"rows": statistics(visible_petitions(user))},
    )
