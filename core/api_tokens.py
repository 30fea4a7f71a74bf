"""REST API tokens: hashed at rest, with an expiry, revocable.

A key is 40 random URL-safe characters, shown once by `manage.py issue_api_token`; the
database keeps only its SHA-256 (a table dump logs nobody in) and its first characters.
A key is good until API_TOKEN_TTL_DAYS after issue, or until revoked; a user has at most
one live token (issuing again requires --rotate, which revokes the old one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import audit
from .api_throttles import count_anonymous
from .models import ApiToken, User

PREFIX_LENGTH = 8


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def live_tokens(user: User):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def api_token_issue(
    user: User, *, actor: User | None, rotate: bool = False
) -> tuple[str, ApiToken]:
    """A new key for the user: (the key, its row). Refused while a live one exists unless
    `rotate`, which revokes it in the same transaction."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing = list(live_tokens(user))
        if existing and not rotate:
            raise ValueError("live token")
        now = timezone.now()
        for token in existing:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
        key = secrets.token_urlsafe(30)
        token = ApiToken.objects.create(
            user=user,
            digest=digest(key),
            prefix=key[:PREFIX_LENGTH],
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        audit.record(
            "api.token.rotate" if existing else "api.token.issue",
            actor=actor,
            obj=user,
            after={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
        )
    return key, token


def api_token_revoke(user: User, *, actor: User | None) -> int:
    """Revoke every live token of the user; the number revoked."""
    with transaction.atomic():
        tokens = list(live_tokens(user).select_for_update())
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
        if tokens:
            audit.record(
                "api.token.revoke", actor=actor, obj=user,
                before={"prefix": [t.prefix for t in tokens]},
            )
    return len(tokens)


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` checked against the stored digest, expiry and revocation."""

    keyword = "Token"

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            count_anonymous(request)  # guessing keys costs the anonymous allowance
            raise

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
