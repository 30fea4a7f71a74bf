"""A Celery worker for the fault tests (test-only; started by tests/faults/conftest.py).

    python -m tests.faults.celery_worker --queue Q --name N [--slow-once MARKER]

Two things differ from `celery -A config worker`, both for the tests only:
- `--slow-once MARKER`: the first PDF rendered (in any pool process) writes the rendering
  process's id to MARKER and then sleeps, so a test can kill the worker in the middle of a
  ruling; once MARKER exists, rendering runs at normal speed.
- the broker's visibility timeout is a few seconds instead of half an hour, so a message left
  unacknowledged by a killed worker is given to the next worker without a long wait.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

VISIBILITY_TIMEOUT = 3
SLOW_SECONDS = 120


def slow_first_render(marker: Path) -> None:
    from tolerance import rulings

    real = rulings.render_pdf

    def render_pdf(*args, **kwargs):
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(SLOW_SECONDS)  # killed here by the test
        return real(*args, **kwargs)

    rulings.render_pdf = render_pdf


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--slow-once", type=Path)
    options = parser.parse_args()
    if options.slow_once:
        slow_first_render(options.slow_once)

    from config.celery_app import app

    app.conf.broker_transport_options = {
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 1,
    }
    app.worker_main(
        [
            "worker",
            "--queues", options.queue,
            "--hostname", f"{options.name}@%h",
            "--concurrency", "1",
            "--pool", "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel", "INFO",
        ]
    )


if __name__ == "__main__":
    main()
