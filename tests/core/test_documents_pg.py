"""Document numbering under real concurrency: many workers, one PostgreSQL.

Each worker thread has its own database connection (closed at the end), so the row lock
on the sequence and the unique constraints are exercised exactly as between Celery workers.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import DatabaseError, connection

from core import documents
from core.documents import DocumentKind, document_issue
from core.models import AuditEvent, DocumentSequence, IssuedDocument

DAY = dt.date(2026, 3, 5)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


class Renderer:
    def __init__(self, *, delay: float = 0.0, fail_for: str | None = None):
        self.calls: list[str] = []
        self.delay = delay
        self.fail_for = fail_for
        self._lock = threading.Lock()

    def render_for(self, key: str):
        def render(number: str, issued_on: dt.date) -> tuple[str, str, bytes]:
            with self._lock:
                self.calls.append(number)
            time.sleep(self.delay)
            if key == self.fail_for:
                raise RuntimeError("renderer broke")
            return "notice.pdf", "application/pdf", f"%PDF-1.7 {number} {key}".encode()

        return render


def run_at_once(count: int, work) -> tuple[list, list[BaseException]]:
    """Run work(i) in `count` threads released together; each closes its connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def issue(world, key: str, renderer: Renderer):
    return document_issue(
        key=key,
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        authority=world.county_a_org,
        series="受",
        title="受理通知书",
        render=renderer.render_for(key),
        issued_on=DAY,
    )


def test_document_issue_twenty_workers_get_numbers_one_to_twenty(world, media):
    assert connection.vendor == "postgresql"
    renderer = Renderer(delay=0.01)
    results, errors = run_at_once(20, lambda i: issue(world, f"case={i}", renderer))
    assert errors == []
    assert all(created for _, created in results)
    docs = list(IssuedDocument.objects.order_by("seq"))
    assert [d.seq for d in docs] == list(range(1, 21))
    assert [d.number for d in docs] == [f"甲组受〔2026〕{n}号" for n in range(1, 21)]
    assert len({d.key for d in docs}) == 20
    assert sorted(renderer.calls) == sorted(d.number for d in docs)  # one render each
    for doc in docs:  # each file carries the number it was filed under
        assert (media / doc.file.name).read_bytes() == f"%PDF-1.7 {doc.number} {doc.key}".encode()
    assert DocumentSequence.objects.get().last_number == 20
    assert AuditEvent.objects.filter(action="document.issue").count() == 20


def test_document_issue_same_key_from_two_workers_gives_one_document(world, monkeypatch):
    seen: dict[str, list[bool]] = {}
    real_existing = documents._existing

    def spy(key, **kwargs):
        found = real_existing(key, **kwargs)
        seen.setdefault(threading.current_thread().name, []).append(found is not None)
        return found

    monkeypatch.setattr(documents, "_existing", spy)
    renderer = Renderer(delay=0.5)  # the loser arrives while the winner holds the lock
    results, errors = run_at_once(2, lambda i: issue(world, "tolerance.accept:case=5", renderer))
    assert errors == []
    assert IssuedDocument.objects.count() == 1
    doc = IssuedDocument.objects.get()
    assert [r[0].pk for r in results] == [doc.pk, doc.pk]
    assert sorted(created for _, created in results) == [False, True]
    assert renderer.calls == ["甲组受〔2026〕1号"]
    # Both passed the unlocked check; the re-check under the lock stopped the second one.
    assert sorted(seen.values()) == [[False, False], [False, True]]
    assert DocumentSequence.objects.get().last_number == 1


def test_document_issue_concurrent_failure_leaves_no_gap(world):
    renderer = Renderer(delay=0.01, fail_for="case=3")
    results, errors = run_at_once(10, lambda i: issue(world, f"case={i}", renderer))
    assert [str(e) for e in errors] == ["renderer broke"]
    assert results[3] is None
    assert sorted(IssuedDocument.objects.values_list("seq", flat=True)) == list(range(1, 10))
    assert DocumentSequence.objects.get().last_number == 9
    assert len(renderer.calls) == 10


def test_issued_document_database_refuses_raw_update_and_delete(world):
    doc, _ = issue(world, "k", Renderer())
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE core_issueddocument SET sha256 = %s WHERE id = %s", ["0", doc.pk])
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_issueddocument WHERE id = %s", [doc.pk])
    doc.refresh_from_db()
    assert doc.number == "甲组受〔2026〕1号"
