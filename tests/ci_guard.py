"""Under CI=true the suite must run on PostgreSQL with a live Redis, or not at all.

Registered from tests/conftest.py (pytest_plugins). Outside CI it does nothing.
"""

from __future__ import annotations

import os

import pytest


def ci_problems() -> list[str]:
    """What keeps this session from being a real CI run (empty when all is well)."""
    from django.conf import settings
    from django.db import connection

    problems = []
    if connection.vendor != "postgresql":
        problems.append(
            f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL=postgres://...)"
        )
    broker = getattr(settings, "CELERY_BROKER_URL", "") or os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith(("redis://", "rediss://")):
        problems.append("CELERY_BROKER_URL is not a redis:// URL")
    else:
        import redis

        try:
            client = redis.Redis.from_url(broker, socket_connect_timeout=3, socket_timeout=3)
            if client.ping() is not True:
                problems.append(f"Redis at {broker} did not answer PING")
        except redis.RedisError as exc:
            problems.append(f"Redis at {broker} did not answer PING: {exc}")
    return problems


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI", "").lower() != "true":
        return
    problems = ci_problems()
    if problems:
        pytest.exit("CI=true but " + "; ".join(problems), returncode=pytest.ExitCode.USAGE_ERROR)
