"""The one error shape of the REST API (core.api_errors): every error answers
{"error": {"code", "message", "fields"}}, "not found" never says what was looked for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions
from rest_framework.test import APIClient

from core.api_errors import Conflict, Refused, _flatten, _validation_body, api_exception_handler
from core.enums import Role
from core.policies import PolicyNotInForce, policy_kind
from tests.factories import make_user


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clerk(db):
    return make_user("api_clerk", Role.INTAKE_CLERK)


@pytest.fixture
def admin(db):
    return make_user("api_admin", Role.ADMIN)


def handled(exc):
    with translation.override("zh-hans"):
        return api_exception_handler(exc, {})


@pytest.mark.django_db
def test_unknown_api_paths_answer_in_the_error_shape(api, clerk):
    api.force_login(clerk)
    for path in ("/api/", "/api/nothing/", "/api/cadres/abc/", "/api/cadres"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {
            "error": {"code": "not_found", "message": "未找到。", "fields": {}}
        }


@pytest.mark.django_db
def test_malformed_json_is_a_parse_error(api, admin):
    api.force_login(admin)
    response = api.post("/api/cadres/", "{not json", content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["fields"] == {}
    assert not error["message"].isascii()


@pytest.mark.django_db
def test_other_media_types_are_refused(api, admin):
    api.force_login(admin)
    response = api.post("/api/cadres/", "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_flatten_nested_errors():
    assert _flatten({"a": ["x"], "b": {"c": ["y"]}, "d": [{}, {"e": ["z"]}]}) == {
        "a": ["x"],
        "b.c": ["y"],
        "d.1.e": ["z"],
    }
    assert _flatten(["only"]) == {"non_field_errors": ["only"]}


def test_validation_body_with_only_general_errors_uses_the_first_as_message():
    assert _validation_body({"non_field_errors": ["两者只能填一个。"]}) == {
        "code": "invalid",
        "message": "两者只能填一个。",
        "fields": {},
    }


def test_service_validation_errors_become_field_errors():
    from django.utils import translation

    with translation.override("zh-hans"):
        response = api_exception_handler(
            DjangoValidationError({"birth_date": ["出生日期有误。"], "__all__": ["整体有误。"]}), {}
        )
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "code": "invalid",
            "message": "提交的数据有误，请检查各字段。",
            "fields": {"birth_date": ["出生日期有误。"], "non_field_errors": ["整体有误。"]},
        }
    }


def test_not_found_never_repeats_the_helpers_message():
    from django.utils import translation

    with translation.override("zh-hans"):
        response = api_exception_handler(Http404("No such case"), {})
    assert response.data["error"]["message"] == "未找到。"


def test_throttling_keeps_the_shape_and_retry_after():
    from django.utils import translation

    with translation.override("zh-hans"):
        response = api_exception_handler(exceptions.Throttled(wait=30), {})
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.data["error"]["code"] == "throttled"


def test_other_exceptions_are_left_to_django():
    assert api_exception_handler(RuntimeError("boom"), {}) is None


def test_a_missing_policy_is_a_conflict_that_names_it():
    problem = PolicyNotInForce(policy_kind("tolerance"), None, dt.date(2026, 3, 5))
    response = handled(problem)
    assert response.status_code == 409
    assert response.data["error"]["code"] == "no_policy"
    assert response.data["error"]["message"] == problem.message
    assert "2026-03-05" in response.data["error"]["message"]


def test_conflict_and_refused_answer_409_and_400_with_their_defaults():
    conflict, refused = handled(Conflict()), handled(Refused())
    assert (conflict.status_code, conflict.data) == (409, {"error": {
        "code": "conflict",
        "message": "当前状态下不能进行此操作，或尚不具备进行此操作的条件。",
        "fields": {},
    }})
    assert (refused.status_code, refused.data) == (400, {"error": {
        "code": "refused", "message": "请求被拒绝。", "fields": {},
    }})
    assert handled(Refused("案件已结案。")).data["error"]["message"] == "案件已结案。"


def test_throttling_without_a_wait_asks_to_try_later():
    response = handled(exceptions.Throttled(wait=None))
    assert response.status_code == 429
    assert response.data["error"] == {
        "code": "throttled", "message": "请求过于频繁，请稍后再试。", "fields": {},
    }
    assert handled(exceptions.Throttled(wait=0.2)).data["error"]["message"] == (
        "请求过于频繁，请 1 秒后再试。"
    )


def test_djangos_permission_denied_is_a_403_with_its_message():
    response = handled(DjangoPermissionDenied("只有审核人可以办理。"))
    assert response.status_code == 403
    assert response.data["error"] == {
        "code": "permission_denied", "message": "只有审核人可以办理。", "fields": {},
    }


def test_a_csrf_refusal_says_how_to_send_the_token():
    response = handled(exceptions.PermissionDenied("CSRF Failed: CSRF token missing."))
    assert response.status_code == 403
    assert response.data["error"] == {
        "code": "csrf_failed",
        "message": "CSRF 校验失败：请在 X-CSRFToken 请求头中提交 csrftoken Cookie 的值。",
        "fields": {},
    }


def test_a_detail_that_is_not_text_gives_the_general_message():
    response = handled(exceptions.APIException({"a": "b"}))
    assert response.status_code == 500
    assert response.data["error"] == {"code": "error", "message": "请求未能完成。", "fields": {}}


def test_validation_body_with_general_and_field_errors_keeps_both():
    assert _validation_body({"non_field_errors": ["整体有误。"], "name": ["必填。"]}) == {
        "code": "invalid",
        "message": "提交的数据有误，请检查各字段。",
        "fields": {"name": ["必填。"], "non_field_errors": ["整体有误。"]},
    }
