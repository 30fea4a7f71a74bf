"""System checks of the document policy (settings DOCUMENT_SIGNOFF_KINDS and
DOCUMENT_SIGNING_ROLES): a kind that needs a sign-off must be one the apps know how to draft,
and its signers must be roles that exist, so a typo fails at start-up, not at the sign-off."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def document_signoff_policy(app_configs=None, **kwargs) -> list[Error]:
    from .drafts import SOURCES
    from .enums import Role
    from .models import DocumentKind

    errors = []
    for kind in settings.DOCUMENT_SIGNOFF_KINDS:
        if kind not in DocumentKind.values:
            errors.append(Error(f"DOCUMENT_SIGNOFF_KINDS names an unknown kind {kind!r}",
                                id="core.E101"))
        elif kind not in SOURCES:
            errors.append(Error(f"No app registered a draft source for {kind!r}",
                                hint="core.drafts.register_draft_source in AppConfig.ready",
                                id="core.E102"))
    for kind, roles in settings.DOCUMENT_SIGNING_ROLES.items():
        if kind not in DocumentKind.values:
            errors.append(Error(f"DOCUMENT_SIGNING_ROLES names an unknown kind {kind!r}",
                                id="core.E103"))
        unknown = [role for role in roles if role not in Role.values]
        if unknown or not roles:
            errors.append(Error(f"DOCUMENT_SIGNING_ROLES[{kind!r}] names no role or unknown "
                                f"roles {unknown}", id="core.E104"))
    return errors
