"""Logging in: lockout after repeated failures (django-axes), a new session key at login,
a dead session after logout, and secure cookie flags in production."""

from __future__ import annotations

import os
import runpy
import secrets

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ..factories import make_user

LOGIN = reverse("login")
LOGOUT = reverse("logout")
HOME = reverse("home")
PASSWORD = "pw-Secret-123"


@pytest.fixture
def alice(db):
    return make_user("alice")


def attempt(client, username: str, password: str, ip: str = "10.1.1.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_failure_limit_is_configured():
    assert django_settings.AXES_ENABLED is True
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_lockout_after_the_configured_number_of_failures(client, alice):
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = attempt(client, "alice", "wrong")
        assert response.status_code == 200  # the form again, with an error
        assert "_auth_user_id" not in client.session
    response = attempt(client, "alice", "wrong")  # the limit-th failure locks
    assert response.status_code == 429
    # Now even the right password is refused, and no session is opened.
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    with translation.override("zh-hans"):
        assert gettext("Account locked") in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Attempts while locked out count too (the right password was not checked).
    assert AccessAttempt.objects.get(username="alice").failures_since_start == limit + 1


def test_lockout_is_per_username_and_address(client, alice):
    make_user("bob")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 429
    # bob from the same address, and alice from another one, are not locked out.
    assert attempt(client, "bob", PASSWORD).status_code == 302
    client.post(LOGOUT)
    assert attempt(client, "alice", PASSWORD, ip="10.2.2.2").status_code == 302


def test_lockout_ends_after_the_cool_off(client, alice, settings):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")  # long ago
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == HOME


def test_success_resets_the_failure_count(client, alice):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.post(LOGOUT)
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_session_key_rotates_at_login(client, alice):
    session = client.session
    session["probe"] = "anonymous"
    session.save()
    before = session.session_key
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before
    assert attempt(client, "alice", PASSWORD).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert SessionStore(session_key=before).exists(before) is False
    assert SessionStore(session_key=after).load()["_auth_user_id"] == str(alice.pk)


def test_session_is_dead_after_logout(client, alice):
    attempt(client, "alice", PASSWORD)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get(HOME).status_code == 200
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert SessionStore(session_key=key).exists(key) is False
    # Replaying the old cookie does not log anyone in.
    client.cookies[django_settings.SESSION_COOKIE_NAME] = key
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_by_get_is_refused(client, alice):
    attempt(client, "alice", PASSWORD)
    assert client.get(LOGOUT).status_code == 405
    assert client.get(HOME).status_code == 200


# --- production cookie flags -------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "cadres.example.org",
    "DATABASE_URL": "postgres://cadres:secret@db.example.org:5432/cadres",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "SITE_URL": "https://cadres.example.org",
}
COOKIE_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)


@pytest.fixture
def production(monkeypatch) -> dict:
    for key in list(os.environ):
        if key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_")):
            monkeypatch.delenv(key)
    for key, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(key, value)
    values = runpy.run_module("config.settings.production")
    values.setdefault("CSRF_COOKIE_SAMESITE", django_settings.CSRF_COOKIE_SAMESITE)
    return values


def test_production_cookie_flags(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31536000


def test_production_login_sets_secure_cookies(client, alice, production):
    """The cookies a browser receives at login, with the production cookie settings."""
    with override_settings(**{name: production[name] for name in COOKIE_SETTINGS}):
        page = client.get(LOGIN, secure=True)
        csrf = page.cookies[django_settings.CSRF_COOKIE_NAME]
        response = client.post(
            LOGIN,
            {"username": "alice", "password": PASSWORD},
            secure=True,
            REMOTE_ADDR="10.1.1.1",
        )
        insecure = client.get(LOGIN)
    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # Plain HTTP is sent to HTTPS before anything else happens.
    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")
