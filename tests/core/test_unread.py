"""The unread badge's count (core.unread): cached per user, read in the same cache round trip
as the navigation's remembered facts, exact after the notification list counted it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Notification
from core.notifications import notify as send
from core.unread import badge_key, forget_unread, remember_unread, unread_count
from tests.factories import fresh_user
from workbench.nav import remember_user

pytestmark = pytest.mark.django_db


def notify(user, n: int = 1) -> None:
    for i in range(n):
        send([user], "core.draft.to_check", params={"title": f"稿{i}"})


def no_cache_reads(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the cache was asked again")

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "get_many", refuse)


def test_counted_once_then_cached(cached, personas, django_assert_num_queries):
    user = personas.clerk_a
    notify(user, 2)
    first, second = fresh_user(user), fresh_user(user)
    with django_assert_num_queries(1):
        assert unread_count(first) == 2
    with django_assert_num_queries(0):
        assert unread_count(second) == 2


def test_read_with_the_remembered_facts(cached, personas, monkeypatch, django_assert_num_queries):
    user = personas.clerk_a
    notify(user, 3)
    remember_user(fresh_user(user))
    unread_count(fresh_user(user))
    again = remember_user(fresh_user(user))  # one get_many: facts and badge
    no_cache_reads(monkeypatch)
    with django_assert_num_queries(0):
        assert unread_count(again) == 3


def test_not_cached_yet_is_counted(cached, personas, monkeypatch, django_assert_num_queries):
    user = personas.clerk_a
    notify(user)
    remember_user(fresh_user(user))
    again = remember_user(fresh_user(user))
    no_cache_reads(monkeypatch)
    with django_assert_num_queries(1):
        assert unread_count(again) == 1


def test_forgotten_and_remembered_on_the_user_too(cached, personas):
    user = fresh_user(personas.clerk_a)
    notify(user)
    assert unread_count(user) == 1
    Notification.objects.filter(recipient=user).update(read_at="2025-01-01T00:00:00Z")
    forget_unread(user)
    assert cache.get(badge_key(user)) is None
    assert unread_count(user) == 0
    remember_unread(user, 5)
    assert unread_count(user) == 5
    assert cache.get(badge_key(user)) == 5


def test_the_list_shows_its_exact_count_in_the_badge(cached, client, personas):
    user = personas.clerk_a
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200  # badge cached: 0
    notify(user, 2)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count"' not in home  # still the cached 0 (30 s at most)
    page = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-count">2<' in page


def test_anonymous_has_none():
    from django.contrib.auth.models import AnonymousUser

    assert unread_count(AnonymousUser()) == 0
