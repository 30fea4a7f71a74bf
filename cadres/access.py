"""A user's reach over cadres, resolved to plain ids: the access paths of cadres.permissions.

The rules live in cadres.permissions; this module only resolves them into values the
planner can use. A million-row cadre table is fast to read only through an index in the
list's order, and PostgreSQL can bound an ordered index scan by `unit_id = ANY(list)` but
not by a subquery over the unit tree or an OR of subqueries. So the units of each
authority's subtree and of the unit HR officer's subtree are fetched once and kept as
lists of ids:

- per request, on the user object (`request.user` lives as long as the request);
- across requests, in the cache (Redis in production) under a *generation* number that
  every change of units, authorities, their covered units, a user's authorities, groups,
  unit or cadre, and every object-permission grant moves on, so a stale reach is never
  read (`ACCESS_CACHE_SECONDS`, 0 turns the cross-request cache off; tests run with 0 so
  that query counts do not depend on what ran before).

Each access path becomes one condition served by one index: an authority's jurisdiction
per management level `unit_id = ANY(units) AND management_level = level` (index
`(unit, management_level, rank DESC, name, id)`), the unit HR subtree `unit_id =
ANY(units)`, the cadre themself `id = ANY(ids)`. The django-guardian grants stay
subqueries over guardian's small tables (cadres.permissions adds them as two more paths).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache as once
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, F, Lookup, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from guardian.models import GroupObjectPermission, UserObjectPermission

from core.enums import Role

from .enums import AuthorityKind
from .models import Authority, Cadre, TalentList, Unit

GENERATION_KEY = "cadres:reach:generation"
_NOTHING = Q(pk__in=[])


@lru_cache(maxsize=1024)
def _written(ids: tuple[int, ...]) -> str:
    return ", ".join(map(str, ids))


class InIds(Lookup):
    """`column IN (1, 2, 3)` over a tuple of ids, the list written out once per tuple.

    The same SQL as Django's `__in`, which prepares, adapts and interpolates each id one by
    one on every query: for a city's 331 units about 1.5 ms of CPU to build the condition
    and as much again for each query compiled from it (the page and its count). The ids
    are the reach's (integers from the database, checked again here)."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self):
        return tuple(map(int, self.rhs))

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({_written(self.rhs)})", params


@dataclass(frozen=True)
class Reach:
    """The cadres one user reads (or changes), as id lists; `everything` for administrators."""

    everything: bool = False
    jurisdiction: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """(management level, unit ids where the user's authorities cover that level)."""
    hr_units: tuple[int, ...] = ()
    cadres: tuple[int, ...] = ()
    """The user's own cadre record. (Object-permission grants are read in the query itself,
    see cadres.permissions: they change more often than anything cached here.)"""
    units: tuple[int, ...] = field(default=())
    """The units of the authorities' subtrees (whatever their levels) and of the unit HR
    officer's: most of readable_units."""
    view_grants: bool = True
    """The user may hold `cadres.view_cadre` object permissions (directly or through a
    group). False only when known to hold none: resolved with the cross-request cache on,
    where every grant, revocation and change of a user's groups moves the generation on,
    so a reach saying "none" is never read after a grant. The lists then leave out the
    grants' two access paths (two branches fewer to build, compile and plan)."""

    def paths(self, prefix: str = "", *, unit: str = "", level: str = "") -> list[Q]:
        """One condition per access path; their OR is the reach. `unit` and `level` name
        copies of the cadre's unit and management level on another model's rows
        (cadres.placement) to read instead of the cadre's own (`prefix`)."""
        unit = unit or f"{prefix}unit_id"
        level = level or f"{prefix}management_level"
        result = [
            Q((level, value), InIds(F(unit), units)) for value, units in self.jurisdiction if units
        ]
        if self.hr_units:
            result.append(Q(InIds(F(unit), self.hr_units)))
        if self.cadres:
            result.append(Q(InIds(F(f"{prefix}id"), self.cadres)))
        return result

    def jurisdiction_q(self, prefix: str = "") -> Q:
        """Only the authorities' jurisdictions (unit and management level)."""
        q = _NOTHING
        for level, units in self.jurisdiction:
            if units:
                q |= Q(**{f"{prefix}unit_id__in": units, f"{prefix}management_level": level})
        return q

    def q(self, prefix: str = "") -> Q:
        q = _NOTHING
        for path in self.paths(prefix):
            q |= path
        return q


EVERYTHING = Reach(everything=True)
NOTHING = Reach()


def _subtree_units(paths: list[str]) -> list[tuple[int, str]]:
    if not paths:
        return []
    q = _NOTHING
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Unit.objects.filter(q).order_by("id").values_list("id", "path"))


def authorities_of(user) -> list[Authority]:
    """The user's authorities with their covered units (two queries, once per request)."""
    cached = getattr(user, "_authorities_cache", None)
    if cached is None:
        cached = list(user.authorities.prefetch_related("root_units"))
        user._authorities_cache = cached
    return cached


def holds_view_grants(user) -> bool:
    """Does the user hold any `cadres.view_cadre` object permission, directly or through
    a group? (One query.)"""
    scope = {
        "permission__content_type": ContentType.objects.get_for_model(Cadre),
        "permission__codename": "view_cadre",
    }
    direct = UserObjectPermission.objects.filter(user=user, **scope)
    via_groups = GroupObjectPermission.objects.filter(group__user=user, **scope)
    # Two EXISTS in one statement, on every database (SQLite refuses a LIMIT inside the
    # branches of a UNION, which this was).
    return (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .filter(Exists(direct) | Exists(via_groups))
        .exists()
    )


def resolve(user, *, write: bool, grants: bool = False) -> Reach:
    """The user's reach from the database (no cache): the authorities (shared with the
    other checks of the request), the unit HR officer's unit, and one query for the units
    of all those subtrees. `grants` (read reach only): also find out whether the user holds
    any view grant at all (Reach.view_grants; otherwise it is assumed they may)."""
    if write:
        staff = user.has_role(*Role.org_department_roles())
    else:
        staff = user.has_role(*Role.authority_staff_roles(), Role.AUDITOR)
    authorities = authorities_of(user) if staff else []
    if write:
        authorities = [a for a in authorities if a.kind == AuthorityKind.ORGANIZATION]
    roots = [
        (root.path, tuple(a.management_levels)) for a in authorities for root in a.root_units.all()
    ]
    hr_path = None
    if user.has_role(Role.UNIT_HR) and user.unit_id is not None:
        hr_path = user.unit.path
    units = _subtree_units([p for p, _levels in roots] + ([hr_path] if hr_path else []))
    by_level: dict[str, set[int]] = {}
    hr_units = []
    for pk, path in units:
        for root, levels in roots:
            if path.startswith(root):
                for level in levels:
                    by_level.setdefault(level, set()).add(pk)
        if hr_path and path.startswith(hr_path):
            hr_units.append(pk)
    own = ()
    if not write and user.has_role(Role.CADRE) and user.cadre_id is not None:
        own = (user.cadre_id,)
    return Reach(
        jurisdiction=tuple(sorted((level, tuple(sorted(ids))) for level, ids in by_level.items())),
        hr_units=tuple(hr_units),
        cadres=own,
        units=tuple(pk for pk, _path in units),
        view_grants=holds_view_grants(user) if grants and not write else True,
    )


def remembered_keys(user, kind: str) -> list[str]:
    """The cache keys remembered() reads, for a caller that reads them together with keys
    of its own in one round trip and hands the answer over (`found`)."""
    return [GENERATION_KEY, _key(user.pk, kind)]


def remembered(user, kind: str, compute, *, refresh=None, found: dict | None = None):
    """compute() for this user, kept in the cache across requests under the generation
    (see the module's docstring); computed afresh when the cache is off. `refresh(value)`,
    when given, brings a value found in the cache up to date (stored again if it changed).
    `found`: cache.get_many's answer for remembered_keys(user, kind) (and more), if read."""
    seconds = settings.ACCESS_CACHE_SECONDS
    if not seconds:
        return compute()
    key = _key(user.pk, kind)
    recalled = getattr(user, "_recalled", {})
    if found is None and kind in recalled:
        found = recalled.pop(kind)  # read with others in one round trip (recall), used once
    if found is None:
        found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = 0
        cache.add(GENERATION_KEY, 0, timeout=None)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        if refresh is None:
            return stored[1]
        value = refresh(stored[1])
        if value == stored[1]:
            return value
    else:
        value = compute()
    cache.set(key, (generation, value), timeout=seconds)
    return value


def recall(user, kinds: tuple[str, ...], *, found: dict | None = None) -> None:
    """Read the user's cached entries of these kinds (remembered) in one round trip to the
    cache, for a page that will ask for each of them: remembered then takes each from here,
    once, instead of asking the cache again. Nothing to do with the cache off, nor when
    they were read already, with the user (a view's `recalls`: the middleware read them in
    the same round trip as the user's roles and menu, workbench.nav.remember_user).
    `found`: cache.get_many's answer for recall_keys(user, kinds) (and more), if read."""
    if not settings.ACCESS_CACHE_SECONDS or not user.is_authenticated:
        return
    if found is None and all(kind in getattr(user, "_recalled", {}) for kind in kinds):
        return
    keys = {kind: _key(user.pk, kind) for kind in kinds}
    if found is None:
        found = cache.get_many([GENERATION_KEY, *keys.values()])
    generation = {GENERATION_KEY: found[GENERATION_KEY]} if GENERATION_KEY in found else {}
    user._recalled = {
        kind: {**generation, key: found[key]} if key in found else dict(generation)
        for kind, key in keys.items()
    }


def recall_keys(user, kinds: tuple[str, ...]) -> list[str]:
    """The cache keys recall() reads, for a caller that reads them with keys of its own."""
    return [GENERATION_KEY, *(_key(user.pk, kind) for kind in kinds)]


def recalls(*kinds: str):
    """Decorator: the view recalls these kinds of the user's entries (recall). The user's
    middleware (workbench.nav.RememberedUserMiddleware) then reads them in the round trip
    that reads the user's roles and menu, and the view's own recall() has nothing to do."""

    def mark(view):
        view.recalled_kinds = kinds
        return view

    return mark


def reach_of(user, *, write: bool = False) -> Reach:
    """The user's reach: once per request, and from the cache across requests."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_administrator:
        return EVERYTHING
    attribute = "_cadre_reach_write" if write else "_cadre_reach_read"
    reach = getattr(user, attribute, None)
    if reach is None:
        # Whether the user holds view grants is known only with the cache on (the
        # generation moves on with every grant); without it, assumed (no query).
        grants = bool(settings.ACCESS_CACHE_SECONDS)
        reach = remembered(
            user, "w" if write else "r", lambda: resolve(user, write=write, grants=grants)
        )
        setattr(user, attribute, reach)
    return reach


def forget_reaches() -> None:
    """Every cached reach is stale from now on (units, authorities or grants changed)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


KINDS = (
    *("r", "w", "nav", "chrome", "case-grants", "case-filter", "case-branches", "roster"),
    "register-branches",
)


@once
def code_version() -> str:
    """A digest of the project's Python source (its apps and config/), read once per
    process. Every user entry's cache key carries it: entries written by other code, some
    of them compiled SQL (a user's case filter, a list's branches), are never read after a
    deploy, only left to expire."""
    root = Path(settings.BASE_DIR)
    folders = {root / "config"}
    folders |= {Path(c.path) for c in apps.get_app_configs() if Path(c.path).is_relative_to(root)}
    digest = hashlib.blake2b(digest_size=6)
    for folder in sorted(folders):
        for source in sorted(folder.rglob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _key(user_pk: int, kind: str) -> str:
    return f"cadres:reach:{code_version()}:{kind}:{user_pk}"


def _on_change(sender, **kwargs) -> None:
    forget_reaches()


def _on_user_saved(sender, instance, **kwargs) -> None:
    """A user's unit, cadre record or activity may have changed: forget only theirs (a
    login, which saves last_login, leaves everyone else's reach cached)."""
    cache.delete_many([_key(instance.pk, kind) for kind in KINDS])


def connect_invalidation() -> None:
    """Called from CadresConfig.ready(): what moves the generation on."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    post_save.connect(_on_user_saved, sender=user_model, dispatch_uid="reach-save-user")
    post_delete.connect(_on_user_saved, sender=user_model, dispatch_uid="reach-delete-user")
    # Group: roles are group names, so a renamed or deleted group changes its members' roles.
    # TalentList: the pools and lists the cadre list offers (cadres.queries.talent_lists).
    for model in (Unit, Authority, Group, TalentList, UserObjectPermission, GroupObjectPermission):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"reach-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"reach-delete-{model.__name__}")
    for through in (
        Authority.root_units.through,
        user_model.authorities.through,
        user_model.groups.through,
    ):
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"reach-m2m-{through}")
