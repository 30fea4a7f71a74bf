"""Which policy version applies, and how administrators publish new versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Authority
from core import audit
from core.models import User
from core.policies import policy_in_force as core_policy_in_force

from .errors import CaseError
from .models import PolicyVersion
from .models.policy import PolicyStatus
from .policy_data import PolicyDataError, policy_from_data, policy_to_data
from .policy_types import Policy

KIND = "tolerance"  # registered with core.policies in tolerance.apps

ENTRY_KINDS = {
    "situation": gettext_lazy("tolerance situation"),
    "distinction": gettext_lazy("distinction"),
    "condition": gettext_lazy("condition"),
    "exclusion": gettext_lazy("exclusion"),
}
POLICY_ERRORS = {
    "not_object": gettext_lazy("The content must be one JSON object, enclosed in { }."),
    "format": gettext_lazy('Unknown content format %(format)s; the content must say "format": 1.'),
    "missing": gettext_lazy("The content lacks the entry “%(key)s”."),
    "malformed": gettext_lazy("The content is malformed: %(error)s"),
    "duplicate": gettext_lazy("Two entries of the kind “%(kind)s” have the same code."),
    "empty": gettext_lazy("The policy needs at least one entry of the kind “%(kind)s”."),
    "days": gettext_lazy("“%(name)s” must be a whole number of working days from 1 to 365."),
    "vote": gettext_lazy(
        "The quorum must be above 0 and at most 1, the majority above 0 and below 1 "
        '(fractions such as "2/3" and "1/2").'
    ),
    "base": gettext_lazy("“majority_base” must be “present” or “members”."),
    "scope": gettext_lazy("The default publication scope must be one of the publication scopes."),
    "repeated": gettext_lazy(
        "The repeated-error rule must name one of the exclusions, look back 1 to 20 years and "
        "say “refuse” or “warn”."
    ),
}


def policy_error_message(exc: ValueError) -> str:
    """A policy_from_data error as a sentence in the active language."""
    if not isinstance(exc, PolicyDataError) or exc.code not in POLICY_ERRORS:
        return str(POLICY_ERRORS["malformed"]) % {"error": exc}
    params = dict(exc.params)
    if "kind" in params:
        params["kind"] = ENTRY_KINDS.get(params["kind"], params["kind"])
    return str(POLICY_ERRORS[exc.code]) % params


def policy_in_force(authority: Authority | None, on: dt.date) -> PolicyVersion:
    """The published tolerance version judging `authority`'s cases on `on`: its
    jurisdiction's (core.policies). Raises core.policies.PolicyNotInForce."""
    return core_policy_in_force(KIND, authority, on)


def policy_version_create(
    policy: Policy,
    *,
    actor: User | None,
    title: str,
    effective_from: dt.date,
    jurisdiction_code: str = "",
    jurisdiction_name: str = "",
    issuer: str = "",
    label: str = "",
    publish: bool = False,
    note: str = "",
) -> PolicyVersion:
    """A new draft version holding `policy` (published at once when `publish`)."""
    with transaction.atomic():
        version = PolicyVersion(
            jurisdiction_code=jurisdiction_code,
            jurisdiction_name=jurisdiction_name,
            code=policy.code,
            title=title,
            issuer=issuer,
            label=label,
            effective_from=effective_from,
            content=policy_to_data(policy),
            note=note,
        )
        version.full_clean()
        version.save()
        audit.record(
            "tolerance.policy.create",
            actor=actor,
            obj=version,
            after={
                "code": version.code,
                "jurisdiction": jurisdiction_code,
                "effective_from": effective_from.isoformat(),
            },
        )
        if publish:
            version = policy_version_publish(version, actor=actor)
    return version


def policy_draft_from(
    version: PolicyVersion,
    *,
    actor: User,
    effective_from: dt.date,
    title: str = "",
    jurisdiction_code: str | None = None,
    jurisdiction_name: str | None = None,
) -> PolicyVersion:
    """A new draft copying `version`'s content and deliberation rules, for an administrator
    to edit and publish: for the same jurisdiction, or (given a code) to start another
    jurisdiction's."""
    draft = policy_version_create(
        version.policy,
        actor=actor,
        title=title or version.title,
        issuer=version.issuer,
        effective_from=effective_from,
        jurisdiction_code=(
            version.jurisdiction_code if jurisdiction_code is None else jurisdiction_code
        ),
        jurisdiction_name=(
            version.jurisdiction_name if jurisdiction_name is None else jurisdiction_name
        ),
        label=_("copy of version %(pk)d") % {"pk": version.pk},
        note=_("Drafted from version %(pk)d: %(version)s.")
        % {"pk": version.pk, "version": version},
    )
    return policy_version_update(
        draft, actor=actor, **{name: getattr(version, name) for name in DELIBERATION_FIELDS}
    )


# Collective deliberation rules kept on the version itself (quorum, majority, who decides).
DELIBERATION_FIELDS = (
    "quorum",
    "quorum_exceeds",
    "majority",
    "majority_base",
    "decider",
    "deliberation_basis",
    "signing_roles",
)
EDITABLE_FIELDS = (
    "jurisdiction_code",
    "jurisdiction_name",
    "title",
    "issuer",
    "label",
    "effective_from",
    "note",
    "content",
    *DELIBERATION_FIELDS,
)


def content_digest(content: Any) -> str:
    """A short fingerprint of a version's content, for audit rows (the content is large)."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _snapshot(version: PolicyVersion) -> dict[str, Any]:
    return {
        "jurisdiction": version.jurisdiction_code,
        "code": version.code,
        "title": version.title,
        "issuer": version.issuer,
        "label": version.label,
        "effective_from": version.effective_from.isoformat(),
        "note": version.note,
        "content": content_digest(version.content),
        **{name: getattr(version, name) for name in DELIBERATION_FIELDS},
    }


def policy_version_update(version: PolicyVersion, *, actor: User, **values: Any) -> PolicyVersion:
    """Change a draft: any of EDITABLE_FIELDS. The code follows the content's own code.

    Raises CaseError when the version is published, ValidationError when the result is
    invalid (the content must load with policy_from_data).
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if locked.is_published:
            raise CaseError(_("A published policy version cannot be changed; draft a new one."))
        before = _snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        if isinstance(locked.content, dict) and isinstance(locked.content.get("code"), str):
            locked.code = locked.content["code"]
        locked.full_clean()
        locked.save()
        old, new = audit.diff(before, _snapshot(locked))
        if new:
            audit.record(
                "tolerance.policy.update",
                actor=actor,
                obj=locked,
                before=old,
                after=new,
            )
    return locked


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
            raise CaseError(
                _("The policy content is invalid: %(error)s") % {"error": policy_error_message(exc)}
            ) from exc
        clash = PolicyVersion.objects.filter(
            jurisdiction_code=version.jurisdiction_code,
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
        )
        version.refresh_from_db()
    return version
