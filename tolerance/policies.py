"""Which policy version applies, and how administrators publish new versions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Authority
from core import audit
from core.models import User

from .catalogs import Policy
from .errors import CaseError
from .models import PolicyVersion
from .models.policy import PolicyStatus
from .policy_data import policy_from_data, policy_to_data


def policy_in_force(authority: Authority | None, on: dt.date) -> PolicyVersion:
    """The published version in force on `on`: the authority's own, else the default.

    Raises CaseError when no published version was in force then.
    """
    published = PolicyVersion.objects.filter(
        status=PolicyStatus.PUBLISHED, effective_from__lte=on
    )
    if authority is not None:
        own = published.filter(authority=authority).order_by("-effective_from", "-id").first()
        if own is not None:
            return own
    default = published.filter(authority__isnull=True).order_by("-effective_from", "-id").first()
    if default is None:
        raise CaseError(
            _("No tolerance policy was in force on %(date)s; an administrator must publish one.")
            % {"date": on.isoformat()}
        )
    return default


def policy_version_create(
    policy: Policy,
    *,
    actor: User | None,
    title: str,
    effective_from: dt.date,
    authority: Authority | None = None,
    publish: bool = False,
) -> PolicyVersion:
    with transaction.atomic():
        version = PolicyVersion(
            authority=authority,
            code=policy.code,
            title=title,
            effective_from=effective_from,
            content=policy_to_data(policy),
        )
        version.full_clean()
        version.save()
        audit.record(
            "tolerance.policy.create",
            actor=actor,
            obj=version,
            after={"code": version.code, "effective_from": effective_from.isoformat()},
            authority_id=authority.pk if authority else None,
        )
        if publish:
            version = policy_version_publish(version, actor=actor)
    return version


def policy_draft_from(
    version: PolicyVersion, *, actor: User, effective_from: dt.date, title: str = ""
) -> PolicyVersion:
    """A new draft copying `version`'s content, for an administrator to edit and publish."""
    return policy_version_create(
        version.policy,
        actor=actor,
        title=title or version.title,
        effective_from=effective_from,
        authority=version.authority,
    )


def policy_version_publish(version: PolicyVersion, *, actor: User | None) -> PolicyVersion:
    """Publish a draft; from then on it cannot change. Refuses a second version for the same
    jurisdiction and date."""
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise CaseError(_("This policy version is already published."))
        try:
            policy_from_data(version.content)
        except ValueError as exc:
            raise CaseError(_("The policy content is invalid: %(error)s") % {"error": exc}) from exc
        clash = PolicyVersion.objects.filter(
            Q(authority=version.authority) if version.authority else Q(authority__isnull=True),
            status=PolicyStatus.PUBLISHED,
            effective_from=version.effective_from,
        )
        if clash.exists():
            raise CaseError(
                _("Another published version for this jurisdiction takes effect on that date.")
            )
        PolicyVersion.objects.filter(pk=version.pk).update(
            status=PolicyStatus.PUBLISHED, published_at=timezone.now(), published_by=actor
        )
        audit.record(
            "tolerance.policy.publish",
            actor=actor,
            obj=version,
            before={"status": PolicyStatus.DRAFT},
            after={"status": PolicyStatus.PUBLISHED},
            authority_id=version.authority_id,
        )
        version.refresh_from_db()
    return version
