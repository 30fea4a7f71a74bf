"""Documents before their number: draft → check (核稿) → sign-off (签发) → issue.

An app whose document kind needs a sign-off (`needs_signoff`, settings
DOCUMENT_SIGNOFF_KINDS) opens a draft (`draft_open`) instead of issuing. The draft has no
number and no file: its preview is rendered from the record as it is now, watermarked 草稿
(`draft_preview`), so it follows every change until it is signed. A second staff member of
the issuing authority checks it; a person with signing authority for the kind
(settings DOCUMENT_SIGNING_ROLES, the approving leader by default) signs it off. The
sign-off queues `core.tasks.issue_draft` through the outbox; only that task issues the
document (core.documents.document_issue: the number, the file frozen with its SHA-256) and
tells the people concerned. `draft_transition` is the one function that changes a draft's
state: it locks the draft, checks the declared transition and who acts, writes, audits and
notifies; a refused step changes nothing.

A correction (`document_correct`) never touches the issued document: it opens a new draft
that supersedes it, with a reason, and goes the same way to a new number; the old document
stays downloadable, marked superseded, and the verification page names its successor.

Every workflow issues through `issue_or_draft` (its Celery task calls it): a kind that
needs a sign-off is drafted, any other is issued at once. The app that owns a kind registers
how to render it from the record and what follows its issue (`register_draft_source`, in
AppConfig.ready); core never imports those apps, and a system check (core.checks) refuses
a kind that needs a sign-off with nobody registered to render its draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from . import audit, pdf
from .documents import Renderer, document_issue, rendered_ahead
from .enums import Role
from .errors import ActionRefused, StateChanged
from .models import DocumentDraft, DocumentKind, DraftState, IssuedDocument, User
from .notifications import TARGETS, notify
from .outbox import enqueue

logger = logging.getLogger(__name__)

ACTIONS = ("check", "sign")  # what people do; "issue" is the task's
# The transition each action takes (declared on DocumentDraft).
METHODS = {"check": "mark_checked", "sign": "sign_off", "issue": "mark_issued"}


@dataclass(frozen=True)
class DraftSource:
    """How the owning app renders a kind from the record, and what follows its issue."""

    render: Callable[[DocumentDraft], Renderer]
    recipients: Callable[[DocumentDraft], list[User]] = lambda draft: []
    issued: Callable[[DocumentDraft, IssuedDocument], None] | None = None
    page: Callable[[DocumentDraft], str] = lambda draft: ""
    # Who may sign off this draft as the owning app's policy data says (None or empty:
    # settings DOCUMENT_SIGNING_ROLES, else the approving leader).
    signers: Callable[[DocumentDraft], Sequence[str] | None] = lambda draft: None


SOURCES: dict[str, DraftSource] = {}


def register_draft_source(kind: str, source: DraftSource) -> None:
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind {kind!r}")
    current = SOURCES.get(kind)
    if current is not None and current is not source:
        raise ValueError(f"Drafts of {kind!r} are already rendered by {current!r}")
    SOURCES[kind] = source


# --- policy (data with a default) ---------------------------------------------------------


def needs_signoff(kind: str) -> bool:
    """Is this kind drafted, checked and signed off before it is issued?"""
    return kind in settings.DOCUMENT_SIGNOFF_KINDS


def role_token(role: str) -> str:
    """How one role is written in DocumentDraft.signers (`signers__contains` finds it)."""
    return f",{role},"


def signers_field(roles: Sequence[str]) -> str:
    return "," + ",".join(roles) + "," if roles else ""


def default_signing_roles() -> frozenset[str]:
    """The roles that sign off some kind by the site's setting (the approving leader when a
    kind names none): who has the home's sign-off item even with nothing waiting."""
    named = {role for roles in settings.DOCUMENT_SIGNING_ROLES.values() for role in roles}
    return frozenset({*named, Role.APPROVING_LEADER})


def signing_roles(kind: str, draft: DocumentDraft | None = None) -> tuple[str, ...]:
    """Who may sign off a kind: as fixed on the draft when it was checked; else the owning
    app's policy for the draft (its registered source's `signers`), else settings
    DOCUMENT_SIGNING_ROLES, else the approving leader."""
    if draft is not None and draft.signers:
        return tuple(role for role in draft.signers.split(",") if role)
    source = SOURCES.get(kind)
    if draft is not None and source is not None:
        chosen = source.signers(draft)
        if chosen:
            return tuple(chosen)
    return tuple(settings.DOCUMENT_SIGNING_ROLES.get(kind, (Role.APPROVING_LEADER,)))


def _staff(user: User, draft: DocumentDraft, *roles: str) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.has_role(*roles)
        and draft.authority_id in user.authority_ids
    )


def may_view(user: User, draft: DocumentDraft) -> bool:
    """The staff handling the authority's cases (and administrators) see drafts."""
    if user.is_authenticated and user.is_active and user.is_administrator:
        return True
    return _staff(user, draft, *Role.org_department_roles())


def may_check(user: User, draft: DocumentDraft) -> bool:
    """核稿: a staff member of the authority other than the one who drafted it."""
    return _staff(user, draft, *Role.org_department_roles()) and user.pk != draft.opened_by_id


def may_sign(user: User, draft: DocumentDraft) -> bool:
    """签发: signing authority for the kind, and not the person who checked it."""
    return (_staff(user, draft, *signing_roles(draft.kind, draft))
            and user.pk != draft.checked_by_id)


def may_correct(user: User, draft: DocumentDraft) -> bool:
    """Staff of the issuing authority open the correction of an issued document."""
    return _staff(user, draft, *Role.org_department_roles())


GUARDS = {"check": may_check, "sign": may_sign}


def allowed_actions(user: User, draft: DocumentDraft) -> list[str]:
    """The steps the draft's state allows and this user may take now (for the page)."""
    return [
        action
        for action in ACTIONS
        if can_proceed(getattr(draft, METHODS[action])) and GUARDS[action](user, draft)
    ]


# --- reading ------------------------------------------------------------------------------


def drafts_of(subject: Model):
    return DocumentDraft.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("document", "supersedes", "checked_by", "signed_by")


def draft_preview(draft: DocumentDraft) -> tuple[str, str, bytes]:
    """The draft as it would be issued today, from the record as it is now: no number,
    watermarked 草稿. Saves nothing."""
    render = SOURCES[draft.kind].render(draft)
    with pdf.as_draft():
        filename, content_type, content = render("", timezone.localdate())
    return f"草稿-{filename.lstrip('-')}", content_type, content


def approval_form(draft: DocumentDraft) -> tuple[str, str, bytes]:
    """The 呈批件 of a draft: what is issued, about what, drafted, checked and signed off by
    whom and when (blank lines for signatures still to come). Saves nothing."""
    from django.utils import translation

    def day(moment):
        return timezone.localtime(moment).date() if moment else None

    with translation.override("zh-hans"):
        content = pdf.render_pdf(
            "core/pdf/approval_form.html",
            {
                "draft": draft,
                "authority": draft.authority,
                "kind": draft.get_kind_display(),
                "subject": str(draft.subject) if draft.subject is not None else "",
                "opened_on": day(draft.opened_at),
                "checked_on": day(draft.checked_at),
                "signed_on": day(draft.signed_at),
                "signing_roles": "、".join(
                    str(Role(role).label) for role in signing_roles(draft.kind)
                ),
            },
        )
    return f"呈批件-{draft.title}.pdf", "application/pdf", content


# --- writing ------------------------------------------------------------------------------


def _handling_staff(draft: DocumentDraft, *roles: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, authorities=draft.authority_id, groups__name__in=roles
        ).distinct()
    )


def draft_url(draft: DocumentDraft) -> str:
    return reverse("documents:draft", args=[draft.pk])


def draft_open(
    *,
    key: str,
    kind: str,
    authority,
    series: str,
    title: str,
    subject: Model,
    cadre=None,
    actor: User | None = None,
    supersedes: IssuedDocument | None = None,
    reason: str = "",
) -> tuple[DocumentDraft, bool]:
    """Open the draft named by `key` once: (draft, True), or (existing, False). Audited;
    the authority's staff are told it waits for its check."""
    if kind not in SOURCES:
        raise ValueError(f"No draft source registered for {kind!r}")
    existing = DocumentDraft.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        draft, created = DocumentDraft.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "authority": authority,
                "series": series,
                "title": title,
                "content_type": ContentType.objects.get_for_model(subject),
                "object_id": subject.pk,
                "cadre": cadre,
                "opened_by": actor if actor is not None and actor.pk else None,
                "supersedes": supersedes,
                "reason": reason,
            },
        )
        if not created:
            return draft, False
        audit.record(
            "document.draft.open",
            actor=actor,
            obj=draft,
            after={
                "key": key,
                "kind": kind,
                "title": title,
                "supersedes": supersedes.number if supersedes is not None else None,
            },
            reason=reason,
            authority_id=authority.pk,
        )
        # 核稿 is the intake clerks' work (any staff member of the authority when it has none).
        checkers = _handling_staff(draft, Role.INTAKE_CLERK) or _handling_staff(
            draft, *Role.org_department_roles()
        )
        notify(
            (u for u in checkers if u != actor),
            "core.draft.to_check",
            params={"title": title},
            target=_about(draft, subject),
            url=draft_url(draft),
        )
    return draft, True


def draft_transition(
    draft: DocumentDraft,
    *,
    actor: User | None,
    action: str,
    document: IssuedDocument | None = None,
) -> DocumentDraft:
    """THE one function that changes a draft's state: check, sign (people) or issue (the
    task, with the document it issued). Returns the fresh draft; raises StateChanged when
    someone else took the step first, ActionRefused when this person may not."""
    if action not in METHODS:
        raise ValueError(f"unknown draft action {action!r}")
    with transaction.atomic():
        locked = DocumentDraft.objects.select_for_update().get(pk=draft.pk)
        method = getattr(locked, METHODS[action])
        if not can_proceed(method):
            raise StateChanged(state=DraftState(locked.state).label)
        if action == "issue":
            if actor is not None or document is None or document.key != locked.key:
                raise ValueError("Only the issuing task issues a draft, with its document")
        elif not GUARDS[action](actor, locked):
            raise ActionRefused(
                _("Check the draft as a second staff member of the issuing authority.")
                if action == "check"
                else _("Only someone with signing authority who did not check it signs it off.")
            )
        before = {"state": locked.state}
        now = timezone.now()
        if action == "check":
            locked.checked_by, locked.checked_at = actor, now
            locked.signers = signers_field(signing_roles(locked.kind, locked))
        elif action == "sign":
            locked.signed_by, locked.signed_at = actor, now
        else:
            locked.document = document
        method()
        locked.save()
        after = {"state": locked.state}
        if action == "check":
            after["signers"] = locked.signers
        if document is not None:
            after.update(number=document.number, sha256=document.sha256)
        audit.record(
            f"document.draft.{action}",
            actor=actor,
            obj=locked,
            before=before,
            after=after,
            authority_id=locked.authority_id,
        )
        _notify_step(locked, action, actor)
        if action == "sign":
            enqueue("core.tasks.issue_draft", draft_id=locked.pk)
    return locked


def _about(draft: DocumentDraft, subject: Model | None = None) -> Model:
    """What a draft's notifications are grouped under: the object it is about (a case, a
    proposal), when its app declared that kind of object, else the draft itself."""
    subject = subject if subject is not None else draft.subject
    if subject is not None and subject._meta.label_lower in TARGETS:
        return subject
    return draft


def _notify_step(draft: DocumentDraft, action: str, actor: User | None) -> None:
    """Checked: those who may sign it off must act. Issued: the people the document is
    for (the owning app's source says who) and who checked and signed it."""
    if action == "check":
        recipients = _handling_staff(draft, *signing_roles(draft.kind, draft))
        recipients = [u for u in recipients if u.pk != draft.checked_by_id]
        code, params, url = "core.draft.to_sign", {"title": draft.title}, draft_url(draft)
    elif action == "issue":
        source = SOURCES[draft.kind]
        recipients = [*source.recipients(draft), draft.checked_by, draft.signed_by]
        code = "core.draft.issued"
        params = {"number": draft.document.number, "title": draft.title}
        url = source.page(draft)
    else:
        return
    notify(
        (u for u in recipients if u is not None and u != actor),
        code,
        params=params,
        target=_about(draft),
        url=url,
    )


def draft_issue(draft_id: int) -> IssuedDocument | None:
    """Issue a signed draft (core.tasks.issue_draft calls this): number, file, hash, the
    draft marked issued and the owning app's follow-up, in one transaction. Safe to run
    again: an issued draft returns its document; an unsigned one issues nothing."""
    draft = DocumentDraft.objects.select_related("authority", "supersedes").filter(
        pk=draft_id
    ).first()
    if draft is None:
        logger.warning("Draft %s is gone; nothing to issue", draft_id)
        return None
    if draft.document_id is not None:
        return draft.document
    if draft.state != DraftState.SIGNED:
        logger.warning("Draft %s is %s, not signed: nothing to issue", draft.pk, draft.state)
        return None
    source = SOURCES[draft.kind]
    with rendered_ahead(
        source.render(draft), authority=draft.authority, series=draft.series
    ) as render, transaction.atomic():
        document, _created = document_issue(
            key=draft.key,
            kind=draft.kind,
            authority=draft.authority,
            series=draft.series,
            title=draft.title,
            render=render,
            subject=draft.subject,
            cadre=draft.cadre,
            actor=draft.signed_by,
            supersedes=draft.supersedes,
            correction_reason=draft.reason,
        )
        draft = draft_transition(draft, actor=None, action="issue", document=document)
        if source.issued is not None:
            source.issued(draft, document)
    return document


def issue_or_draft(
    *,
    key: str,
    kind: str,
    authority,
    series: str,
    title: str,
    render: Renderer,
    subject: Model,
    cadre=None,
    actor: User | None = None,
) -> IssuedDocument | None:
    """The one door every workflow's issuing task goes through. A kind that needs a sign-off
    (settings DOCUMENT_SIGNOFF_KINDS) gets its draft opened once and None until the draft is
    signed off and issued (`draft_issue`); any other kind is issued now. Safe to call again:
    the document already issued under `key` is returned."""
    if not needs_signoff(kind):
        with rendered_ahead(render, authority=authority, series=series) as ahead:
            document, _created = document_issue(
                key=key, kind=kind, authority=authority, series=series, title=title,
                render=ahead, subject=subject, cadre=cadre, actor=actor,
            )
        return document
    issued = IssuedDocument.objects.filter(key=key).first()
    if issued is not None:
        return issued
    draft_open(
        key=key, kind=kind, authority=authority, series=series, title=title,
        subject=subject, cadre=cadre, actor=actor,
    )
    return None


def document_correct(document: IssuedDocument, *, actor: User, reason: str) -> DocumentDraft:
    """Open the correction of an issued document: a new draft that supersedes it, with the
    reason, checked and signed off like any draft, issued under a new number."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give the reason for the correction."))
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        successor = IssuedDocument.objects.filter(supersedes=locked).first()
        if successor is not None:
            raise StateChanged(
                _("This document was already superseded by %(number)s.")
                % {"number": successor.number}
            )
        pending = locked.corrections.filter(state__in=DraftState.open_states()).first()
        if pending is not None:
            return pending
        if locked.kind not in SOURCES or locked.subject is None:
            raise ActionRefused(_("This kind of document cannot be corrected here."))
        probe = DocumentDraft(authority_id=locked.authority_id, kind=locked.kind)
        if not may_correct(actor, probe):
            raise ActionRefused(_("Only the staff of the issuing authority correct a document."))
        rounds = locked.corrections.count() + 1
        draft, _created = draft_open(
            key=f"{locked.key}~correction{rounds}",
            kind=locked.kind,
            authority=locked.authority,
            series=locked.series,
            title=locked.title,
            subject=locked.subject,
            cadre=locked.cadre,
            actor=actor,
            supersedes=locked,
            reason=reason,
        )
    return draft
