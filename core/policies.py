"""Versioned jurisdiction policies: one frozen-once-published model shape, one way to find the
version in force.

A policy version belongs to a *jurisdiction*, named by the code of a unit of the unit tree
(济南市 "3701", 陕西省 "61", …), not by a database row, so that a data migration can ship a
province's measure before that province's units exist. An authority is judged under the
version of the nearest jurisdiction up the tree from the unit it sits at (its highest covered
unit): a county's organization department under the county's own measure when it has one,
else the city's, else the province's. A version with a blank jurisdiction applies wherever no
jurisdiction up the tree has one (an administrator's explicit choice; the shipped data has
none, so that no authority is silently judged under another province's measure).

Each app registers the kinds it owns (`register_policy_kind` in its AppConfig.ready); this
module names no domain app. `cadres.Unit` is read by model label to walk the tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

UNIT_MODEL = "cadres.Unit"


class PolicyDataError(ValueError):
    """Malformed or unusable policy data. `str()` is an English technical message; `code` and
    `params` let a form show the same problem translated."""

    def __init__(
        self, message: str, *, code: str = "malformed", params: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.code = code
        self.params = params or {}


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PolicyVersionBase(models.Model):
    """One version of a jurisdiction's measure, in force from `effective_from`.

    `title` and `issuer` are the public title (the measure's official name and its issuing
    body): what documents and pages cite. `label` is for administrators only (which draft,
    which revision) and never reaches a document or a cadre's page. Published versions are
    immutable: a change is a new version.
    """

    jurisdiction_code = models.CharField(
        _("jurisdiction (unit code)"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_(
            "Code of the unit whose jurisdiction issued the measure (e.g. 3701 for 济南市). "
            "Authorities at that unit or below it use this version unless a nearer "
            "jurisdiction has one. Blank: wherever no jurisdiction up the tree has a version."
        ),
    )
    jurisdiction_name = models.CharField(_("jurisdiction"), max_length=64, blank=True)
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(
        _("official title"),
        max_length=200,
        help_text=_("The measure's official name, as documents cite it, without 《》."),
    )
    issuer = models.CharField(_("issuing body"), max_length=100, blank=True)
    label = models.CharField(
        _("internal label"),
        max_length=100,
        blank=True,
        help_text=_("For administrators only; never printed on a document."),
    )
    effective_from = models.DateField(_("in force from"))
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    content = models.JSONField(_("content"))
    note = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the measure covers, and what its sources leave unsaid."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True
        ordering = ["jurisdiction_code", "-effective_from", "-id"]

    def __str__(self) -> str:
        where = self.jurisdiction_name or gettext("every jurisdiction")
        extra = f"，{self.label}" if self.label else ""
        return f"{where}：{self.title}（{self.effective_from:%Y-%m-%d}{extra}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PolicyStatus.PUBLISHED:
                raise PermissionDenied("A published policy version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PermissionDenied("A published policy version cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def public_title(self) -> str:
        """《title》, as a document cites it; the issuing body is `issuer`."""
        return f"《{self.title}》"

    @property
    def is_published(self) -> bool:
        return self.status == PolicyStatus.PUBLISHED


@dataclass(frozen=True)
class PolicyKind:
    key: str
    model_label: str  # "app_label.ModelName", a PolicyVersionBase subclass
    label: Any  # translated name of the kind ("tolerance measure")

    @property
    def model(self) -> type[PolicyVersionBase]:
        return apps.get_model(self.model_label)

    @property
    def admin_url_name(self) -> str:
        app_label, model_name = self.model_label.lower().split(".")
        return f"admin:{app_label}_{model_name}_changelist"


_KINDS: dict[str, PolicyKind] = {}


def register_policy_kind(key: str, model_label: str, label: Any) -> None:
    """Called by the owning app's AppConfig.ready()."""
    _KINDS[key] = PolicyKind(key, model_label, label)


def policy_kind(key: str) -> PolicyKind:
    return _KINDS[key]


def policy_kinds() -> list[PolicyKind]:
    return list(_KINDS.values())


class PolicyNotInForce(Exception):
    """No published version of a kind was in force for an authority on a date.

    Views need not catch it: core.middleware.PolicyNotInForceMiddleware answers with a page
    that explains it and links administrators to the policy versions.
    """

    def __init__(self, kind: PolicyKind, authority: Any, on: dt.date):
        self.kind = kind
        self.authority = authority
        self.on = on
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.authority is None:
            return gettext("No published %(kind)s was in force on %(date)s.") % {
                "kind": self.kind.label,
                "date": self.on.isoformat(),
            }
        return gettext(
            "No published %(kind)s was in force for %(authority)s on %(date)s: neither its "
            "own jurisdiction nor any above it has published one."
        ) % {"kind": self.kind.label, "authority": self.authority, "date": self.on.isoformat()}


def seat_unit(authority) -> Any | None:
    """The unit an authority sits at: the highest of the units it covers (then by code)."""
    if authority is None:
        return None
    units = authority.root_units.all()
    return min(units, key=lambda u: (u.depth, u.code), default=None)


def jurisdiction_codes(unit) -> list[str]:
    """The codes of `unit` and its ancestors, nearest first (one query)."""
    if unit is None:
        return []
    Unit = apps.get_model(UNIT_MODEL)
    step = Unit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    by_path = dict(Unit.objects.filter(path__in=paths).values_list("path", "code"))
    return [by_path[p] for p in reversed(paths) if p in by_path]


def version_in_force(
    model: type[PolicyVersionBase], codes: list[str], on: dt.date
) -> PolicyVersionBase | None:
    """The published version of the nearest jurisdiction in `codes` (nearest first) in force
    on `on`, else the blank jurisdiction's; None when there is none."""
    rows = list(
        model.objects.filter(
            status=PolicyStatus.PUBLISHED,
            effective_from__lte=on,
            jurisdiction_code__in=[*codes, ""],
        ).order_by("-effective_from", "-id")
    )
    rank = {code: i for i, code in enumerate([*codes, ""])}
    rows.sort(key=lambda v: rank[v.jurisdiction_code])  # stable: latest first within one
    return rows[0] if rows else None


def policy_in_force(kind: str, authority, on_date: dt.date) -> PolicyVersionBase:
    """The published version of `kind` that judges `authority`'s matters on `on_date`.

    `authority` may be None for a question that belongs to no authority (then only a
    blank-jurisdiction version answers). Raises PolicyNotInForce when none is in force.
    """
    found = policy_in_force_for_unit(kind, seat_unit(authority), on_date)
    if found is None:
        raise PolicyNotInForce(policy_kind(kind), authority, on_date)
    return found


def policy_in_force_for_unit(kind: str, unit, on_date: dt.date) -> PolicyVersionBase | None:
    """The version of `kind` in force at `unit` (nearest jurisdiction up the tree); None."""
    return version_in_force(policy_kind(kind).model, jurisdiction_codes(unit), on_date)


def policy_in_force_at(kind: str, unit, on_date: dt.date) -> PolicyVersionBase:
    """The version of `kind` in force at `unit`; raises PolicyNotInForce (naming the unit)."""
    found = policy_in_force_for_unit(kind, unit, on_date)
    if found is None:
        raise PolicyNotInForce(policy_kind(kind), unit, on_date)
    return found


def acting_authority(user):
    """The authority whose jurisdiction a user's overview pages are judged in: the first of
    the user's own authorities; for an administrator without one, the first authority."""
    from django.apps import apps as registry

    Authority = registry.get_model("cadres", "Authority")
    own = Authority.objects.filter(pk__in=getattr(user, "authority_ids", ())).order_by("pk")
    found = own.prefetch_related("root_units").first()
    if found is None and getattr(user, "is_administrator", False):
        found = Authority.objects.order_by("pk").prefetch_related("root_units").first()
    return found


def jurisdiction_partition(kind: str, on_date: dt.date) -> list[tuple[Any, str, list[str]]]:
    """The unit tree cut into the parts each version of `kind` in force on `on_date` governs:
    (version, path of the jurisdiction's unit or "" for the blank jurisdiction, paths of the
    nearer jurisdictions inside it that it does not govern). Two queries; for set-based work
    over many units (a scan, an impact report)."""
    Unit = apps.get_model(UNIT_MODEL)
    rows = (
        policy_kind(kind)
        .model.objects.filter(status=PolicyStatus.PUBLISHED, effective_from__lte=on_date)
        .order_by("jurisdiction_code", "-effective_from", "-id")
    )
    latest: dict[str, Any] = {}
    for version in rows:
        latest.setdefault(version.jurisdiction_code, version)
    paths = dict(Unit.objects.filter(code__in=[c for c in latest if c]).values_list("code", "path"))
    parts = []
    for code, version in latest.items():
        if code and code not in paths:
            continue  # a jurisdiction whose units are not in this database
        own = paths.get(code, "")
        inner = [p for p in paths.values() if p != own and p.startswith(own)]
        parts.append((version, own, inner))
    return parts
