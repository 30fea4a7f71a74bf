"""Who reads which issued documents, as one queryset; who may use the register and the
statistics; whose export is whose.

`readable_documents(user)` is core.documents.get_document_for_user for many documents at
once: administrators read every document; anyone else reads a document when the app that
owns its kind lets them (core.documents.DOCUMENT_ACCESS). Each owner's rule is restated
here set-based, one line per path, and tests/core/test_register_access.py checks, document
by document and persona by persona, that both answers agree. A kind whose owner registered
a check but has no line here is read by administrators only (safe, and a test fails).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from core.enums import Role
from core.models import DocumentKind, IssuedDocument, User
from register.models import ExportJob, ExportKind

# Kinds whose readers tolerance.rulings.can_read_document decides (see tolerance.apps).
TOLERANCE_KINDS = (
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.NON_ACCEPTANCE_NOTICE,
    DocumentKind.TOLERANCE_RULING,
    DocumentKind.APPEAL_DECISION,
)
# Kinds whose readers promotions.proposals.permissions.can_read_document decides
# (see promotions.apps).
PROMOTIONS_KINDS = (DocumentKind.ADJUSTMENT_PROPOSAL, DocumentKind.ADJUSTMENT_DECISION)
# Kinds whose readers clarifications.permissions.can_read_notice decides.
CLARIFICATIONS_KINDS = (DocumentKind.CLARIFICATION_NOTICE,)
# Kinds whose readers promotions.exceptional.documents.can_read_exceptional decides.
EXCEPTIONAL_KINDS = (DocumentKind.EXCEPTIONAL_PROMOTION,)
COVERED_KINDS = frozenset(
    TOLERANCE_KINDS + PROMOTIONS_KINDS + CLARIFICATIONS_KINDS + EXCEPTIONAL_KINDS
)

_NOTHING = Q(pk__in=[])


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def _tolerance_q(user: User) -> Q:
    """tolerance.rulings.can_read_document, set-based.

    The document is about a case visible to the user (tolerance.permissions.visible_cases:
    drafts are never visible to staff or auditors); a notice (no cadre) is then readable. A
    document about one cadre needs, in addition, sight of every cadre of the case
    (tolerance.permissions.sees_all_entries) or to be the user's own. Only a cadre the case
    is about lacks that sight, unless they filed the case or work on it as staff.
    """
    from tolerance.models import Case, CaseCadre
    from tolerance.permissions import visible_cases

    about_visible_case = Q(
        kind__in=TOLERANCE_KINDS,
        content_type__app_label="tolerance",
        content_type__model="case",
        object_id__in=visible_cases(user).values("pk"),
    )
    if not (user.has_role(Role.CADRE) and user.cadre_id is not None):
        return about_visible_case
    not_about_me = ~Exists(CaseCadre.objects.filter(case=OuterRef("pk"), cadre_id=user.cadre_id))
    sees_all_entries = Q(filed_by=user) | not_about_me
    if user.has_role(*Role.org_department_roles(), Role.AUDITOR) and user.authority_ids:
        sees_all_entries |= Q(authority_id__in=user.authority_ids)
    whose = (
        Q(cadre__isnull=True)
        | Q(cadre_id=user.cadre_id)
        | Q(object_id__in=Case.objects.filter(sees_all_entries).values("pk"))
    )
    return about_visible_case & whose


def _promotions_q(user: User) -> Q:
    """promotions.proposals.permissions.can_read_document, set-based: the proposal is visible."""
    from promotions.proposals.permissions import visible_proposals

    return Q(
        kind__in=PROMOTIONS_KINDS,
        content_type__app_label="promotions",
        content_type__model="proposal",
        object_id__in=visible_proposals(user).values("pk"),
    )


def _exceptional_q(user: User) -> Q:
    """promotions.exceptional.documents.can_read_exceptional, set-based: the request is visible."""
    from promotions.exceptional.services import visible_requests

    return Q(
        kind__in=EXCEPTIONAL_KINDS,
        content_type__app_label="promotions",
        content_type__model="exceptionalrequest",
        object_id__in=visible_requests(user).values("pk"),
    )


def _clarifications_q(user: User) -> Q:
    """clarifications.permissions.can_read_notice, set-based: the notice clarifies a petition
    the user sees (clarifications.permissions.visible_petitions), or it names the user."""
    from clarifications.permissions import visible_petitions

    of_visible_petition = Q(
        object_id__in=visible_petitions(user)
        .filter(clarification__isnull=False)
        .values("clarification__pk")
    )
    own = Q(cadre_id=user.cadre_id) if user.cadre_id is not None else _NOTHING
    return Q(
        kind__in=CLARIFICATIONS_KINDS,
        content_type__app_label="clarifications",
        content_type__model="clarification",
    ) & (of_visible_petition | own)


def readable_documents(user: User) -> QuerySet[IssuedDocument]:
    """Every issued document the user may read (and download): one SQL statement."""
    if not _active(user):
        return IssuedDocument.objects.none()
    if user.is_administrator:
        return IssuedDocument.objects.all()
    q = _NOTHING
    q |= _tolerance_q(user)
    q |= _promotions_q(user)
    q |= _clarifications_q(user)
    q |= _exceptional_q(user)
    return IssuedDocument.objects.filter(q)


def can_use_register(user: User) -> bool:
    """May open the register and export from it (what they see is readable_documents)."""
    if not _active(user):
        return False
    if user.is_administrator:
        return True
    if user.has_role(*Role.authority_staff_roles(), Role.AUDITOR) and user.authority_ids:
        return True
    return user.has_role(Role.CADRE) and user.cadre_id is not None


def get_export_for_user(user: User, pk: int) -> ExportJob:
    """An export is its requester's alone, while they may still make it (use the register;
    handle the case, for a case file); 404 for missing and forbidden alike."""
    from tolerance.case_file import may_export

    if not user.is_authenticated or not user.is_active:
        raise Http404("No such export")
    job = ExportJob.objects.select_related("case").filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404("No such export")
    if job.kind == ExportKind.CASE_FILE and not may_export(user, job.case):
        raise Http404("No such export")
    if job.kind == ExportKind.REGISTER and not can_use_register(user):
        raise Http404("No such export")
    return job
