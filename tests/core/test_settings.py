"""Production settings: pass Django's deploy checks, and refuse to start when misconfigured."""

from __future__ import annotations

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "cadres.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://cadres.example.org",
    "DATABASE_URL": "postgres://cadres:secret@db.example.org:5432/cadres",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "SITE_URL": "https://cadres.example.org",
}
CONFIG_PREFIXES = ("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "APP_VAR_DIR", "SITE_URL")


def clean_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES)}


def test_production_passes_deploy_checks():
    env = {
        **clean_environ(),
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_serves_static_files_through_whitenoise():
    env = {
        **clean_environ(),
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); "
        "print('whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    result = subprocess.run(  # noqa: S603 (fixed code, test interpreter)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ], result.stderr


def test_production_collectstatic_builds_the_manifest(tmp_path):
    """WhiteNoise's manifest storage fails on any missing reference (e.g. a source map)."""
    env = {
        **clean_environ(),
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "APP_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]
    assert hashed.startswith("vendor/bootstrap/bootstrap.min.") and hashed != (
        "vendor/bootstrap/bootstrap.min.css"
    )
    assert (tmp_path / "staticfiles" / f"{hashed}.br").exists()


@pytest.fixture
def production(monkeypatch):
    """Load config/settings/production.py afresh with the given environment."""

    def load(**overrides):
        for key in list(os.environ):
            if key.startswith(CONFIG_PREFIXES):
                monkeypatch.delenv(key)
        for key, value in {**PRODUCTION_ENV, **overrides}.items():
            if value is not None:
                monkeypatch.setenv(key, value)
        return runpy.run_module("config.settings.production")

    return load


def test_cache_keys_name_the_database_unless_a_prefix_is_given(production):
    other = production(DATABASE_URL="postgres://app@db.example.org:5432/cadres_staging")
    given = production(CACHE_KEY_PREFIX="site-a")
    assert other["CACHES"]["default"]["KEY_PREFIX"] == "db.example.org/cadres_staging"
    assert given["CACHES"]["default"]["KEY_PREFIX"] == "site-a"


def test_production_settings_with_full_environment(production):
    settings = production()
    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == PRODUCTION_ENV["DJANGO_SECRET_KEY"]
    assert settings["ALLOWED_HOSTS"] == ["cadres.example.org"]
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings["DATABASES"]["default"]["HOST"] == "db.example.org"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["CELERY_BROKER_URL"] == "redis://redis.example.org:6379/0"
    assert settings["CACHES"]["default"]["BACKEND"] == "core.cache.RedisCache"
    assert settings["CACHES"]["default"]["KEY_PREFIX"] == "db.example.org/cadres"
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert (settings["SESSION_COOKIE_SECURE"], settings["CSRF_COOKIE_SECURE"]) == (True, True)
    assert settings["SITE_URL"] == "https://cadres.example.org"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short-" * 4}, "50\\+ characters"),
        ({"DJANGO_SECRET_KEY": "insecure-" + "x" * 60}, "50\\+ characters"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////tmp/db.sqlite3"}, "PostgreSQL"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"CELERY_BROKER_URL": None}, "CELERY_BROKER_URL"),
        ({"SITE_URL": None}, "SITE_URL"),
        ({"SITE_URL": "http://cadres.example.org"}, "https://"),
        ({"SITE_URL": "https://"}, "https://"),
    ],
    ids=[
        "no-secret",
        "short-secret",
        "insecure-secret",
        "no-database",
        "sqlite",
        "no-hosts",
        "no-broker",
        "no-site-url",
        "http-site-url",
        "empty-site-url",
    ],
)
def test_production_settings_refuse_to_start(production, overrides, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        production(**overrides)


def test_redelivery_waits_longer_than_any_task_and_its_longest_retry():
    """A task held for its retry countdown must not be redelivered meanwhile (duplicates)."""
    from django.conf import settings

    from core.tasks import email_notifications
    from tolerance.tasks import issue_rulings

    longest_countdown = max(
        email_notifications.retry_backoff_max, issue_rulings.retry_backoff_max
    )
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout == 1800
    assert timeout > settings.CELERY_TASK_TIME_LIMIT + longest_countdown
