"""REST API tokens: hashed at rest, printed once, expiring, rotated and revoked by a
management command, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from core.enums import Role
from core.models import ApiToken, AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("issue_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def clerk(db):
    return make_user("token_clerk", Role.INTAKE_CLERK)


def answer(key: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/units/")


def test_issue_prints_a_working_key_once_stores_only_its_hash_and_audits(clerk, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    key = run("token_clerk")
    token = ApiToken.objects.get(user=clerk)
    assert len(key) == 40
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    assert key not in str(ApiToken.objects.values_list())
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert answer(key).status_code == 200
    with pytest.raises(CommandError, match="already has a live token"):
        run("token_clerk")  # the key cannot be shown again
    events = AuditEvent.objects.filter(action__startswith="api.token.")
    assert [(e.action, e.object_id, e.actor_id) for e in events] == [
        ("api.token.issue", str(clerk.pk), None)
    ]
    assert events[0].after["prefix"] == key[:8]
    assert key not in str(events[0].before) + str(events[0].after) + events[0].reason


def test_an_expired_token_is_refused(clerk):
    key = run("token_clerk")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = answer(key)
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": "令牌已过期。",
        "fields": {},
    }
    # an expired token does not block a new one
    assert answer(run("token_clerk")).status_code == 200


def test_rotate_replaces_the_key(clerk):
    old = run("token_clerk")
    new = run("token_clerk", "--rotate")
    assert new != old
    assert answer(old).status_code == 401
    assert answer(new).status_code == 200
    assert AuditEvent.objects.filter(action="api.token.rotate").count() == 1
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1


def test_revoke_stops_the_key(clerk):
    key = run("token_clerk")
    assert run("token_clerk", "--revoke") == "The token of token_clerk was revoked"
    assert answer(key).status_code == 401
    assert ApiToken.objects.get(user=clerk).revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1
    assert run("token_clerk", "--revoke") == "token_clerk has no token"


def test_no_token_for_unknown_or_inactive_users(clerk):
    with pytest.raises(CommandError, match="No user named"):
        run("nobody")
    clerk.is_active = False
    clerk.save()
    with pytest.raises(CommandError, match="not active"):
        run("token_clerk")
    assert not ApiToken.objects.exists()
