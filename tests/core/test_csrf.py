"""The forms' CSRF token (core.csrf): Django's format and meaning, checked by Django's own
CsrfViewMiddleware; each character uniform over the same 62 characters."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    _check_token_format,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from core import csrf

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def test_a_token_unmasks_to_the_secret_in_djangos_format():
    secret = csrf.new_secret()
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    tokens = {csrf.mask_secret(secret) for _ in range(50)}
    assert len(tokens) == 50  # a fresh mask each time
    for token in tokens:
        _check_token_format(token)  # raises when not 64 letters and digits
        assert _unmask_cipher_token(token) == secret


def test_get_token_keeps_the_cookies_secret_and_marks_it_for_renewal():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    token = csrf.get_token(request)
    assert _unmask_cipher_token(token) == "a" * 32
    assert request.META["CSRF_COOKIE"] == "a" * 32
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_get_token_without_a_cookie_makes_a_new_secret():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_bytes_from_248_up_are_dropped(monkeypatch):
    """248..255 would make the first eight characters likelier: they are drawn again."""
    draws = iter([bytes([248, 255, 0, 61, 62, 247]), bytes([1, 2, 3, 4])])
    monkeypatch.setattr(csrf, "token_bytes", lambda n: next(draws))
    assert csrf.random_indices(5) == [0, 61, 0, 61, 1]


def test_every_character_is_drawn_about_equally_often():
    counts = Counter(i for _ in range(2000) for i in csrf.random_indices(31))
    assert set(counts) == set(range(62))
    expected = 2000 * 31 / 62  # 1000 each
    assert all(abs(n - expected) < 200 for n in counts.values())  # ~6 standard deviations


@pytest.mark.django_db
def test_a_page_token_passes_djangos_check_and_a_wrong_one_fails(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.outsider)
    page = client.get(reverse("notifications"))
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1  # one token per page, in each of base.html's forms
    token = tokens.pop()
    assert _unmask_cipher_token(token) == page.cookies["csrftoken"].value

    passed = client.post(reverse("notifications-read"), {"csrfmiddlewaretoken": token})
    assert passed.status_code == 302

    wrong = token[:-1] + ("a" if token[-1] != "a" else "b")
    refused = client.post(reverse("notifications-read"), {"csrfmiddlewaretoken": wrong})
    assert refused.status_code == 403
    assert "表单已失效" in refused.content.decode()


@pytest.mark.django_db
def test_the_template_token_is_core_csrfs(personas, monkeypatch):
    made = []
    real = csrf.mask_secret
    monkeypatch.setattr(csrf, "mask_secret", lambda secret: made.append(real(secret)) or made[-1])
    client = Client()
    client.force_login(personas.outsider)
    page = client.get(reverse("notifications"))
    assert set(TOKEN.findall(page.content.decode())) == set(made) and len(made) == 1
