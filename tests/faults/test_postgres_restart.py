"""PostgreSQL drops every connection (a restart, a failover): the app recovers by itself.

Web processes keep their connection for DB_CONN_MAX_AGE (60 s) seconds; with
CONN_HEALTH_CHECKS a dead one is found and replaced before the request uses it. The
server's restart is imitated with pg_terminate_backend on this test's database only, so
other sessions on the same server are not disturbed.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        url, headers={"Cookie": cookie} if cookie else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def terminate_other_connections() -> int:
    """Kill every other backend of this database; the number killed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def signed_in(client, personas) -> str:
    client.force_login(personas.admin)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_settings_check_persistent_connections():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60


def test_web_process_recovers_after_connections_are_killed(
    processes, tmp_path: Path, signed_in, world
):
    base = processes.web(tmp_path / "var")
    for path in ("/healthz", "/cadres/"):
        assert get(base + path, signed_in)[0] == 200
    assert terminate_other_connections() >= 1  # the web process's persistent connection

    status, body = get(base + "/cadres/", signed_in)
    assert status == 200
    assert world.cadre_a1.name in body
    assert get(base + "/healthz")[0] == 200


def test_without_health_checks_the_first_request_fails(processes, tmp_path: Path, signed_in):
    """The control: the same server without CONN_HEALTH_CHECKS answers 500 once."""
    base = processes.web(
        tmp_path / "var", settings_module="tests.faults.settings_no_health_checks"
    )
    assert get(base + "/cadres/", signed_in)[0] == 200
    assert terminate_other_connections() >= 1
    assert get(base + "/cadres/", signed_in)[0] == 500
    assert get(base + "/cadres/", signed_in)[0] == 200  # the broken connection was dropped
