"""Who may see and act on adjustment proposals: the one place that decides it (404 otherwise).

Administrators; staff and auditors of the proposal's authority see it; organization-
department staff of that authority act on it. Eligibility pages follow the cadre's
visibility (cadres.permissions).
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet
from django.http import Http404

from cadres.permissions import get_cadre_for_user
from core.enums import Role
from core.models import User
from promotions.models import Proposal


def visible_proposal_paths(user: User) -> list[Q] | None:
    """The access paths to proposals, one per authority (None: everything); their OR is
    visible_proposals. Each is served by the (authority, -year, -id) index in list order."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_administrator:
        return None
    if not user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        return []
    return [Q(authority_id=pk) for pk in sorted(user.authority_ids)]


def visible_proposals(user: User) -> QuerySet[Proposal]:
    paths = visible_proposal_paths(user)
    if paths is None:
        return Proposal.objects.all()
    if not paths:
        return Proposal.objects.none()
    return Proposal.objects.filter(reduce(operator.or_, paths))


def get_proposal_for_user(user: User, pk: int) -> Proposal:
    proposal = (
        visible_proposals(user)
        .select_related("cadre", "unit", "authority", "policy", "position")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def can_act(user: User, proposal: Proposal) -> bool:
    if user.is_administrator:
        return True
    if not user.has_role(*Role.org_department_roles()):
        return False
    return proposal.authority_id in user.authority_ids


def can_scan(user: User) -> bool:
    return user.is_administrator or (
        user.has_role(*Role.org_department_roles()) and bool(user.authority_ids)
    )


def can_see_dashboard(user: User) -> bool:
    return user.is_authenticated and (
        user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)
    )


def get_cadre_for_eligibility(user: User, pk: int):
    """The cadre's eligibility is shown to whoever may see the cadre (404 otherwise)."""
    return get_cadre_for_user(user, pk)


def can_read_document(user, document) -> bool:
    """The object form of the reading rule of proposal and decision documents
    (registered with core.document_access): the proposal is visible to the user."""
    from django.contrib.contenttypes.models import ContentType

    if document.content_type_id != ContentType.objects.get_for_model(Proposal).pk:
        return False
    return visible_proposals(user).filter(pk=document.object_id).exists()


def readable_documents_q(user: User) -> Q:
    """can_read_document, set-based (a filter over IssuedDocument): the proposal is visible
    (the OR of readable_document_paths)."""
    return reduce(operator.or_, readable_document_paths(user), Q(pk__in=[]))


def readable_document_paths(user: User) -> list[Q]:
    """readable_documents_q as access paths, one per access path to the proposal."""
    paths = visible_proposal_paths(user)
    from django.contrib.contenttypes.models import ContentType

    about = Q(content_type=ContentType.objects.get_for_model(Proposal))
    if paths is None:
        return [about & Q(object_id__in=Proposal.objects.values("pk"))]
    if not paths:
        return []
    # Each path is one authority's proposals: their documents are read by the authority
    # the proposal had when they were issued (IssuedDocument.subject_authority, indexed in
    # the register's order) alone, the same documents, as a proposal's authority never
    # changes once a document about it is issued (core migration 0020: the database
    # refuses it).
    return [
        about & Q(subject_authority_id=pk)
        for pk in sorted(user.authority_ids)
        if Q(authority_id=pk) in paths
    ]
