"""The REST API's defaults (core.api_access): who may call it, strict filters, a parameter
given once, ids the database can hold, and keyset pages with links and no count."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api import DocumentFilter
from core.api_access import (
    MAX_ID,
    ApiAccess,
    IdFilter,
    KeysetPagination,
    StrictFilterBackend,
    single_param,
)
from core.enums import Role
from core.models import IssuedDocument, User
from core.paging import encode_cursor
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def request(method="get", path="/api/x/", user=None, **params):
    raw = getattr(APIRequestFactory(), method)(path, params if method == "get" else None)
    wrapped = Request(raw)
    wrapped.user = user or AnonymousUser()
    return wrapped


def test_an_id_is_a_whole_number_the_database_can_hold():
    field = IdFilter().field
    assert field.clean("42") == 42
    assert field.clean(str(MAX_ID)) == MAX_ID
    for bad in ("0", "-3", "1.5", "1e30", str(MAX_ID + 1)):
        with pytest.raises(DjangoValidationError):
            field.clean(bad)


def test_a_parameter_given_once_or_not_at_all():
    assert single_param(request(a="1"), "a") == "1"
    assert single_param(request(), "a") == ""
    with pytest.raises(ValidationError) as refused:
        single_param(request(a=["1", "2"]), "a")
    assert refused.value.detail == {"a": ["此参数只能给出一次。"]}


def test_a_filter_given_empty_or_twice_is_an_input_error():
    view = SimpleNamespace(filterset_class=DocumentFilter)
    backend = StrictFilterBackend()
    documents = IssuedDocument.objects.all()
    with pytest.raises(ValidationError) as refused:
        backend.filter_queryset(request(kind="", year=["2025", "2026"]), documents, view)
    assert refused.value.detail == {
        "kind": ["此筛选条件不能为空。"], "year": ["此筛选条件只能给出一次。"],
    }
    kept = backend.filter_queryset(request(year="2026"), documents, view)
    assert "2026" in str(kept.query)


def test_access_by_role_and_method(world):
    auditor = make_user("api_auditor", Role.AUDITOR, authorities=[world.county_a_org])
    clerk = make_user("api_clerk", Role.INTAKE_CLERK, authorities=[world.county_a_org])
    admin_auditor = make_user("api_admin_auditor", Role.ADMIN, Role.AUDITOR)
    access = ApiAccess()
    assert access.has_permission(request(user=auditor), None) is True
    assert access.has_permission(request("post", user=auditor), None) is False
    assert access.has_permission(request("delete", user=auditor), None) is False
    assert access.has_permission(request("post", user=clerk), None) is True
    assert access.has_permission(request("post", user=admin_auditor), None) is True
    assert str(access.message) == "审计人员只能查看，不能修改。"
    clerk.is_active = False
    cache.clear()
    assert access.has_permission(request(user=clerk), None) is False
    assert access.has_permission(request(), None) is False


@pytest.fixture
def users(db):
    return [make_user(f"page_{i:02d}") for i in range(5)]


def paginate(size=None, cursor=None):
    params = {k: v for k, v in (("page_size", size), ("cursor", cursor)) if v is not None}
    paginator = KeysetPagination()
    view = SimpleNamespace(keyset_order=("username", "id"))
    rows = paginator.paginate_queryset(User.objects.all(), request(**params), view)
    return paginator, rows


def test_pages_follow_the_views_order_with_links_and_no_count(users):
    paginator, rows = paginate(size="2")
    assert [u.username for u in rows] == ["page_00", "page_01"]
    body = paginator.get_paginated_response([u.username for u in rows]).data
    assert list(body) == ["next", "previous", "results"]
    assert body["previous"] is None
    assert body["next"].startswith("http://testserver/api/x/?cursor=")
    cursor = body["next"].split("cursor=")[1].split("&")[0]
    paginator, rows = paginate(size="2", cursor=cursor)
    assert [u.username for u in rows] == ["page_02", "page_03"]
    assert paginator.get_paginated_response([]).data["previous"] is not None


def test_the_default_page_holds_25(users):
    assert KeysetPagination()._size(request()) == 25


@pytest.mark.parametrize("size", ["0", "101", "²", "", "2.5"])
def test_odd_page_sizes_are_refused(size):
    with pytest.raises(ValidationError) as refused:
        KeysetPagination()._size(request(page_size=size))
    assert refused.value.detail == {"page_size": ["每页行数须为 1 到 100 之间的整数。"]}


def test_a_cursor_not_ours_gives_the_first_page(users):
    for cursor in ("%%%", encode_cursor("n", ["page_01\x00", users[1].pk]), "x" * 2000):
        _paginator, rows = paginate(size="2", cursor=cursor)
        assert [u.username for u in rows] == ["page_00", "page_01"], cursor


def test_the_schema_documents_both_parameters_and_the_links():
    paginator = KeysetPagination()
    names = [p["name"] for p in paginator.get_schema_operation_parameters(None)]
    assert names == ["cursor", "page_size"]
    schema = paginator.get_paginated_response_schema({"type": "array"})
    assert schema["required"] == ["next", "previous", "results"]
    assert schema["properties"]["next"] == {"type": "string", "format": "uri", "nullable": True}
