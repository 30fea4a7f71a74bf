"""No national ID number and no person's identity in the logs.

core.logging.RedactSensitiveFilter sits on the only handler (settings.LOGGING); Celery
workers and beat log through the same configuration (config/celery_app.py).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import logging.config
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from core import outbox
from core.logging import RedactSensitiveFilter, redact
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)

from ..factories import make_id_number

ROOT = Path(__file__).resolve().parents[2]
ID = "370102198005170011"  # a plausible number: region 370102, born 1980-05-17
MASKED = "3701**********0011"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ID, MASKED),
        (f"身份证号{ID}，请核实", f"身份证号{MASKED}，请核实"),
        (f"id={ID}&x=1", f"id={MASKED}&x=1"),
        ("11010519491231002X", "1101**********002X"),
        ("11010519491231002x.", "1101**********002x."),
        (f"({ID})", f"({MASKED})"),
        (f"Key (national_id)=({ID}) exists.", f"Key (national_id)=({MASKED}) exists."),
    ],
    ids=["bare", "in-chinese", "query", "x-check", "lower-x-then-dot", "brackets", "pg-unique"],
)
def test_redact_masks_plausible_id_numbers(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Celery's run time of a task (a float with a long fraction).
        "Task core.tasks.email_notifications[ab12] succeeded in 0.004612345678901234567s: 1",
        "succeeded in 0.0046123456789017689s",
        "elapsed 370102198005170011.5 s",  # a decimal number, not an identifier
        "order 37010219801317001100",  # 20 digits: too long
        "3701021980051700111",  # 19 digits
        "370102198013170011",  # month 13: not a birth date
        "370102198005320011",  # day 32
        "370102170005170011",  # year 1700
        "a370102198005170011",  # glued to a word
        "370102198005170011b",
        "sha 9f370102198005170011",
        "012345198005170011",  # no region starts with 0
    ],
)
def test_redact_leaves_other_numbers_alone(text):
    assert redact(text) == text


def test_factory_numbers_are_all_masked():
    for year in (1950, 1966, 1980, 1999, 2004):
        number = make_id_number(dt.date(year, 12, 31))
        assert redact(f"cadre {number} saved") == f"cadre {number[:4]}{'*' * 10}{number[-4:]} saved"


def _configured_output(emit) -> str:
    """What the project's console handler writes while `emit(logger)` logs."""
    config = {
        **settings.LOGGING,
        "handlers": {
            "console": {**settings.LOGGING["handlers"]["console"], "stream": "ext://sys.stdout"}
        },
    }
    stream = io.StringIO()
    real_stdout, sys.stdout = sys.stdout, stream
    try:
        logging.config.dictConfig(config)
        emit(logging.getLogger("tests.security.probe"))
    finally:
        sys.stdout = real_stdout
        logging.config.dictConfig(settings.LOGGING)
    return stream.getvalue()


def test_configured_handler_masks_messages_arguments_and_tracebacks():
    def emit(logger):
        logger.warning("Imported cadre %s", ID)
        try:
            raise ValueError(f"duplicate key value ({ID})")
        except ValueError:
            logger.exception("Import failed")

    output = _configured_output(emit)
    assert ID not in output
    assert output.count(MASKED) == 2
    assert "Traceback (most recent call last)" in output
    assert "ValueError: duplicate key value (3701**********0011)" in output


def test_filter_masks_stack_info():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", None, None)
    record.stack_info = f"Stack (most recent call last):\n  value {ID}"
    assert RedactSensitiveFilter().filter(record) is True
    assert ID not in record.stack_info and MASKED in record.stack_info


def test_filter_keeps_celery_durations_intact():
    record = logging.LogRecord(
        "celery.app.trace",
        logging.INFO,
        __file__,
        1,
        "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
        ({"name": "core.tasks.drain_outbox", "id": "7f", "runtime": 0.004612345678901234567,
          "return_value": 0},),
        None,
    )
    RedactSensitiveFilter().filter(record)
    assert "succeeded in 0.004612345678901234" in record.getMessage()
    assert "*" not in record.getMessage()


def test_celery_logs_through_the_redacting_configuration():
    """A worker's Celery logging set-up keeps the project's handler and its filter."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.test';"
        "import django; django.setup();"
        "from config.celery_app import app;"
        "app.log.setup(loglevel='INFO');"
        "import logging;"
        f"logging.getLogger('celery.app.trace').warning('Task failed for {ID}');"
        "from celery.utils.log import get_task_logger;"
        f"get_task_logger('tolerance.tasks').warning('task logger {ID}')"
    )
    result = subprocess.run(  # noqa: S603 (fixed code, test interpreter)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert ID not in result.stderr + result.stdout
    assert f"Task failed for {MASKED}" in result.stderr
    assert f"task logger {MASKED}" in result.stderr


def test_a_whole_case_logs_no_identity(flow, world, staff, client, settings, tmp_path):  # noqa: F811
    """File, accept, investigate, decide, issue and feed back a case, and browse it: the log
    output holds no national ID number and no name of the people concerned."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }

    # The first task enqueued in a process imports the task modules, and Celery's Django
    # fixup then runs django.setup(), which configures logging again: do it before capturing.
    outbox.registered_tasks()

    def emit(logger):
        logger.info("start")
        case = flow.fed_back()
        client.force_login(staff.cadre)
        assert client.get(f"/tolerance/cases/{case.pk}/").status_code == 200
        assert client.get("/cadres/999999/").status_code == 404
        logging.getLogger("django.request").warning(
            "Not Found: /cadres/?q=%s", world.cadre_a1.national_id
        )

    output = _configured_output(emit)
    assert "start" in output
    cadres = (world.cadre_a1, world.cadre_b1, world.cadre_city)
    assert [c.national_id for c in cadres if c.national_id in output] == []
    assert [c.name for c in cadres if c.name in output] == []
    assert world.cadre_a1.national_id[:4] + "*" * 10 in output
