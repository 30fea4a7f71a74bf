"""The case page and the actions posted from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadres.access import recall, recalls
from core.kept_uploads import KeepsUploads

from ..errors import CaseError
from ..permissions import get_case_for_user
from .actions import (
    SPECS,
    ActionForm,
    appeal_actions,
    case_actions,
    entry_actions,
    make,
    remedy_actions,
    resolve_target,
)
from .page import CasePage, case_for_page


def render_case(
    request: HttpRequest, page: CasePage, *, posted: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    """The page with the actions offered now; `posted` replaces its blank twin so that the
    viewer sees what they typed and why it was refused."""

    def swap(action: ActionForm) -> ActionForm:
        if (
            posted is not None
            and action.spec.name == posted.spec.name
            and action.target_id == posted.target_id
        ):
            return posted
        return action

    for view in page.entry_views:
        view.actions = [swap(a) for a in entry_actions(page, view.entry)]
    for appeal in page.appeals:
        appeal.actions = [swap(a) for a in appeal_actions(page, appeal)]
    for remedy in page.remedies:
        remedy.actions = [swap(a) for a in remedy_actions(page, remedy)]
    actions = [swap(a) for a in case_actions(page)]
    return render(
        request,
        "tolerance/case_detail.html",
        {
            "page": page,
            "case": page.case,
            "actions": actions,
            "open_action": posted.spec.name if posted is not None else "",
        },
        status=status,
    )


DETAIL_RECALLED = ("case-filter",)
"""The user's compiled case filter (get_case_for_user): read from the cache in the round
trip that reads the user's menu (cadres.access.recalls)."""


@login_required
@recalls(*DETAIL_RECALLED)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recall(request.user, DETAIL_RECALLED)
    return render_case(request, CasePage(request, case_for_page(request.user, pk)))


@require_POST
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action: a bad form comes back with its errors (400), a refusal by the service
    with its message (409); either way nothing changed."""
    case = get_case_for_user(request.user, pk)
    spec = SPECS.get(action)
    if spec is None:
        raise Http404("No such action")
    page = CasePage(request, case)
    target = resolve_target(page, spec, request.POST.get("target", ""))
    if spec.target and target is None:
        raise Http404("No such entry, appeal or measure")
    posted = make(page, action, target, request.POST, request.FILES)
    if not posted.form.is_valid():
        return render_case(request, page, posted=posted, status=400)
    try:
        spec.run(page, target, posted.form)
    except CaseError as exc:
        if exc.field is not None and (exc.field == "__all__" or exc.field in posted.form.fields):
            posted.form.add_error(None if exc.field == "__all__" else exc.field, exc.message)
            posted.form.full_clean_style()
        else:
            messages.error(request, exc.message)
        if isinstance(posted.form, KeepsUploads):
            posted.form.keep_uploads()  # the chosen files wait for the retry
        return render_case(request, page, posted=posted, status=409)
    if isinstance(posted.form, KeepsUploads):
        posted.form.discard_kept()
    messages.success(request, spec.done)
    return redirect("tolerance:case_detail", pk=case.pk)
