"""The embedded default (SQLite, tasks in-process) under concurrent use: 20 committee
decisions recorded at the same moment against a live server → no error, 20 rulings numbered
1..20, no decided case left without its ruling.

The server is `manage.py runserver` (threaded, as `scripts/dev.sh` runs it) on a fresh
SQLite file, with the development settings: what a new user gets.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = int(os.environ.get("EMBEDDED_CASES", "20"))
errors: list[str] = []
CONFIG_PREFIXES = ("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "APP_VAR_DIR", "SITE_URL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def embedded(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        APP_VAR_DIR=str(tmp_path),
        PDF_FONT_DIRS=str(ROOT / "var" / "fonts"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )

    def manage(*args, timeout=600):
        result = subprocess.run(  # noqa: S603 - fixed commands, test interpreter
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
            text=True, timeout=timeout, check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--noinput", "-v0")
    setup = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tests" / "ops" / "embedded_setup.py"), str(CASES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the development server did not start")
        yield data, port, manage, tmp_path / "server.log", env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _decide(port: int, session: str, case: dict, barrier: threading.Barrier) -> int:
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    entry = case["entry"]
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "target": entry,
            f"decide-{entry}-outcome": "exempt",
            f"decide-{entry}-reason": "符合容错情形",
            f"decide-{entry}-meeting": case["meeting"],
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    barrier.wait()
    connection.request(
        "POST",
        f"/tolerance/cases/{case['case']}/act/decide/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
        },
    )
    response = connection.getresponse()
    status, body = response.status, response.read().decode("utf-8", "replace")
    connection.close()
    if status != 302:
        errors.append(re.findall(r'(?:invalid-feedback|errorlist|alert)[^>]*>([^<]*)', body))
    return status


STAFF_PAGES = (
    "/", "/tolerance/", "/cadres/", "/register/", "/promotions/proposals/", "/notifications/",
)


def _get(port: int, session: str, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_staff_pages_answer_on_the_embedded_default(embedded):
    """The lists run SQL of their own (access paths, unions, keyset pages): each must answer
    on SQLite too, which the suite's PostgreSQL run does not prove. Twice: the second read
    takes the remembered reach from the cache, as the pages do in daily use."""
    data, port, _manage, log, _env = embedded
    for _ in range(2):
        assert {path: _get(port, data["session"], path) for path in STAFF_PAGES} == {
            path: 200 for path in STAFF_PAGES
        }
    assert [line for line in log.read_text().splitlines() if "Error" in line] == []


def test_twenty_concurrent_decisions_on_the_embedded_default(embedded):
    data, port, manage, log, env = embedded
    barrier = threading.Barrier(CASES)
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda c=case: statuses.append(_decide(port, data["session"], c, barrier))
        )
        for case in data["cases"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    problems = [line for line in log.read_text().splitlines() if "Error" in line]
    assert sorted(statuses) == [302] * CASES, (errors[:1], problems[:5])  # 0 errors
    assert problems == []
    # Each decision drafts its ruling; the clerk checks and the leader signs all 20 at once
    # (threads, one connection each), and the issuing task runs in-process after each commit.
    signed = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tests" / "ops" / "embedded_sign.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert signed.returncode == 0, signed.stderr[-3000:]
    assert json.loads(signed.stdout.strip().splitlines()[-1]) == {"drafts": CASES, "errors": []}
    report = manage(
        "shell",
        "-c",
        "import json; from core.models import IssuedDocument, OutboxTask; "
        "from tolerance.models import Case; "
        "rulings = IssuedDocument.objects.filter(kind='tolerance_ruling'); "
        "print(json.dumps({'numbers': sorted(rulings.values_list('seq', flat=True)), "
        "'cadres': sorted(set(rulings.values_list('cadre_id', flat=True))), "
        "'states': sorted(set(Case.objects.values_list('state', flat=True))), "
        "'unsent': OutboxTask.objects.filter(sent_at__isnull=True).count()}))",
    )
    result = json.loads(report.strip().splitlines()[-1])
    assert result["numbers"] == list(range(1, CASES + 1))
    assert len(result["cadres"]) == CASES
    assert result["unsent"] == 0
