"""The applicant's side: "my cases" and filing a case online."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre
from cadres.permissions import visible_cadres
from core.enums import Role
from core.models import IssuedDocument, User

from ..appeals import appeal_deadline
from ..enums import CaseState, Outcome, StartedBy
from ..errors import CaseError
from ..filing import attachment_add, case_create
from ..forms import FilingForm
from ..models import Case, CaseCadre, Delivery
from ..models.case import AttachmentKind
from ..permissions import sees_all_entries, visible_cases
from ..workflow import case_transition
from .visibility import CONCLUDED_STATES

PAGE_SIZE = 25
S = CaseState


def next_step(case: Case, today: dt.date, entries=None) -> str:
    """What happens next, in one sentence for the applicant or the cadre. `entries`: the
    cadres the viewer sees; when every one of them was exempted, nobody is invited to
    appeal against the exemption."""
    state = case.state
    exempted = bool(entries) and all(e.outcome == Outcome.EXEMPT for e in entries)
    if state in (S.FED_BACK, S.PUBLISHED) and exempted:
        return _("Exempted from responsibility: the matter does not count against you.")
    if state in (S.FED_BACK, S.PUBLISHED):
        if case.appeal_due_on and today <= case.appeal_due_on:
            return _("If you disagree with the conclusion you may appeal until %(date)s.") % {
                "date": case.appeal_due_on.isoformat()
            }
        return _("The conclusion is final; the case will be closed.")
    sentences = {
        S.DRAFT: _("Complete the application and submit it to the competent authority."),
        S.SUBMITTED: _("The competent authority decides whether to accept the application."),
        S.ACCEPTED: _("Accepted; an investigator will be assigned."),
        S.NOT_ACCEPTED: _("Not accepted; the notice gives the reasons."),
        S.INVESTIGATING: _("The facts are being investigated; you may add your own statement."),
        S.DELIBERATING: _("The committee will decide collectively."),
        S.DECIDED: _("The conclusion has been reached; the ruling is being issued."),
        S.RULING_ISSUED: _("The ruling has been issued and will be fed back to you."),
        S.APPEALED: _("The appeal is being reviewed by someone who took no part in the case."),
        S.CLOSED: _("Nothing more to do: the case is closed."),
        S.WITHDRAWN: _("The application was withdrawn."),
    }
    return str(sentences.get(state, ""))


def _mine_q(user: User) -> Q:
    q = Q(filed_by=user)
    if user.cadre_id:
        q |= Exists(CaseCadre.objects.filter(case=OuterRef("pk"), cadre_id=user.cadre_id))
    if user.has_role(Role.UNIT_HR) and user.unit_id:
        q |= Q(applicant_unit__path__startswith=user.unit.path)
    return q


def cases_of(user: User):
    """The cases this user filed, is the subject of, or that the user's unit applied for."""
    return visible_cases(user).filter(_mine_q(user))


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    user = request.user
    cases = (
        cases_of(user)
        .select_related("authority", "matter")
        .prefetch_related(
            Prefetch("entries", CaseCadre.objects.select_related("cadre").order_by("id"))
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [case.pk for case in page]
    documents = defaultdict(list)
    if ids:
        for document in IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Case), object_id__in=ids
        ).order_by("issued_at", "id"):
            documents[document.object_id].append(document)
    deliveries = {}
    if ids:  # the latest delivery of each case: its date and the appeal deadline
        for delivery in Delivery.objects.filter(case_id__in=ids).order_by("case_id", "id"):
            deliveries[delivery.case_id] = delivery
    today = timezone.localdate()
    rows = []
    for case in page:
        everyone = sees_all_entries(user, case)
        entries = [e for e in case.entries.all() if everyone or e.cadre_id == user.cadre_id]
        rows.append(
            {
                "case": case,
                "entries": entries,
                "concluded": case.state in CONCLUDED_STATES,
                "next_step": next_step(case, today, entries),
                "delivery": deliveries.get(case.pk),
                "appeal_open": case.appeal_due_on is not None and today <= case.appeal_due_on,
                "exempted": bool(entries) and all(e.outcome == Outcome.EXEMPT for e in entries),
                "overdue": case.due_on is not None and case.due_on < today,
                "appeal_until": appeal_deadline(case),
                "documents": [
                    d
                    for d in documents[case.pk]
                    if everyone or d.cadre_id is None or d.cadre_id == user.cadre_id
                ],
            }
        )
    return render(
        request,
        "tolerance/my_cases.html",
        {"rows": rows, "page": page, "may_file": bool(filing_starts(user))},
    )


# --- filing -------------------------------------------------------------------------------


def filing_starts(user: User) -> list[str]:
    """The ways this user may start a case."""
    starts = []
    if user.has_role(Role.CADRE) and user.cadre_id:
        starts.append(StartedBy.CADRE)
    if user.has_role(Role.UNIT_HR) and user.unit_id:
        starts.append(StartedBy.UNIT)
    if user.has_role(*Role.org_department_roles()) and user.authority_ids:
        starts += [
            StartedBy.EX_OFFICIO_INSPECTION,
            StartedBy.EX_OFFICIO_INVESTIGATION,
            StartedBy.EX_OFFICIO_ACCOUNTABILITY,
        ]
    return starts


def filing_cadres(user: User, starts: list[str]) -> list[Cadre]:
    """The cadres offered for a unit application or an ex officio case."""
    if starts == [StartedBy.CADRE]:
        return []
    cadres = visible_cadres(user).select_related("unit")
    if StartedBy.UNIT in starts and not set(starts) & StartedBy.ex_officio():
        cadres = cadres.filter(unit__path__startswith=user.unit.path)
    return list(cadres.order_by("unit__path", "name", "id")[:2000])


@login_required
def file_case(request: HttpRequest) -> HttpResponse:
    user = request.user
    starts = filing_starts(user)
    if not starts:
        raise Http404("You cannot file a case")
    form = FilingForm(
        request.POST or None,
        request.FILES or None,
        starts=starts,
        cadres=filing_cadres(user, starts),
        owner=user,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case = _file(user, form, submit="submit_now" in request.POST)
            except CaseError as exc:
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                    form.full_clean_style()
                else:
                    messages.error(request, exc.message)
                form.keep_uploads()
                status = 409
            else:
                form.discard_kept()
                if case.state == CaseState.SUBMITTED and case.is_application:
                    messages.success(request, _("Your application has been submitted."))
                elif case.state == CaseState.SUBMITTED:
                    messages.success(
                        request,
                        _("The case started by the authority has been submitted for acceptance."),
                    )
                else:
                    messages.success(
                        request, _("Saved as a draft. Check it, then submit it below.")
                    )
                return redirect("tolerance:case_detail", pk=case.pk)
    return render(
        request,
        "tolerance/file_case.html",
        {"form": form, "ex_officio": bool(set(starts) & StartedBy.ex_officio())},
        status=status,
    )


def _file(user: User, form: FilingForm, *, submit: bool) -> Case:
    data = form.cleaned_data
    started_by = form.started_by()
    cadres = [user.cadre] if started_by == StartedBy.CADRE else data.get("cadres") or []
    with transaction.atomic():  # the case, its files and the submission, or nothing
        case = case_create(
            actor=user,
            started_by=started_by,
            cadres=cadres,
            title=data["title"],
            description=data["description"],
            occurred_on=data["occurred_on"],
            action=data["action"],
            action_by=data["action_by"],
            document_ref=data["document_ref"],
            application_text=data["application_text"],
        )
        for upload in data["files"]:
            attachment_add(case, actor=user, upload=upload, kind=AttachmentKind.APPLICATION)
        if submit:
            case = case_transition(case, actor=user, action="submit")
    return case
