"""Who may see and record incentives (bonus allocations, commendations, candidate lists).

The one place that decides it; missing and forbidden give the same 404.

- Units (bonus allocation page, candidate lists): administrators; staff and auditors of a
  competent authority read units under the authority's covered units; organization-department
  staff of such an authority also write (allocate a bonus).
- Commendations: whoever may see the cadre (cadres.permissions.visible_cadres: the staff of
  the jurisdiction, the unit's HR officer, the cadre themself) sees the cadre's; a team's is
  seen by the staff and HR officers whose units cover the team's unit. Organization-department
  staff record commendations of cadres in their jurisdiction and of teams under their units.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cadres.access import reach_of
from cadres.enums import AuthorityKind
from cadres.models import Authority, Cadre, Unit
from cadres.permissions import jurisdiction_q, visible_cadre_paths, visible_cadres
from core.enums import Role
from core.models import User
from promotions.models import Commendation

_NOTHING = Q(pk__in=[])


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def _all_authorities(user: User) -> list[Authority]:
    cached = getattr(user, "_incentive_authorities", None)
    if cached is None:
        cached = list(user.authorities.prefetch_related("root_units"))
        user._incentive_authorities = cached
    return cached


def staff_authorities(user: User, *, write: bool = False) -> list[Authority]:
    """The authorities through which the user reads (staff, auditors) or writes (org dept)."""
    if not _active(user):
        return []
    if write:
        if not user.has_role(*Role.org_department_roles()):
            return []
        return [a for a in _all_authorities(user) if a.kind == AuthorityKind.ORGANIZATION]
    if not user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        return []
    return _all_authorities(user)


def _under_roots(authorities: list[Authority], prefix: str = "") -> Q:
    q = _NOTHING
    for authority in authorities:
        for root in authority.root_units.all():
            q |= Q(**{f"{prefix}path__startswith": root.path})
    return q


def staff_units(user: User, *, write: bool = False) -> QuerySet[Unit]:
    """Units the user reads (or writes) incentives of."""
    if not _active(user):
        return Unit.objects.none()
    if user.is_administrator:
        return Unit.objects.all()
    return Unit.objects.filter(_under_roots(staff_authorities(user, write=write)))


def get_unit_for_user(user: User, pk: int, *, write: bool = False) -> Unit:
    unit = staff_units(user, write=write).filter(pk=pk).first()
    if unit is None:
        raise Http404("No such unit")
    return unit


def can_allocate(user: User, unit: Unit) -> bool:
    return staff_units(user, write=True).filter(pk=unit.pk).exists()


# --------------------------------------------------------------- commendations


def visible_commendations(user: User) -> QuerySet[Commendation]:
    if not _active(user):
        return Commendation.objects.none()
    if user.is_administrator:
        return Commendation.objects.all()
    team_units = _under_roots(staff_authorities(user), prefix="unit__")
    if user.has_role(Role.UNIT_HR) and user.unit_id is not None:
        team_units |= Q(unit__path__startswith=user.unit.path)
    return Commendation.objects.filter(
        Q(cadre__in=visible_cadres(user)) | Q(cadre__isnull=True) & team_units
    )


def visible_commendation_paths(user: User) -> list[Q] | None:
    """visible_commendations' access paths one by one (None: everything), for the list:
    the cadre's, one per access path to cadres (cadres.permissions.visible_cadre_paths,
    over the commendation's copy of the cadre's unit and level: promotions.incentives.
    placement keeps it equal to the cadre's, so each path is one index condition),
    and the teams' under the units the staff and the unit HR officer read (the same
    subtrees, resolved to unit ids by cadres.access). Tests pin that their OR selects
    what visible_commendations does, persona by persona."""
    if not _active(user):
        return []
    if user.is_administrator:
        return None
    paths = visible_cadre_paths(user, prefix="cadre__", unit="cadre_unit_id", level="cadre_level")
    paths = paths or []
    units = reach_of(user).units
    if units:
        paths.append(Q(cadre__isnull=True, unit_id__in=units))
    return paths


def commendable_cadres(user: User) -> QuerySet[Cadre]:
    """Cadres the user may record a commendation for: their org department's jurisdiction."""
    if not _active(user):
        return Cadre.objects.none()
    if user.is_administrator:
        return Cadre.objects.all()
    return Cadre.objects.filter(jurisdiction_q(staff_authorities(user, write=True)))


def can_record_commendations(user: User) -> bool:
    if not _active(user):
        return False
    return user.is_administrator or bool(staff_authorities(user, write=True))


def can_list_commendations(user: User) -> bool:
    """The register of commendations: staff and auditors, administrators."""
    if not _active(user):
        return False
    return user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)
