"""The REST API's default permission, pagination and filter backend (REST_FRAMEWORK
settings), and the integer filter the apps' filter sets share.

DRF imports these while it defines its own views, so this module imports no DRF views.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.paging import decode_cursor, keyset_page

from .api_throttles import count_anonymous
from .enums import Role

MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An object id in a query: a whole number the database can hold, else an input error
    (django-filter's NumberFilter takes any decimal, and 1e30 overflows the column)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a filter given empty, or given twice when it
    takes one value, is an input error (400) as the OpenAPI schema says, not "no filter"."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {}
            for name, declared in filterset.filters.items():
                values = request.query_params.getlist(name)
                if not values:
                    continue
                if len(values) > 1 and not isinstance(
                    declared, django_filters.MultipleChoiceFilter
                ):
                    errors[name] = [_("Give this filter once.")]
                elif any(value == "" for value in values):
                    errors[name] = [_("This filter may not be empty.")]
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


def single_param(request, name: str) -> str:
    """A query parameter given at most once ("" when absent), else an input error."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [_("Give this parameter once.")]})
    return values[0] if values else ""


class ApiAccess(BasePermission):
    """Logged in and active; an auditor may only read (403 on every write method)."""

    message = gettext_lazy("Auditors have read-only access.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            count_anonymous(request, view)
            return False
        if request.method in SAFE_METHODS:
            return True
        return user.is_administrator or not user.has_role(Role.AUDITOR)


class KeysetPagination(BasePagination):
    """`?cursor=` pages in the view's `keyset_order` (ending in a unique column).

    The answer holds `results` and the `next` and `previous` links (null at either end);
    there is no count. `?page_size=` takes 1 to 100 (default 25); anything else is an
    input error (400). A cursor that is not one of ours gives the first page.
    """

    page_size = 25
    max_page_size = 100
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def _size(self, request) -> int:
        name = self.page_size_query_param
        raw = single_param(request, name)
        if name not in request.query_params:
            return self.page_size
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size:
            return int(raw)
        raise ValidationError(
            {
                name: [
                    _("Rows per page must be a whole number from 1 to %(max)d.")
                    % {"max": self.max_page_size}
                ]
            }
        )

    def _cursor(self, request, model, order: tuple[str, ...]) -> str:
        """The cursor asked for, or "" (the first page) when it is not one of ours."""
        cursor = single_param(request, self.cursor_query_param)
        decoded = decode_cursor(model, order, cursor[:1000])
        if decoded is None:
            return ""
        if any(isinstance(value, str) and "\x00" in value for value in decoded[1]):
            return ""  # PostgreSQL refuses NUL in text
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        order = tuple(getattr(view, "keyset_order", None) or queryset.model._meta.ordering)
        self.request = request
        self.page = keyset_page(
            queryset,
            cursor=self._cursor(request, queryset.model, order),
            size=self._size(request),
            order=order,
        )
        return self.page.rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.prev_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page after (or before) another: from a `next`/`previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
