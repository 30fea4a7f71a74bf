"""REST API tokens: issued, rotated and revoked by a management command, audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.enums import Role
from core.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("issue_api_token", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def clerk(db):
    return make_user("token_clerk", Role.INTAKE_CLERK)


def answers(key: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/units/").status_code


def test_issue_prints_a_working_key_once_and_audits(clerk):
    key = run("token_clerk")
    assert key == Token.objects.get(user=clerk).key
    assert len(key) == 40
    assert answers(key) == 200
    assert run("token_clerk") == key  # asking again gives the same key, no new audit row
    events = AuditEvent.objects.filter(action__startswith="api.token.")
    assert [(e.action, e.object_id, e.actor_id) for e in events] == [
        ("api.token.issue", str(clerk.pk), None)
    ]
    assert key not in str(events[0].before) + str(events[0].after) + events[0].reason


def test_rotate_replaces_the_key(clerk):
    old = run("token_clerk")
    new = run("token_clerk", "--rotate")
    assert new != old
    assert answers(old) == 401
    assert answers(new) == 200
    assert AuditEvent.objects.filter(action="api.token.rotate").count() == 1


def test_revoke_removes_the_key(clerk):
    key = run("token_clerk")
    assert run("token_clerk", "--revoke") == "The token of token_clerk was revoked"
    assert answers(key) == 401
    assert not Token.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1
    assert run("token_clerk", "--revoke") == "token_clerk has no token"


def test_no_token_for_unknown_or_inactive_users(clerk):
    with pytest.raises(CommandError, match="No user named"):
        run("nobody")
    clerk.is_active = False
    clerk.save()
    with pytest.raises(CommandError, match="not active"):
        run("token_clerk")
    assert not Token.objects.exists()
