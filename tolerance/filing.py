"""Starting a case: routing to the competent authority, filing, attachments."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.enums import AuthorityKind
from cadres.models import Authority, Cadre
from cadres.permissions import visible_cadres
from core import audit
from core.enums import Role
from core.models import User
from core.policies import PolicyNotInForce
from core.uploads import UploadRejected, check_attachment, read_upload

from . import predicates as P
from .enums import CaseState, StartedBy
from .errors import CaseError, RoutingError
from .models import AccountabilityMatter, Attachment, Case, CaseCadre
from .models.case import AttachmentKind
from .policies import policy_in_force


def covering_authority(cadre: Cadre, authorities: Sequence[Authority]) -> Authority | None:
    """The most specific organization authority whose jurisdiction covers the cadre."""
    best, best_depth = None, -1
    for authority in authorities:
        if cadre.management_level not in authority.management_levels:
            continue
        for root in authority.root_units.all():
            if cadre.unit.path.startswith(root.path) and len(root.path) > best_depth:
                best, best_depth = authority, len(root.path)
    return best


def route_authority(cadres: Sequence[Cadre]) -> Authority:
    """The competent authority for these cadres (all must share it)."""
    if not cadres:
        raise RoutingError(_("Choose at least one cadre."))
    authorities = list(
        Authority.objects.filter(kind=AuthorityKind.ORGANIZATION).prefetch_related("root_units")
    )
    found = {covering_authority(cadre, authorities) for cadre in cadres}
    if None in found:
        raise RoutingError(_("No organization department is competent for one of these cadres."))
    if len(found) > 1:
        raise RoutingError(
            _(
                "These cadres fall under different organization departments; "
                "file a separate application for each."
            )
        )
    return found.pop()


def _check_filer(actor: User, started_by: str, cadres: Sequence[Cadre], authority) -> None:
    if started_by == StartedBy.CADRE:
        ok = actor.has_role(Role.CADRE) and [c.pk for c in cadres] == [actor.cadre_id]
    elif started_by == StartedBy.UNIT:
        ok = (
            actor.has_role(Role.UNIT_HR)
            and actor.unit_id is not None
            and all(c.unit.path.startswith(actor.unit.path) for c in cadres)
        )
    else:
        ok = actor.has_role(*Role.org_department_roles()) and authority.pk in actor.authority_ids
    if not ok:
        raise CaseError(_("You may not start this kind of case for these cadres."))


def case_create(
    *,
    actor: User,
    started_by: str,
    cadres: Sequence[Cadre],
    title: str,
    description: str,
    occurred_on,
    action: str = "",
    action_by: str = "",
    document_ref: str = "",
    application_text: str = "",
) -> Case:
    """A new case in draft, routed to the competent authority and judged under the policy
    version in force on the day of the conduct."""
    if started_by not in StartedBy.values:
        raise ValueError(f"unknown start {started_by!r}")
    if not (title or "").strip() or not (description or "").strip():
        raise CaseError(_("Say what the accountability matter is and what happened."))
    if occurred_on > timezone.localdate():
        raise CaseError(_("The date of the conduct cannot be in the future."), field="occurred_on")
    wanted = {c.pk for c in cadres}
    cadres = list(visible_cadres(actor).select_related("unit").filter(pk__in=wanted).order_by("pk"))
    if len(cadres) != len(wanted):
        # A cadre the actor cannot see: refused like any other filer mismatch.
        raise CaseError(_("You may not start this kind of case for these cadres."))
    authority = route_authority(cadres)
    _check_filer(actor, started_by, cadres, authority)
    try:
        version = policy_in_force(authority, occurred_on)
    except PolicyNotInForce as exc:
        raise CaseError(exc.message, field="occurred_on") from exc
    with transaction.atomic():
        matter = AccountabilityMatter.objects.create(
            title=title,
            description=description,
            occurred_on=occurred_on,
            action=action,
            action_by=action_by,
            document_ref=document_ref,
            created_by=actor,
        )
        matter.cadres.set(cadres)
        case = Case.objects.create(
            authority=authority,
            policy_version=version,
            matter=matter,
            started_by=started_by,
            filed_by=actor,
            applicant_unit=actor.unit if started_by == StartedBy.UNIT else None,
            application_text=application_text,
        )
        CaseCadre.objects.bulk_create([CaseCadre(case=case, cadre=c) for c in cadres])
        audit.record(
            "tolerance.case.create",
            actor=actor,
            obj=case,
            after={
                "state": CaseState.DRAFT,
                "started_by": started_by,
                "cadres": [c.pk for c in cadres],
                "matter": matter.pk,
                "policy_version": version.pk,
            },
            authority_id=authority.pk,
        )
    return case


def _may_attach(case: Case, user: User, kind: str) -> bool:
    if case.state in CaseState.finished_states():
        return False
    if case.state in (CaseState.DRAFT, CaseState.SUBMITTED) and P.can_submit(case, user):
        return True
    own_statement = kind == AttachmentKind.STATEMENT and case.state != CaseState.DRAFT
    if own_statement and P.concerns(case, user):
        return True
    return case.state == CaseState.INVESTIGATING and P.can_investigate(case, user)


def attachment_add(case: Case, *, actor: User, upload, kind: str, note: str = "") -> Attachment:
    """Store an uploaded file after checking its size and its type by content."""
    if kind not in AttachmentKind.values:
        raise CaseError(_("Unknown kind of attachment."))
    if not _may_attach(Case.objects.get(pk=case.pk), actor, kind):
        raise CaseError(_("You cannot add files to this case now."))
    try:
        data = read_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        content_type, extension = check_attachment(data)
    except UploadRejected as exc:
        raise CaseError(str(exc)) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    original = (getattr(upload, "name", "") or "").replace("/", "_").replace("\\", "_")[-150:]
    stem = original.rsplit(".", 1)[0] if "." in original else original
    filename = f"{stem or 'attachment'}.{extension}"
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if not _may_attach(case, actor, kind):  # the case moved on meanwhile
            raise CaseError(_("You cannot add files to this case now."))
        attachment = Attachment(
            case=case,
            kind=kind,
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=sha256,
            note=note[:200],
            uploaded_by=actor,
        )
        attachment.file.save(f"{sha256[:32]}.{extension}", ContentFile(data), save=False)
        attachment.save()
        audit.record(
            "tolerance.attachment.add",
            actor=actor,
            obj=case,
            after={"attachment": attachment.pk, "filename": filename, "sha256": sha256},
            authority_id=case.authority_id,
        )
    return attachment
