"""Who may see and handle petitions, clarifications and prevention filings (404 otherwise).

Decision on the informant's identity (documented in the README of this app, the module doc
of clarifications.models and the tests): the name and contact of whoever filed a petition
or report are seen ONLY by the handling staff — users holding the investigator
(org department) or discipline-inspection staff role AND working for the authority that
handles the petition. Intake clerks, committee members, approving leaders, auditors, unit
HR, the cadre concerned and administrators see the petition with the identity masked; the
Django admin does not show the fields at all; audit rows, exports and documents never
contain it.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import pgettext_lazy

from core.enums import Role
from core.models import IssuedDocument, User

from .models import Clarification, Petition, PreventionFiling

HANDLING_ROLES = frozenset({Role.INVESTIGATOR, Role.DISCIPLINE_STAFF})
MASK = "●●●"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _reader_authority_ids(user: User) -> frozenset[int]:
    if not user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        return frozenset()
    return user.authority_ids


def handling_authority_ids(user: User) -> frozenset[int]:
    """Authorities in which the user is handling staff (may see informants, may act)."""
    if not _active(user):
        return frozenset()
    if not user.has_role(*HANDLING_ROLES):
        return frozenset()
    return user.authority_ids


def visible_petition_paths(user: User) -> list[Q] | None:
    """The access paths to petitions, one per handling authority the user reads (None:
    everything); their OR is visible_petitions. Each is served by the (authority,
    -received_on, -id) index in the list's order."""
    if not _active(user):
        return []
    if user.is_administrator:
        return None
    return [Q(authority_id=pk) for pk in sorted(_reader_authority_ids(user))]


def visible_petitions(user: User) -> QuerySet[Petition]:
    paths = visible_petition_paths(user)
    if paths is None:
        return Petition.objects.all()
    if not paths:
        return Petition.objects.none()
    return Petition.objects.filter(reduce(operator.or_, paths))


def can_see_register(user: User) -> bool:
    """May open the petitions, filings and statistics pages at all."""
    if not _active(user):
        return False
    return user.is_administrator or bool(_reader_authority_ids(user))


def get_petition_for_user(user: User, pk: int) -> Petition:
    petition = (
        visible_petitions(user)
        .select_related("authority", "cadre__unit", "unit", "matter", "clarification__document")
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise Http404("No such petition")
    return petition


def can_handle(user: User, petition: Petition) -> bool:
    """Handling staff of the petition's authority: may act on it and see the informant."""
    return petition.authority_id in handling_authority_ids(user)


def sees_informant(user: User, petition: Petition) -> bool:
    return can_handle(user, petition)


def informant_display(user: User, petition: Petition) -> tuple[str, str]:
    """(name, contact) as this user may see them."""
    if petition.anonymous and not petition.informant_name:
        anonymous = str(pgettext_lazy("clarifications", "Anonymous"))
        return anonymous, ""
    if sees_informant(user, petition):
        return petition.informant_name, petition.informant_contact
    return MASK, MASK


def can_register(user: User) -> bool:
    return bool(handling_authority_ids(user))


# --- prevention filings --------------------------------------------------------------------


def visible_filings(user: User) -> QuerySet[PreventionFiling]:
    if not _active(user):
        return PreventionFiling.objects.none()
    if user.is_administrator:
        return PreventionFiling.objects.all()
    return PreventionFiling.objects.filter(authority_id__in=_reader_authority_ids(user))


def get_filing_for_user(user: User, pk: int) -> PreventionFiling:
    filing = visible_filings(user).select_related("authority", "unit").filter(pk=pk).first()
    if filing is None:
        raise Http404("No such filing")
    return filing


def filing_authority_ids(user: User) -> frozenset[int]:
    """Authorities for which the user keeps the prevention register (org or discipline staff)."""
    if not _active(user):
        return frozenset()
    if not user.has_role(*Role.authority_staff_roles()):
        return frozenset()
    return user.authority_ids


def can_cite_in_case(user: User, case) -> bool:
    """Staff of the case's authority (org department roles) may cite a filing in it."""
    if not _active(user):
        return False
    if not user.has_role(*Role.org_department_roles()):
        return False
    return case.authority_id in user.authority_ids


# --- documents -----------------------------------------------------------------------------


def can_read_notice(user: User, document: IssuedDocument) -> bool:
    """The object form of the reading rule of clarification notices (registered with
    core.document_access): whoever sees the petition, and the cadre it clarifies."""
    if document.content_type_id != ContentType.objects.get_for_model(Clarification).pk:
        return False
    if user.cadre_id is not None and document.cadre_id == user.cadre_id:
        return True
    return visible_petitions(user).filter(clarification__pk=document.object_id).exists()


def readable_notices_q(user: User) -> Q:
    """can_read_notice, set-based (a filter over IssuedDocument): the notice clarifies a
    petition the user sees (visible_petitions), or it names the user (the OR of
    readable_notice_paths)."""
    return reduce(operator.or_, readable_notice_paths(user), Q(pk__in=[]))


def readable_notice_paths(user: User) -> list[Q]:
    """readable_notices_q as access paths: one per access path to petitions, and the
    user's own."""
    notice = Q(content_type=ContentType.objects.get_for_model(Clarification))
    paths = visible_petition_paths(user)
    result = [
        notice
        & Q(
            object_id__in=Petition.objects.filter(path, clarification__isnull=False).values(
                "clarification__pk"
            )
        )
        for path in ([Q()] if paths is None else paths)
    ]
    if user.cadre_id is not None:
        result.append(notice & Q(cadre_id=user.cadre_id))
    return result


def _label(text: str):
    return pgettext_lazy("clarifications", text)


AUDIT_LABELS = {
    "clarifications.petition.create": _label("Petition or report registered"),
    "clarifications.petition.informant_read": _label("Informant's identity shown"),
    "clarifications.petition.verify": _label("Verification recorded"),
    "clarifications.petition.conclude": _label("Petition outcome recorded"),
    "clarifications.petition.accuser_result": _label("Result on the false accuser recorded"),
    "clarifications.clarification.record": _label("Clarification recorded"),
    "clarifications.filing.create": _label("Prevention filing registered"),
    "clarifications.filing.cite": _label("Prevention filing cited in a case"),
}
