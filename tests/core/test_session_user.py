"""The request's user (core.session_user): Django's checks of the session, the row read by a
prepared statement on every request (nothing kept between requests)."""

from __future__ import annotations

import pytest
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from core.session_user import load_user, session_user
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HOME = "/"


def fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_the_row_is_the_orms(personas, django_assert_num_queries):
    for user in (personas.admin, personas.clerk_a, personas.cadre_a1, personas.outsider):
        with django_assert_num_queries(1):
            loaded = load_user(user.pk)
        expected = User.objects.get(pk=user.pk)
        assert type(loaded) is User and fields(loaded) == fields(expected)
        assert loaded._state.adding is False and loaded._state.db == "default"
    assert load_user(10**9) is None


def test_a_page_reads_the_user_once(client, personas):
    client.force_login(personas.outsider)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == personas.outsider.pk
    assert len([q for q in queries if 'FROM "core_user"' in q["sql"]]) == 1


def test_same_answer_as_django(client, personas, rf):
    client.force_login(personas.clerk_a)
    request = rf.get("/")
    request.session = client.session
    assert fields(session_user(request)) == fields(get_user(request))


def logged_out(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and reverse("login") in response["Location"]


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, personas):
    user = personas.clerk_a
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)  # no signal: nothing cached
    assert logged_out(client)


def test_a_deleted_user_is_logged_out(client, make_plain_user):
    user = make_plain_user()
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    User.objects.filter(pk=user.pk).delete()
    assert logged_out(client)


def test_a_changed_password_ends_other_sessions(client, personas):
    user = personas.clerk_a
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    User.objects.filter(pk=user.pk).update(password="md5$other$0123")
    assert logged_out(client)
    assert SESSION_KEY not in client.session  # flushed


def test_a_session_without_its_hash_is_flushed(client, personas):
    client.force_login(personas.clerk_a)
    session = client.session
    del session[HASH_SESSION_KEY]
    session.save()
    assert logged_out(client)
    assert SESSION_KEY not in client.session


def test_a_session_of_a_rotated_secret_key_is_kept_and_renewed(client, personas, settings):
    user = personas.clerk_a
    old_key = settings.SECRET_KEY
    client.force_login(user)
    old_hash = client.session[HASH_SESSION_KEY]
    settings.SECRET_KEY = "n" * 60
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.get(HOME).status_code == 200
    assert client.session[HASH_SESSION_KEY] not in ("", old_hash)
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(HOME).status_code == 200  # the renewed hash holds


def test_a_backend_no_longer_configured_logs_out(client, personas, settings):
    client.force_login(personas.clerk_a)
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend"]
    assert logged_out(client)


@pytest.fixture
def make_plain_user(db):
    return lambda: make_user("plain-user")
