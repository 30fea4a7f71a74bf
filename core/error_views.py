"""Error answers in the user's language: Chinese pages, and the API's JSON error shape
(core.api_errors) for paths under /api/. Wired in config/urls.py (handler403/404/500) and
CSRF_FAILURE_VIEW. A 404 never says whether the thing exists: missing and forbidden read
alike."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"


def _api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template, request=request), status=status)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _api(request):
        return _json("not_found", _("Not found."), 404)
    return _page(request, "404.html", 404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _api(request):
        return _json(
            "permission_denied", _("You do not have permission to perform this action."), 403
        )
    return _page(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _api(request):
        return _json(
            "csrf_failed",
            _("The CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
              "header."),
            403,
        )
    return _page(request, "403_csrf.html", 403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """No request context (it may be what failed): a self-contained page."""
    if _api(request):
        return _json("server_error", _("Server error: the problem has been logged."), 500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
