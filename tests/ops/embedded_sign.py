"""Checks (核稿) and signs off (签发) every drafted ruling of the embedded database, one
thread per draft, all at once (run as a script by tests/ops/test_embedded_concurrency.py).
Prints the number of drafts signed and the errors, as JSON."""

from __future__ import annotations

import json
import threading

import django

django.setup()

from django.db import connection  # noqa: E402

from core.drafts import draft_transition  # noqa: E402
from core.models import User  # noqa: E402


def main() -> dict:
    from core.models import DocumentDraft

    clerk = User.objects.get(username="t_clerk")
    leader = User.objects.get(username="t_leader")
    drafts = list(DocumentDraft.objects.filter(state="drafted"))
    barrier = threading.Barrier(len(drafts))
    errors: list[str] = []

    def sign(draft):
        try:
            barrier.wait()
            checked = draft_transition(draft, actor=clerk, action="check")
            draft_transition(checked, actor=leader, action="sign")
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"drafts": len(drafts), "errors": errors}


if __name__ == "__main__":
    print(json.dumps(main()))
