"""Health endpoints for load balancers and orchestrators.

- ``/healthz``: liveness, cheap: the process answers (no database, no I/O). For the load
  balancer's frequent probe.
- ``/readyz``: readiness: the database answers, the broker (Redis) answers PING, the media
  storage is writable and the PDF fonts are present. 200 with every check "ok", else 503
  naming what failed. For deployment checks and monitoring, not for every-second probes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .fonts import FontsMissing, check_faces, find_faces

BROKER_TIMEOUT = 2  # seconds


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "ok (tasks run in-process)"
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT
        )
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    from kombu import Connection

    with Connection(url, connect_timeout=BROKER_TIMEOUT) as broker:
        broker.ensure_connection(max_retries=1)
    return "ok"


def check_media() -> str:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-") as probe:
        probe.write(b"ok")
        probe.flush()
    return "ok"


def check_fonts() -> str:
    check_faces(find_faces())
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "broker": check_broker,
    "media": check_media,
    "fonts": check_fonts,
}


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except FontsMissing:
            results[name] = "failed: no Chinese font for PDFs (see PDF_FONT_DIRS)"
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            results[name] = f"failed: {exc.__class__.__name__}"
    ok = all(value.startswith("ok") for value in results.values())
    return JsonResponse({"ok": ok, "checks": results}, status=200 if ok else 503)
