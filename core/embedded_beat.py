"""The embedded default's beat: recovery tasks run in-process, after requests.

With a broker, Celery beat runs the outbox drain every minute and the recovery of stalled
rulings every 15 minutes. The embedded default (tasks in-process, `scripts/dev.sh`) runs no
beat, so a task that failed after its commit would wait for ever. This middleware stands in
for beat there: after a response, at most once every EMBEDDED_BEAT_SECONDS per process, it
runs EMBEDDED_BEAT_TASKS (by Celery task name) in a background thread, one run at a time.
With a broker configured (real beat's job) it is not installed at all: Django leaves it
out of the middleware chain at start-up (MiddlewareNotUsed), so production requests do
not pass through it.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

from celery import current_app
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state = {"last": float("-inf")}


def run_recovery() -> None:
    """Run each recovery task once, in this thread; a failing one does not stop the rest."""
    for name in settings.EMBEDDED_BEAT_TASKS:
        try:
            importlib.import_module(name.rpartition(".")[0])  # registers the task
            current_app.tasks[name].apply(throw=True)
        except Exception:
            logger.exception("Embedded beat: %s failed", name)


def _run_and_release() -> None:
    try:
        close_old_connections()
        run_recovery()
    finally:
        connections.close_all()
        _lock.release()


def due(now: float) -> bool:
    """Claim this process's next run: True for exactly one caller per interval."""
    if not _lock.acquire(blocking=False):
        return False  # a run is under way
    if now - _state["last"] < settings.EMBEDDED_BEAT_SECONDS:
        _lock.release()
        return False
    _state["last"] = now
    return True


class EmbeddedBeatMiddleware:
    def __init__(self, get_response):
        if not current_app.conf.task_always_eager:
            raise MiddlewareNotUsed("a broker is configured: Celery beat runs the recovery")
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if current_app.conf.task_always_eager and settings.EMBEDDED_BEAT_SECONDS > 0:
            if due(time.monotonic()):
                threading.Thread(
                    target=_run_and_release, name="embedded-beat", daemon=True
                ).start()
        return response
