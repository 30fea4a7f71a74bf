"""REST API throttling (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]): per user when
authenticated, per client IP otherwise, the IP being the one the trusted proxy saw
(core.client_ip), so a forged X-Forwarded-For does not buy a fresh allowance. Rates come
from API_THROTTLE_USER and API_THROTTLE_ANON; a throttled request answers 429 with a
Chinese message (core.api_errors) and a Retry-After header.

DRF checks throttles after authentication and permissions, so an anonymous request or a
wrong token would never reach them: `count_anonymous` is called where those are refused
(core.api_access.ApiAccess, core.api_tokens), against the same per-IP allowance.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .client_ip import client_ip


class _ClientIpMixin:
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AnonThrottle(_ClientIpMixin, AnonRateThrottle):
    pass


class UserThrottle(_ClientIpMixin, UserRateThrottle):
    pass


class _RefusedClientThrottle(AnonThrottle):
    """The anonymous allowance, counted without looking at request.user (which is being
    worked out when authentication fails)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def count_anonymous(request, view=None) -> None:
    """Count one unauthenticated request; raise Throttled (429) past the anonymous rate."""
    throttle = _RefusedClientThrottle()
    if not throttle.allow_request(request, view):
        raise exceptions.Throttled(wait=throttle.wait())
