"""The client IP behind the trusted proxy: the lockout, the audit log and the rate limits
key on the address the proxy saw, never on what a client wrote into X-Forwarded-For."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from core.client_ip import client_ip
from core.middleware import RequestContextMiddleware, current_ip
from tests.factories import make_user

PROXY = "10.0.0.2"
LOGIN = reverse("login")
PASSWORD = "pw-Secret-123"


def _request(remote=PROXY, **meta):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_without_a_proxy_the_socket_address_counts(settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 0
    assert client_ip(_request("192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "192.0.2.7"


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("192.0.2.7", 1, "192.0.2.7"),
        ("6.6.6.6, 192.0.2.7", 1, "192.0.2.7"),  # a forged first entry is ignored
        ("6.6.6.6,192.0.2.7 , 10.0.0.9", 2, "192.0.2.7"),  # two proxies: second from right
        ("192.0.2.7", 2, PROXY),  # fewer entries than proxies: misconfigured, the socket
        ("", 1, PROXY),
        ("not-an-ip", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_trusted_proxies_count_from_the_right(settings, forwarded, proxies, expected):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", proxies
    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_a_configured_header_wins(settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_REAL_IP", 1
    request = _request(HTTP_X_REAL_IP="192.0.2.8", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert client_ip(request) == "192.0.2.8"
    assert client_ip(_request(HTTP_X_REAL_IP="1.2.3.4, 5.6.7.8")) == PROXY


def test_axes_uses_the_same_function():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "core.client_ip.client_ip"


def _login(client, password, real_ip, forged=""):
    forwarded = f"{forged}, {real_ip}" if forged else real_ip
    return client.post(
        LOGIN,
        {"username": "alice", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_lockout_keys_on_the_real_client_behind_one_proxy(client, settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 1
    make_user("alice")
    attacker = "203.0.113.66"
    for number in range(django_settings.AXES_FAILURE_LIMIT):
        # A new forged first entry each time does not make a new client.
        response = _login(client, "wrong", attacker, forged=f"198.51.100.{number}")
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [attacker]
    assert _login(client, PASSWORD, attacker, forged="192.0.2.200").status_code == 429
    # The same user from another client behind the same proxy is not locked out.
    response = _login(client, PASSWORD, "192.0.2.10")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_audit_rows_carry_the_real_client(settings):
    """Audit rows take their IP from current_ip(), which the middleware sets."""
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 1
    seen = []
    middleware = RequestContextMiddleware(lambda request: seen.append(current_ip()))
    middleware(_request(HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10"))
    assert seen == ["192.0.2.10"]
    assert current_ip() is None
