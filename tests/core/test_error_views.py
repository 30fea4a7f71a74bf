"""Error pages in Chinese with DEBUG off, and the API's JSON shape under /api/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path

from core import error_views

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("boom")


def denied(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("denied/", denied),
    path("api/denied/", denied),
    path("", include("config.urls")),
]
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"


@pytest.fixture
def errors_urlconf(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_404_page_is_chinese_and_says_nothing_about_existence(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text
    assert "您要访问的页面不存在，或者您无权查看。" in text


def test_api_404_is_json(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "未找到。", "fields": {}}}


def test_403_page_is_chinese(client, errors_urlconf):
    response = client.get("/denied/")
    assert response.status_code == 403
    assert "您无权办理此事项。" in response.content.decode()
    api = client.get("/api/denied/")
    assert api.json()["error"]["code"] == "permission_denied"
    assert api.json()["error"]["message"] == "您没有执行该操作的权限。"


def test_csrf_failure_is_a_chinese_page_not_a_bare_403(world, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin)
    response = client.post("/notifications/read/", {})
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单已失效" in text
    assert "本次提交未作任何修改。" in text


def test_500_page_is_chinese_and_self_contained(errors_urlconf):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错" in text
    assert "系统内部出现错误，已记入日志。" in text
    api = client.get("/api/boom/")
    assert api.status_code == 500
    assert api.json() == {
        "error": {"code": "server_error", "message": "服务器出错，问题已记入日志。", "fields": {}}
    }


def test_handlers_are_wired():
    from config import urls

    assert (urls.handler403, urls.handler404, urls.handler500) == (
        "core.error_views.permission_denied",
        "core.error_views.page_not_found",
        "core.error_views.server_error",
    )
    assert error_views.API_PREFIX == "/api/"
