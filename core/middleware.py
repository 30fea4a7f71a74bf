"""Request context that services need without being handed the request (the client IP),
and the interface language."""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .client_ip import client_ip

__all__ = ["client_ip", "current_ip"]

_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)


def chosen_language(request) -> str:
    """The language picked with Django's set_language view (its cookie), else LANGUAGE_CODE.

    Accept-Language is ignored on purpose: the product speaks Chinese, and browsers (headless
    ones in particular) announce English without anyone having asked for it.
    """
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Replaces django.middleware.locale.LocaleMiddleware (no i18n_patterns are used)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
