"""Race tests' one way to act at the same moment (PostgreSQL tests: each thread its own
connection, closed when it is done)."""

from __future__ import annotations

import threading

from django.db import connection
from django.utils import translation


def at_once(*calls, join_timeout: float = 120):
    """Run the calls in threads released together; (results, errors) in call order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = [None] * len(calls)

    def worker(i, call):
        try:
            with translation.override("en"):
                barrier.wait(timeout=30)
                results[i] = call()
        except Exception as exc:  # reported to the test
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
