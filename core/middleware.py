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


class PolicyNotInForceMiddleware:
    """Answers core.policies.PolicyNotInForce, wherever a view raises it, with a page that
    says which measure is missing for whom and when, and links administrators to the
    versions; status 200, like any page that explains an empty state."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render
        from django.urls import NoReverseMatch, reverse

        from .policies import PolicyNotInForce

        if not isinstance(exception, PolicyNotInForce):
            return None
        user = getattr(request, "user", None)
        admin_url = ""
        if user is not None and getattr(user, "is_administrator", False):
            try:
                admin_url = reverse(exception.kind.admin_url_name)
            except NoReverseMatch:
                admin_url = ""
        return render(
            request,
            "core/policy_not_in_force.html",
            {"problem": exception, "admin_url": admin_url},
        )
