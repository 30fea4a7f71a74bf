"""REST API throttling: per user and per anonymous client (the trusted proxy's client IP),
429 with a Chinese message and Retry-After."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from rest_framework.test import APIClient

from core.api_throttles import AnonThrottle, UserThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_rates(monkeypatch):
    cache.clear()
    rates = {"anon": "2/min", "user": "3/min"}
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", rates)
    yield
    cache.clear()


def test_rates_come_from_the_environment_table():
    rest = django_settings.REST_FRAMEWORK
    assert rest["DEFAULT_THROTTLE_CLASSES"] == [
        "core.api_throttles.AnonThrottle",
        "core.api_throttles.UserThrottle",
    ]
    assert django_settings.API_THROTTLE_USER == "1200/hour"
    assert django_settings.API_THROTTLE_ANON == "60/hour"


def test_a_user_over_the_rate_gets_429_in_chinese(world, personas):
    api = APIClient()
    api.force_authenticate(personas.clerk_a)
    assert [api.get("/api/units/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/units/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("请求过于频繁，请 ")
    assert error["message"].endswith(" 秒后再试。")
    # another user has an allowance of their own
    other = APIClient()
    other.force_authenticate(personas.clerk_city)
    assert other.get("/api/units/").status_code == 200


def test_anonymous_clients_are_counted_by_the_real_client_ip(settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 1
    api = APIClient()

    def hit(forged, real="192.0.2.5"):
        return api.get(
            "/api/units/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, {real}"
        ).status_code

    assert [hit("1.1.1.1"), hit("2.2.2.2")] == [401, 401]
    assert hit("3.3.3.3") == 429  # a new forged entry is not a new client
    assert hit("1.1.1.1", real="192.0.2.6") == 401


def test_guessing_token_keys_is_throttled_per_client():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    codes = [api.get("/api/units/", REMOTE_ADDR="192.0.2.9").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
