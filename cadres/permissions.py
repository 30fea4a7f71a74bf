"""Who may see and change which cadre: the one place that decides it.

A user reaches a cadre through exactly one of these, each on its own line below:
administrator; staff or auditor of a competent authority whose jurisdiction covers the
cadre (unit subtree and management level); unit HR officer of the cadre's unit subtree;
the cadre themself; or an explicit django-guardian object permission. Everything else is
"not found": missing and forbidden answer the same 404.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from guardian.models import GroupObjectPermission, UserObjectPermission

from core.enums import Role
from core.models import User

from .access import authorities_of, reach_of, remembered
from .enums import AuthorityKind, ManagementLevel
from .models import Authority, Cadre, Unit

_NOTHING = Q(pk__in=[])


_authorities = authorities_of


def jurisdiction_q(authorities: list[Authority], prefix: str = "") -> Q:
    """Cadres covered by any of the authorities: unit subtree AND management level."""
    q = _NOTHING
    for authority in authorities:
        for root in authority.root_units.all():
            q |= Q(
                **{
                    f"{prefix}unit__path__startswith": root.path,
                    f"{prefix}management_level__in": authority.management_levels,
                }
            )
    return q


def authority_covers(authority: Authority, *, unit_path: str, management_level: str) -> bool:
    if management_level not in authority.management_levels:
        return False
    return any(unit_path.startswith(root.path) for root in authority.root_units.all())


UnitLevel = tuple[str, str]  # (unit path, management level)


def covering_authority_ids(placements: Iterable[UnitLevel]) -> dict[UnitLevel, int | None]:
    """The organization department whose jurisdiction covers each placement: one query.

    Audit rows about a cadre carry this authority, so that its auditors see them. Where
    several departments cover a placement, the one covering the deepest unit wins (a county
    department before a province-wide one), then the lowest id; None where none does.
    """
    placements = set(placements)
    if not placements:
        return {}
    roots = sorted(
        Authority.root_units.through.objects.filter(
            authority__kind=AuthorityKind.ORGANIZATION
        ).values_list("unit__path", "authority_id", "authority__management_levels"),
        key=lambda row: (-len(row[0]), row[1]),
    )
    return {
        (path, level): next(
            (pk for root, pk, levels in roots if level in levels and path.startswith(root)),
            None,
        )
        for path, level in placements
    }


def covering_authority_id(cadre: Cadre) -> int | None:
    """covering_authority_ids for one cadre, as it stands (unit and level)."""
    placement = (cadre.unit.path, cadre.management_level)
    return covering_authority_ids([placement])[placement]


def _reading_authorities(user: User) -> list[Authority]:
    if not user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        return []
    return _authorities(user)


def _writing_authorities(user: User) -> list[Authority]:
    if not user.has_role(*Role.org_department_roles()):
        return []
    return [a for a in _authorities(user) if a.kind == AuthorityKind.ORGANIZATION]


def _unit_q(user: User, prefix: str = "") -> Q:
    if not user.has_role(Role.UNIT_HR) or user.unit_id is None:
        return _NOTHING
    return Q(**{f"{prefix}unit__path__startswith": user.unit.path})


def _self_q(user: User, prefix: str = "") -> Q:
    if not user.has_role(Role.CADRE) or user.cadre_id is None:
        return _NOTHING
    return Q(**{f"{prefix}pk": user.cadre_id})


def _guardian_grants(user: User, perm: str) -> list[QuerySet]:
    """Ids of cadres granted to the user by an object permission: direct, and via groups.

    The subqueries read only guardian's tables (small), so PostgreSQL hashes them once;
    guardian's get_objects_for_user nests a scan of the whole cadre table instead, which
    the planner re-reads for every row once the table is large.
    """
    scope = {
        "permission__content_type": ContentType.objects.get_for_model(Cadre),
        "permission__codename": perm.split(".", 1)[1],
    }
    as_id = Cast("object_pk", BigIntegerField())
    return [
        UserObjectPermission.objects.filter(user=user, **scope).values(obj=as_id),
        GroupObjectPermission.objects.filter(group__user=user, **scope).values(obj=as_id),
    ]


def _guardian_paths(user: User, perm: str) -> list[Q]:
    """The grants as two access paths (direct; through a group): each a semi-join on
    guardian's small tables, read through the cadre table's primary key."""
    direct, via_groups = _guardian_grants(user, perm)
    return [Q(pk__in=direct), Q(pk__in=via_groups)]


def _guardian_q(user: User, perm: str) -> Q:
    direct, via_groups = _guardian_paths(user, perm)
    return direct | via_groups


def visible_cadres(user: User) -> QuerySet[Cadre]:
    """Every cadre the user may see (a queryset; one SQL statement).

    The access paths: the reading authorities' jurisdictions (their units' subtrees, per
    management level), the unit HR officer's subtree, the cadre themself, and
    `cadres.view_cadre` object permissions (direct or through a group). Lists read the
    same paths one by one, resolved to id lists: visible_cadre_paths.
    """
    if not user.is_authenticated or not user.is_active:
        return Cadre.objects.none()
    if user.is_administrator:
        return Cadre.objects.all()
    q = jurisdiction_q(_reading_authorities(user))
    q |= _unit_q(user)
    q |= _self_q(user)
    q |= _guardian_q(user, "cadres.view_cadre")
    return Cadre.objects.filter(q)


def visible_cadre_paths(
    user: User, prefix: str = "", *, unit: str = "", level: str = ""
) -> list[Q] | None:
    """visible_cadres' access paths one by one (None: everything), for lists that read each
    path through its own index in the list order and merge them (core.paging).

    The same rules as visible_cadres, with the subtrees resolved to unit id lists
    (cadres.access: once per request, cached across requests); tests pin that both forms
    select the same cadres for every persona. `prefix` ("cadre__") puts the conditions on
    the cadre of another model's rows; `unit` and `level` name that model's copies of the
    cadre's unit and management level (cadres.placement), read instead of the cadre's."""
    if not user.is_authenticated or not user.is_active:
        return []
    reach = reach_of(user)
    if reach.everything:
        return None
    paths = reach.paths(prefix, unit=unit, level=level)
    if not reach.view_grants:  # known to hold none (cadres.access, cache on)
        return paths
    direct, via_groups = _guardian_grants(user, "cadres.view_cadre")
    return [*paths, Q(**{f"{prefix}pk__in": direct}), Q(**{f"{prefix}pk__in": via_groups})]


def changeable_cadres(user: User) -> QuerySet[Cadre]:
    if not user.is_authenticated or not user.is_active:
        return Cadre.objects.none()
    if user.is_administrator:
        return Cadre.objects.all()
    q = jurisdiction_q(_writing_authorities(user))
    q |= _unit_q(user)
    q |= _guardian_q(user, "cadres.change_cadre")
    return Cadre.objects.filter(q)


def changes_any_cadre(user: User) -> bool:
    """changeable_cadres(user).exists(), read through the access paths resolved to id lists
    (cadres.access, write reach): each an index condition, where the subtree's `LIKE`
    would read every cadre of a big jurisdiction's levels before finding one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return Cadre.objects.exists()
    direct, via_groups = _guardian_paths(user, "cadres.change_cadre")
    paths = [*reach_of(user, write=True).paths(), direct, via_groups]
    if connection.features.supports_slicing_ordering_in_compound:
        # One row from each path's own index, and no path read once one has answered (the
        # outer LIMIT): an OR of them, even of the two grant paths alone, is a filter
        # PostgreSQL can only apply while reading the whole table.
        firsts = [Cadre.objects.filter(path).order_by().values("pk")[:1] for path in paths]
        return bool(firsts[0].union(*firsts[1:], all=True)[:1])
    q = _NOTHING
    for path in paths:
        q |= path
    return Cadre.objects.filter(q).exists()


def get_cadre_for_user(user: User, pk: int, *, for_change: bool = False) -> Cadre:
    """The cadre if the user may see it (or change it); otherwise 404, missing or not."""
    scope = changeable_cadres(user) if for_change else visible_cadres(user)
    cadre = scope.select_related("unit").filter(pk=pk).first()
    if cadre is None:
        raise Http404("No such cadre")
    return cadre


def can_change_cadre(user: User, cadre: Cadre) -> bool:
    return changeable_cadres(user).filter(pk=cadre.pk).exists()


def can_reveal_national_id(user: User, cadre: Cadre) -> bool:
    """Unmasked ID numbers need an explicit permission, global or on this cadre, and the
    cadre must be visible to the user at all (a global permission does not widen scope)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    if not (
        user.has_perm("cadres.reveal_national_id")
        or user.has_perm("cadres.reveal_national_id", cadre)
    ):
        return False
    return visible_cadres(user).filter(pk=cadre.pk).exists()


def can_manage_roster(user: User) -> bool:
    """May import cadres at all (each row is then checked against changeable units)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_administrator or bool(_writing_authorities(user)) or _unit_q(user) != _NOTHING


def writable_units(user: User) -> QuerySet[Unit]:
    """Units in which the user may create or move cadres."""
    if user.is_administrator:
        return Unit.objects.all()
    q = _NOTHING
    for authority in _writing_authorities(user):
        for root in authority.root_units.all():
            q |= Q(path__startswith=root.path)
    if user.has_role(Role.UNIT_HR) and user.unit_id is not None:
        q |= Q(path__startswith=user.unit.path)
    return Unit.objects.filter(q)


def readable_units(user: User) -> QuerySet[Unit]:
    """Units under which the user may see cadres: the choices of list filters."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_administrator:
        return Unit.objects.all()
    q = _NOTHING
    for authority in _reading_authorities(user):
        for root in authority.root_units.all():
            q |= Q(path__startswith=root.path)
    if user.has_role(Role.UNIT_HR) and user.unit_id is not None:
        q |= Q(path__startswith=user.unit.path)
    if user.has_role(Role.CADRE) and user.cadre_id is not None:
        q |= Q(pk__in=Cadre.objects.filter(pk=user.cadre_id).values("unit_id"))
    for granted in _guardian_grants(user, "cadres.view_cadre"):
        q |= Q(pk__in=Cadre.objects.filter(pk__in=granted).values("unit_id"))
    return Unit.objects.filter(q)


# The management levels a unit HR officer may give a cadre: only the lowest, 县管. Higher
# levels (市管, 省管) are decided by the Party committee's organization department at that
# level, never by the unit where the cadre works.
UNIT_HR_LEVELS = frozenset({ManagementLevel.COUNTY})


def may_place_cadre(user: User, *, unit: Unit, management_level: str) -> bool:
    """May the user create (or move) a cadre at this unit with this management level?

    Organization-department staff: where one of their authorities covers the unit and the
    level. Unit HR officers: inside their unit's subtree, and only county-managed (县管)
    cadres, see UNIT_HR_LEVELS; a city- or province-managed cadre of their unit is placed
    by the competent organization department. Moves keep the cadre's level, so unit HR
    cannot move such a cadre either; other edits follow changeable_cadres.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    for authority in _writing_authorities(user):
        if authority_covers(authority, unit_path=unit.path, management_level=management_level):
            return True
    if user.has_role(Role.UNIT_HR) and user.unit_id is not None:
        if management_level not in UNIT_HR_LEVELS:
            return False
        return unit.path.startswith(user.unit.path)
    return False


def can_export_roster(user: User) -> bool:
    """May download the roster of the cadres they can see (roster managers and readers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage_roster(user):
        return True
    return bool(_reading_authorities(user))


def may_export_roster(user: User) -> bool:
    """can_export_roster, kept across requests with the user's reach (cadres.access.
    remembered: the roles, authorities, their kinds and covered units, and the user's unit
    it depends on all move the generation on or drop the user's entries), so the cadre
    list does not read the user's authorities for its export button."""
    return remembered(user, "roster", lambda: can_export_roster(user))


def can_reveal_all_national_ids(user: User) -> bool:
    """Unmasked ID numbers in lists and exports: the global permission, not per cadre."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.has_perm("cadres.reveal_national_id")


def revealable_cadres(user: User, cadres: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """Those of `cadres` whose full ID number the user may see (bulk form of
    can_reveal_national_id: one query however many cadres)."""
    if can_reveal_all_national_ids(user):
        return cadres
    if not user.is_authenticated or not user.is_active:
        return cadres.none()
    return cadres.filter(_guardian_q(user, "cadres.reveal_national_id"))
