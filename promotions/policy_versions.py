"""Copying and publishing up/down policy versions (administrators; audited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import ActionRefused
from core.policies import PolicyStatus

from .models import PromotionPolicy


def promotion_policy_copy(
    version: PromotionPolicy, *, actor, jurisdiction: tuple[str, str] | None = None
) -> PromotionPolicy:
    """A new draft with `version`'s content, for the same jurisdiction or (code, name) given:
    how an administrator starts one jurisdiction's measure from another's."""
    code, name = jurisdiction or (version.jurisdiction_code, version.jurisdiction_name)
    with transaction.atomic():
        draft = PromotionPolicy.objects.create(
            jurisdiction_code=code,
            jurisdiction_name=name,
            code=version.code,
            title=version.title,
            issuer=version.issuer,
            label=_("copy of version %(pk)d") % {"pk": version.pk},
            effective_from=timezone.localdate(),
            content=version.content,
            note=_("Drafted from version %(pk)d: %(version)s.")
            % {"pk": version.pk, "version": version},
        )
        audit.record(
            "promotions.policy.copy",
            actor=actor,
            obj=draft,
            before={"from": version.pk, "jurisdiction": version.jurisdiction_code},
            after={"jurisdiction": code, "status": PolicyStatus.DRAFT},
        )
    return draft


def promotion_policy_publish(version: PromotionPolicy, *, actor) -> PromotionPolicy:
    """Publish a draft (its content must parse); refuses a second version of the same
    jurisdiction on the same date."""
    with transaction.atomic():
        locked = PromotionPolicy.objects.select_for_update().get(pk=version.pk)
        if locked.is_published:
            raise ActionRefused(_("This policy version is already published."))
        try:
            locked.clean()
        except ValidationError as exc:
            raise ActionRefused(
                _("The policy content is invalid: %(error)s") % {"error": "；".join(exc.messages)}
            ) from exc
        if PromotionPolicy.objects.filter(
            jurisdiction_code=locked.jurisdiction_code,
            status=PolicyStatus.PUBLISHED,
            effective_from=locked.effective_from,
        ).exists():
            raise ActionRefused(
                _("Another published version for this jurisdiction takes effect on that date.")
            )
        PromotionPolicy.objects.filter(pk=locked.pk).update(
            status=PolicyStatus.PUBLISHED, published_at=timezone.now(), published_by=actor
        )
        audit.record(
            "promotions.policy.publish",
            actor=actor,
            obj=locked,
            before={"status": PolicyStatus.DRAFT},
            after={"status": PolicyStatus.PUBLISHED},
        )
    locked.refresh_from_db()
    return locked
