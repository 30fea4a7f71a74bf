"""One shape for every REST API error, and the schema that documents it.

Every error the API answers has the body

    {"error": {"code": "not_found", "message": "未找到。", "fields": {}}}

`code` is stable and meant for programs (DRF's error codes, plus `conflict` and `refused`);
`message` is for people, in the request's language (Chinese unless the user chose English);
`fields` maps each invalid input field to its messages (empty unless the input was invalid).

"Not found" never says what was looked for: missing and forbidden objects answer alike.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .policies import PolicyNotInForce


class Conflict(exceptions.APIException):
    """The request is well formed but the object's current state does not allow it."""

    status_code = 409
    default_detail = gettext_lazy(
        "This action is not possible in the current state, or its conditions are not met."
    )
    default_code = "conflict"


class Refused(exceptions.APIException):
    """A domain rule refused the request (the message says which)."""

    status_code = 400
    default_detail = gettext_lazy("The request was refused.")
    default_code = "refused"


CSRF_FAILED = gettext_lazy(
    "The CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."
)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field" or "field.0.sub": [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(item) for item in items]}


def _validation_body(detail: Any) -> dict[str, Any]:
    fields = _flatten(detail)
    general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
    if general and not fields:
        message = general[0]
    else:
        message = _("Some of the data sent is not valid.")
        if general:
            fields[api_settings.NON_FIELD_ERRORS_KEY] = general
    return {"code": "invalid", "message": message, "fields": fields}


def api_exception_handler(exc: Exception, context: dict) -> Any:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DRF's handling, then the one error shape."""
    if isinstance(exc, DjangoValidationError):
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, (Http404, exceptions.NotFound)):
        # The helpers' own messages ("No such case") are for logs, not for clients.
        exc = exceptions.NotFound()
    elif isinstance(exc, PolicyNotInForce):
        exc = Conflict(exc.message, code="no_policy")
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError()  # the parser's own text is English and technical
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        message = (
            _("Too many requests: please wait %(seconds)d seconds and try again.")
            % {"seconds": max(1, round(wait))}
            if wait is not None
            else _("Too many requests: please try again later.")
        )
        throttled = exceptions.Throttled(wait=wait, detail=message)
        throttled.detail = exceptions.ErrorDetail(message, code="throttled")
        exc = throttled
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        # SessionAuthentication's refusal, in English and without a code of its own.
        exc = exceptions.PermissionDenied(CSRF_FAILED, code="csrf_failed")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (logged)
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc.detail)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        detail = getattr(exc, "detail", "")
        body = {
            "code": code if isinstance(code, str) else "error",
            "message": str(detail) if isinstance(detail, str) else _("The request failed."),
            "fields": {},
        }
    response.data = {"error": body}
    return response


# --- OpenAPI ------------------------------------------------------------------------------


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="not_found, permission_denied, invalid, conflict, ...")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Invalid input field → its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class ErrorDocumentingAutoSchema(AutoSchema):
    """Every operation also documents the error answers it can give, in the one shape."""

    def _error_codes(self) -> list[str]:
        codes = ["401", "403"]
        if self.method != "GET" or self._is_list_view():
            codes.append("400")  # invalid input or filters
        if "{" in self.path:
            codes.append("404")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("409")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A read-only choice of a model field that may be blank or null answers "" or null:
        DRF drops `allow_blank` from read-only fields, so the schema would not list it."""
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                if model_field.blank and isinstance(
                    model_field, (models.CharField, models.TextField)
                ):
                    field.allow_blank = True
                if model_field.null:
                    field.allow_null = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_field(field) -> models.Field | None:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
