"""Real processes for the fault tests: Celery workers and a gunicorn web server, each
started in a session of its own and killed by its process group id at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from tests.tolerance.conftest import Flow, staff  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
# The fault tests use a Redis database of their own on the configured server.
FAULTS_REDIS_DB = 13


def database_url() -> str:
    """The URL of the database this test runs on (pytest's test_… database)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def redis_url() -> str:
    """The configured Redis server, in a database other than the configured one (where
    workers started by other tests may consume, and restore unacknowledged messages)."""
    configured = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    parts = urlsplit(configured)
    db = FAULTS_REDIS_DB if parts.path.strip("/") != str(FAULTS_REDIS_DB) else FAULTS_REDIS_DB + 1
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a child process: this test's database, media under var_dir."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "APP_VAR_DIR"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url(),
        APP_VAR_DIR=str(var_dir),
        PDF_FONT_DIRS=",".join(settings.PDF_FONT_DIRS),
        PYTHONPATH=str(ROOT),
        DOCUMENT_SIGNOFF_KINDS=",".join(settings.DOCUMENT_SIGNOFF_KINDS),
    )
    env.update(extra)
    return env


@dataclass
class Process:
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group (the worker and its pool processes)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)


@dataclass
class Processes:
    tmp: Path
    started: list[Process] = field(default_factory=list)

    def start(self, args: list[str], env: dict[str, str], name: str) -> Process:
        log = self.tmp / f"{name}-{len(self.started)}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(  # noqa: S603 (fixed test commands)
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(popen, log)
        self.started.append(process)
        return process

    def worker(self, var_dir: Path, queue: str, *, slow_once: Path | None = None) -> Process:
        args = [sys.executable, "-m", "tests.faults.celery_worker", "--queue", queue,
                "--name", f"w{len(self.started)}-{queue}"]
        if slow_once is not None:
            args += ["--slow-once", str(slow_once)]
        env = app_env(var_dir, CELERY_BROKER_URL=redis_url(), CELERY_TASK_ALWAYS_EAGER="true")
        return self.start(args, env, "worker")

    def web(self, var_dir: Path, *, settings_module: str = "config.settings.test") -> str:
        """gunicorn on a free port; returns its base URL once it answers."""
        port = free_port()
        env = app_env(var_dir, DJANGO_SETTINGS_MODULE=settings_module, DB_CONN_MAX_AGE="60")
        process = self.start(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "1", "--timeout", "60"],
            env,
            "gunicorn",
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise AssertionError("gunicorn exited:\n" + process.output())
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310
                    return base
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer:\n" + process.output())

    def stop_all(self) -> None:
        for process in self.started:
            try:
                process.kill()
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


CLOSED = "redis://127.0.0.1:6390/0"  # nothing listens here: the broker is "down"


@contextlib.contextmanager
def broker(url: str | None):
    """Point this process's Celery app at `url` (None: eager, in-process) for a while."""
    from config.celery_app import app

    # broker_write_url: the CELERY_BROKER_URL environment variable outranks broker_url.
    saved = (app.conf.get("broker_write_url"), app.conf.task_always_eager)

    def reset_pools():
        kombu.pools.reset()  # close and forget the connections to the previous broker
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf["broker_write_url"] = url or saved[0]
    app.conf.task_always_eager = url is None
    try:
        yield app
    finally:
        reset_pools()
        app.conf["broker_write_url"], app.conf.task_always_eager = saved


@pytest.fixture
def default_policies(db) -> None:
    """Transactional tests start from emptied tables: seed the default policy again."""
    from tests.policy_support import reseed_shipped_measures

    reseed_shipped_measures()


@pytest.fixture
def flow(default_policies, world, staff, django_capture_on_commit_callbacks) -> Flow:  # noqa: F811
    return Flow(world, staff, django_capture_on_commit_callbacks)


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def queue_name() -> str:
    return f"faults-{uuid.uuid4().hex[:12]}"


def wait_for(check, *, timeout: float, what: str, log: Process | None = None, every=0.2):
    """Poll `check` until it returns something true; fail after `timeout` seconds, with the
    end of the process's output when one is given."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    tail = f"\n--- {log.log.name} ---\n{log.output()[-4000:]}" if log is not None else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{tail}")
