"""Pages of document drafts: the staff's list, one draft with its steps, its preview, and
the correction of an issued document. Every step goes through core.drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import audit, drafts
from .document_access import get_document_for_user
from .enums import Role
from .errors import ActionRefused
from .models import DocumentDraft, DraftState

LIST_SIZE = 100


def get_draft_for_user(user, pk: int) -> DocumentDraft:
    """The draft if the user handles its authority's documents; 404 otherwise, missing or not."""
    draft = (
        DocumentDraft.objects.select_related(
            "authority", "cadre", "opened_by", "checked_by", "signed_by", "document",
            "supersedes",
        )
        .filter(pk=pk)
        .first()
    )
    if draft is None:
        raise Http404("No such draft")
    if not drafts.may_view(user, draft):
        raise Http404("No such draft")
    return draft


def visible_drafts(user):
    if not user.is_authenticated or not user.is_active:
        return DocumentDraft.objects.none()
    if user.is_administrator:
        return DocumentDraft.objects.all()
    if not user.has_role(*Role.org_department_roles()):
        return DocumentDraft.objects.none()
    return DocumentDraft.objects.filter(authority_id__in=user.authority_ids)


def drafts_to_check(user):
    """Drafts waiting for 核稿 that this person may check (not their own draft); the work
    item on the home page counts exactly these (workbench.items)."""
    return (
        visible_drafts(user)
        .filter(state=DraftState.DRAFTED)
        .exclude(opened_by_id=user.pk)
    )


def drafts_to_sign(user):
    """Checked drafts waiting for 签发 that this person may sign off, as core.drafts.may_sign
    says (a staff member of the issuing authority holding one of the draft's signing roles,
    not the one who checked it); the home's work item counts exactly these."""
    roles = user.roles if user.is_authenticated else frozenset()
    if not roles:
        return DocumentDraft.objects.none()
    holds = Q()
    for role in sorted(roles):
        holds |= Q(signers__contains=drafts.role_token(role))
    return (
        DocumentDraft.objects.filter(state=DraftState.CHECKED, authority_id__in=user.authority_ids)
        .exclude(checked_by_id=user.pk)
        .filter(holds)
    )


STEPS = {"check": drafts_to_check, "sign": drafts_to_sign}


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    """The open drafts of the person's authorities; `?step=check`: those they may check;
    `?step=sign`: those they may sign off."""
    step = request.GET.get("step", "")
    chosen = STEPS.get(step)
    rows = (
        chosen(request.user) if chosen is not None
        else visible_drafts(request.user).filter(state__in=DraftState.open_states())
    )
    rows = rows.select_related("authority", "checked_by").order_by("opened_at", "id")[:LIST_SIZE]
    return render(
        request, "core/draft_list.html", {"rows": rows, "step": step if chosen else ""}
    )


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in drafts.ACTIONS:
            raise Http404("No such step")
        try:
            draft = drafts.draft_transition(draft, actor=request.user, action=action)
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Checked.") if action == "check" else _("Signed off: the document is being "
                                                         "issued and numbered."),
            )
        return redirect("documents:draft", pk=draft.pk)
    successor = None
    if draft.document_id is not None:
        successor = type(draft.document).objects.filter(supersedes=draft.document).first()
    return render(
        request,
        "core/draft_detail.html",
        {
            "draft": draft,
            "actions": drafts.allowed_actions(request.user, draft),
            "signing_roles": [Role(role).label for role in drafts.signing_roles(draft.kind, draft)],
            "successor": successor,
            "may_correct": draft.document_id is not None
            and successor is None
            and drafts.may_correct(request.user, draft),
        },
    )


@login_required
@require_GET
def draft_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft rendered now (草稿, no number): a read of the record, audited."""
    draft = get_draft_for_user(request.user, pk)
    filename, content_type, content = drafts.draft_preview(draft)
    audit.record(
        "document.draft.preview", actor=request.user, obj=draft, authority_id=draft.authority_id
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def draft_approval_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The 呈批件 for the sign-off, as a PDF; a read of the record, audited."""
    draft = get_draft_for_user(request.user, pk)
    filename, content_type, content = drafts.approval_form(draft)
    audit.record(
        "document.draft.approval_form", actor=request.user, obj=draft,
        authority_id=draft.authority_id,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_correct(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    try:
        draft = drafts.document_correct(
            document, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
        source = getattr(document, "draft", None)
        if source is not None:
            return redirect("documents:draft", pk=source.pk)
        raise Http404("No such document") from refused
    messages.success(request, _("The correction is drafted: check and sign it off."))
    return redirect("documents:draft", pk=draft.pk)
