"""Who may see which tolerance case: the one place that decides it (404 otherwise).

A user reaches a case as: administrator; staff or auditor of the case's competent
authority (drafts excepted); discipline-inspection staff whose jurisdiction covers one of
its cadres (drafts excepted); the person who filed it; a cadre the case is about (drafts
of others excepted); the unit HR officer of the applying unit; or through a
django-guardian `tolerance.view_case` object permission. What each may *do* is in
tolerance.predicates.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from guardian.models import GroupObjectPermission, UserObjectPermission

from cadres.access import remembered
from cadres.permissions import jurisdiction_q
from core.document_access import can_read
from core.enums import Role
from core.models import DocumentKind, IssuedDocument, User
from core.statements import statement

from . import predicates as P
from .enums import CaseState
from .models import Case, CaseCadre


def works_on_cases(user) -> bool:
    """Staff and auditors have a queue; applicants and cadres have "my cases"."""
    return user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)


def _guardian_paths(user: User) -> list[Q]:
    """Cases granted by a `view_case` object permission: directly, and through a group (two
    paths, each a semi-join on guardian's small tables).

    With the access cache on (production), whether the user holds any such grant is kept
    under the reach generation, which every grant, revocation and change of a user's groups
    moves on (cadres.access); a user without one gets neither path, so each list's UNION
    has two branches fewer to plan (about half of the case list's planning time)."""
    if settings.ACCESS_CACHE_SECONDS and not remembered(
        user, "case-grants", lambda: any(grants.exists() for grants in _grants(user))
    ):
        return []
    return [Q(pk__in=grants) for grants in _grants(user)]


def _grants(user: User) -> tuple[QuerySet, QuerySet]:
    """The ids of the cases granted to the user directly, and through their groups."""
    scope = {
        "permission__content_type": ContentType.objects.get_for_model(Case),
        "permission__codename": "view_case",
    }
    as_id = Cast("object_pk", BigIntegerField())
    direct = UserObjectPermission.objects.filter(user=user, **scope).values(obj=as_id)
    via_groups = GroupObjectPermission.objects.filter(group__user=user, **scope).values(obj=as_id)
    return direct, via_groups


def visible_case_paths(user: User) -> list[Q] | None:
    """The access paths to cases, one condition each (None: everything); their OR is
    visible_cases. Each competent authority is a path of its own, so that a list reads it
    through the (authority, queue_due, id) index in the queue's order. Built once per
    request (a list asks for them for its page and again for its branches)."""
    kept = getattr(user, "_case_paths", None)
    if kept is None:
        kept = (_case_paths(user),)
        user._case_paths = kept
    paths = kept[0]
    return None if paths is None else list(paths)


def _case_paths(user: User) -> list[Q] | None:
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_administrator:
        return None
    not_draft = ~Q(state=CaseState.DRAFT)
    paths = [Q(filed_by=user)]
    paths += [_authority_path(pk) for pk in _authorities_path_ids(user)]
    if user.has_role(Role.DISCIPLINE_STAFF) and user.authority_ids:
        authorities = list(user.authorities.prefetch_related("root_units"))
        covered = CaseCadre.objects.filter(
            jurisdiction_q(authorities, prefix="cadre__"), case=OuterRef("pk")
        )
        paths.append(Exists(covered) & not_draft)
    if user.has_role(Role.CADRE) and user.cadre_id:
        mine = CaseCadre.objects.filter(case=OuterRef("pk"), cadre_id=user.cadre_id)
        paths.append(Exists(mine) & not_draft)
    if user.has_role(Role.UNIT_HR) and user.unit_id:
        paths.append(Q(applicant_unit__path__startswith=user.unit.path) & not_draft)
    return [*paths, *_guardian_paths(user)]


def _authority_path(pk: int) -> Q:
    """The cases of one competent authority that the staff see (not drafts)."""
    return Q(authority_id=pk) & ~Q(state=CaseState.DRAFT)


def _authorities_path_ids(user: User) -> list[int]:
    """The authorities whose cases are each an access path of the user's (_authority_path)."""
    if user.has_role(*Role.org_department_roles(), Role.AUDITOR) and user.authority_ids:
        return sorted(user.authority_ids)
    return []


def visible_cases(user: User) -> QuerySet[Case]:
    paths = visible_case_paths(user)
    if paths is None:
        return Case.objects.all()
    if not paths:
        return Case.objects.none()
    q = paths[0]
    for path in paths[1:]:
        q |= path
    return Case.objects.filter(q)


def visible_case_branches(user: User, cases: QuerySet[Case]) -> list[QuerySet[Case]]:
    """`cases` (a list's filters over every case, not scoped) as the user may see them, one
    queryset per access path (visible_case_paths): their union is
    `cases & visible_cases(user)`, and each can be read through its own index (a list's
    UNION: core.paging.union_page). No branch: the user sees no case."""
    paths = visible_case_paths(user)
    if paths is None:
        return [cases]
    return [cases.filter(path) for path in paths]


_CASE = 2_147_483_002  # stands for the case's id while its statements are compiled
_CASE_JOINS = ("authority", "policy_version", "matter", "filed_by", "investigator")
_ENTRY_JOINS = ("cadre__unit", "decided_by", "meeting")


def _case_row(user: User) -> QuerySet[Case]:
    return visible_cases(user).select_related(*_CASE_JOINS).filter(pk=_CASE)[:1]


def _entry_rows() -> QuerySet[CaseCadre]:
    return CaseCadre.objects.select_related(*_ENTRY_JOINS).filter(case_id=_CASE)


def _visibility(user: User) -> tuple[str, tuple] | None:
    """The SQL and parameters of visible_cases(user) for one case (None: the user sees no
    case). Kept across requests with the user's reach (cadres.access.remembered: every
    change of the user's roles, authorities, unit, cadre record or grants, and of units and
    authorities, forgets it), so that a request does not build and compile the filter."""
    try:
        visible = visible_cases(user).filter(pk=_CASE).order_by().values("pk")
        shape, params = visible.query.sql_with_params()
    except EmptyResultSet:  # Case.objects.none()
        return None
    return shape, tuple(params)


def get_case_for_user(user: User, pk: int) -> Case:
    """The case if the user may see it, with its entries (their cadres and units, who
    decided and at which meeting: one query); 404 for missing and forbidden alike.

    What `visible_cases(user).select_related(...).prefetch_related(entries).filter(pk=pk)
    .first()` reads, the same SQL and instances, through statements compiled once per
    process (core.statements). The visibility filter is compiled once per user and reach
    (_visibility): its SQL is the key of the case's statement (users whose filter reads
    the same share it), its parameters are the statement's (checked when it is compiled)."""
    if not 0 < pk < 2**63:  # no case's id (the ORM's filter would find nothing; SQLite
        raise Http404("No such case")  # refuses an integer past 64 bits: a 500)
    visibility = remembered(user, "case-filter", lambda: _visibility(user))
    if visibility is None:  # Case.objects.none(): the user sees no case
        raise Http404("No such case")
    shape, params = visibility
    case_row = statement(Case, _case_row, key=shape, args=(user,))
    if not case_row.checked:  # compiled just now, from this user's filter
        if case_row.params != tuple(params):
            raise RuntimeError("the case's statement and its visibility filter disagree")
        case_row.checked = True
    found = case_row.rows_with([pk if p == _CASE else p for p in params])
    if not found:
        raise Http404("No such case")
    [case] = found
    entries = statement(CaseCadre, _entry_rows).rows({_CASE: pk})
    for entry in entries:  # as the prefetch does: each entry knows its case
        entry.case = case
    prefetched = case.entries.select_related(*_ENTRY_JOINS)
    prefetched._result_cache, prefetched._prefetch_done = entries, True
    case._prefetched_objects_cache = {"entries": prefetched}
    return case


def sees_all_entries(user: User, case: Case) -> bool:
    """For a case the user may see: does the user see every cadre's findings and conclusion?

    A cadre the case is about sees only their own (unless they filed it or work on it);
    everyone else who reaches the case (its authority's staff and auditors, discipline
    staff of a cadre's jurisdiction, the applying unit, a granted user) sees them all.
    """
    if user.is_administrator:
        return True
    if case.filed_by_id == user.pk:
        return True
    if P.staff_of(case, user, *Role.org_department_roles(), Role.AUDITOR):
        return True
    return not P.concerns(case, user)


def visible_entries(user: User, case: Case) -> list[CaseCadre]:
    entries = list(case.entries.all())
    if sees_all_entries(user, case):
        return entries
    return [entry for entry in entries if entry.cadre_id == user.cadre_id]


def allowed_actions(user: User, case: Case) -> list[str]:
    """The transitions this user may take on the case right now (for buttons)."""
    from django_fsm import has_transition_perm

    from .workflow import ACTIONS

    result = []
    transitions = {t.name: t for t in case.get_available_state_transitions()}
    for name in ACTIONS:
        if name in transitions and has_transition_perm(getattr(case, name), user):
            result.append(name)
    return result


# --- reading the case's documents (registered with core.document_access) ---------------

DOCUMENT_KINDS = (
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.NON_ACCEPTANCE_NOTICE,
    DocumentKind.TOLERANCE_RULING,
    DocumentKind.APPEAL_DECISION,
)


def can_read_document(user, document: IssuedDocument) -> bool:
    """The object form of the reading rule of every tolerance document kind: whoever sees the
    case reads its notices; a cadre's ruling and appeal decision only the staff, the filer
    and that cadre."""
    if document.content_type_id != ContentType.objects.get_for_model(Case).pk:
        return False
    case = visible_cases(user).filter(pk=document.object_id).first()
    if case is None:
        return False
    return can_read_case_document(user, case, document)


def can_read_case_document(user, case: Case, document: IssuedDocument) -> bool:
    """can_read_document for a document of `case`, a case the user is known to see
    (get_case_for_user): no query when the case's entries are loaded."""
    if document.cadre_id is None:
        return True
    if sees_all_entries(user, case):
        return True
    return user.cadre_id is not None and document.cadre_id == user.cadre_id


def readable_case_documents(user, case: Case, documents) -> list[IssuedDocument]:
    """Those of `documents` (about `case`, which the user sees: get_case_for_user) that the
    user may read, by the object form of the rule: no query for the tolerance kinds, so the
    case page reads its documents by (content type, object id) alone, not through the
    reading rules over every document. Another kind goes through core.document_access."""
    return [
        document
        for document in documents
        if (
            can_read_case_document(user, case, document)
            if document.kind in DOCUMENT_KINDS
            else can_read(user, document)
        )
    ]


def readable_documents_q(user: User) -> Q:
    """can_read_document, set-based (a filter over IssuedDocument): the OR of
    readable_document_paths."""
    q = Q(pk__in=[])
    for path in readable_document_paths(user):
        q |= path
    return q


def readable_document_paths(user: User) -> list[Q]:
    """can_read_document as access paths over IssuedDocument, one per access path to the
    case (visible_case_paths), so that the register reads each through an index.

    The document is about a case visible to the user (visible_cases: drafts are never
    visible to staff or auditors); a notice (no cadre) is then readable. A document about
    one cadre needs, in addition, sight of every cadre of the case (sees_all_entries) or to
    be the user's own. Only a cadre the case is about lacks that sight, unless they filed
    the case or work on it as staff.
    """
    case_paths = visible_case_paths(user)
    if case_paths is None:
        case_paths = [Q()]
    about_case = Q(content_type=ContentType.objects.get_for_model(Case))
    whose = Q()
    if user.has_role(Role.CADRE) and user.cadre_id is not None:
        not_about_me = ~Exists(
            CaseCadre.objects.filter(case=OuterRef("pk"), cadre_id=user.cadre_id)
        )
        sees_all = Q(filed_by=user) | not_about_me
        if user.has_role(*Role.org_department_roles(), Role.AUDITOR) and user.authority_ids:
            sees_all |= Q(authority_id__in=user.authority_ids)
        whose = (
            Q(cadre__isnull=True)
            | Q(cadre_id=user.cadre_id)
            | Q(object_id__in=Case.objects.filter(sees_all).values("pk"))
        )
    authority_of = {_authority_path(pk): pk for pk in _authorities_path_ids(user)}
    return [about_case & _documents_of(path, authority_of.get(path)) & whose for path in case_paths]


def _documents_of(path: Q, authority: int | None) -> Q:
    """The documents about the cases of one access path (`authority`: the path is "the
    cases of that authority, not drafts", _authority_path).

    An authority's documents are read by the authority their case had when they were
    issued (IssuedDocument.subject_authority, indexed in the register's order), the drafts
    of the authority (a handful, hashed once) set aside, instead of looking up the case of
    each document: the same documents, as a case's authority never changes once a document
    about it is issued (core migration 0020: the database refuses it)."""
    if authority is None:
        return Q(object_id__in=Case.objects.filter(path).values("pk"))
    drafts = Case.objects.filter(authority_id=authority, state=CaseState.DRAFT).values("pk")
    return Q(subject_authority_id=authority) & ~Q(object_id__in=drafts)
