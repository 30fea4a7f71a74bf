"""Request middleware (core.middleware): the client IP for services, the chosen interface
language, and the page that explains a missing policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from core.enums import Role
from core.middleware import (
    ChosenLanguageMiddleware,
    PolicyNotInForceMiddleware,
    RequestContextMiddleware,
    chosen_language,
    current_ip,
)
from core.policies import PolicyKind, PolicyNotInForce, policy_kind
from tests.factories import make_user

COOKIE = django_settings.LANGUAGE_COOKIE_NAME


def request_with(cookie: str | None = None, **meta):
    request = RequestFactory().get("/", **meta)
    if cookie is not None:
        request.COOKIES[COOKIE] = cookie
    return request


def test_the_client_ip_is_known_during_the_request_only(settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 0
    seen = []
    middleware = RequestContextMiddleware(lambda request: seen.append(current_ip()) or "ok")
    assert middleware(request_with(REMOTE_ADDR="192.0.2.44")) == "ok"
    assert seen == ["192.0.2.44"]
    assert current_ip() is None


def test_the_client_ip_is_cleared_when_the_view_fails(settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 0

    def fail(request):
        raise RuntimeError("view failed")

    with pytest.raises(RuntimeError):
        RequestContextMiddleware(fail)(request_with(REMOTE_ADDR="192.0.2.45"))
    assert current_ip() is None


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (None, "zh-hans"), ("en", "en"), ("en-us", "en"), ("zh-hans", "zh-hans"),
        ("klingon", "zh-hans"),
    ],
)
def test_chosen_language_is_the_cookie_else_chinese(cookie, expected):
    assert chosen_language(request_with(cookie)) == expected


def test_accept_language_is_ignored():
    assert chosen_language(request_with(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")) == "zh-hans"


def test_the_language_middleware_activates_the_choice_and_varies_on_the_cookie():
    seen = []

    def view(request):
        seen.append((request.LANGUAGE_CODE, translation.get_language()))
        return HttpResponse("ok")

    try:
        response = ChosenLanguageMiddleware(view)(request_with("en"))
    finally:
        translation.activate(django_settings.LANGUAGE_CODE)
    assert seen == [("en", "en")]
    assert response["Content-Language"] == "en"
    assert response["Vary"] == "Cookie"


def test_a_view_setting_its_own_content_language_keeps_it():
    def view(request):
        response = HttpResponse("ok")
        response["Content-Language"] = "zh-hans"
        return response

    try:
        response = ChosenLanguageMiddleware(view)(request_with("en"))
    finally:
        translation.activate(django_settings.LANGUAGE_CODE)
    assert response["Content-Language"] == "zh-hans"


def missing_policy(user):
    request = request_with()
    request.user = user
    problem = PolicyNotInForce(policy_kind("tolerance"), None, dt.date(2026, 3, 5))
    return PolicyNotInForceMiddleware(lambda r: None).process_exception(request, problem)


@pytest.mark.django_db
def test_a_missing_policy_page_links_administrators_to_the_versions():
    response = missing_policy(make_user("policy_admin", Role.ADMIN))
    page = response.content.decode()
    assert response.status_code == 200
    assert "没有施行中的办法" in page
    assert "2026-03-05没有已发布的容错纠错办法在施行。" in page
    assert '<a href="/admin/tolerance/policyversion/">管理办法版本</a>' in page
    assert "请联系管理员发布。" not in page


@pytest.mark.django_db
def test_a_missing_policy_page_asks_others_to_call_an_administrator():
    for user in (make_user("policy_clerk", Role.INTAKE_CLERK), AnonymousUser()):
        page = missing_policy(user).content.decode()
        assert "请联系管理员发布。" in page
        assert "/admin/" not in page


@pytest.mark.django_db
def test_a_kind_without_an_admin_page_gives_no_link():
    request = request_with()
    request.user = make_user("policy_admin2", Role.ADMIN)
    kind = PolicyKind("nowhere", "core.Nowhere", "无名办法")  # no admin page of that name
    problem = PolicyNotInForce(kind, None, dt.date(2026, 3, 5))
    page = PolicyNotInForceMiddleware(lambda r: None).process_exception(request, problem)
    assert "2026-03-05没有已发布的无名办法在施行。" in page.content.decode()
    assert "请联系管理员发布。" in page.content.decode()


def test_other_exceptions_are_left_alone():
    request = request_with()
    assert PolicyNotInForceMiddleware(lambda r: None).process_exception(
        request, ValueError("x")
    ) is None
