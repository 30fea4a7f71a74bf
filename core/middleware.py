"""Request context that services need without being handed the request (the client IP)."""

from __future__ import annotations

import contextvars

from django.conf import settings

_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def client_ip(request) -> str | None:
    header = getattr(settings, "AUDIT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)
