"""/healthz is cheap; /readyz checks the database, the broker, media storage and fonts."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_cheap(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"ok": True})


def test_readyz_all_ok_in_process(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "checks": {
            "database": "ok",
            "broker": "ok (tasks run in-process)",
            "media": "ok",
            "fonts": "ok",
        },
    }
    assert list((tmp_path / "media").iterdir()) == []  # the probe file is gone
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_when_redis_is_down(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["checks"]["broker"] == "failed: ConnectionError"
    assert body["checks"]["database"] == "ok"


@pytest.mark.redis
def test_readyz_with_a_live_redis(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["broker"]) == (200, "ok")


def test_readyz_fails_when_media_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = blocker / "media"  # under a file: cannot be created
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == "failed: NotADirectoryError"


def test_readyz_fails_without_fonts(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path
    settings.PDF_FONT_DIRS = [str(tmp_path / "no-fonts")]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["fonts"] == (
        "failed: no Chinese font for PDFs (see PDF_FONT_DIRS)"
    )
