"""core/migrations/0013_notification_codes: notifications written as text before codes keep
their text (the legacy kind shows it), and going back restores it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from core.models import Notification
from core.notifications import LEGACY, render

BEFORE = [("core", "0012_case_exceptional_promotion_kind")]
CODES = ("core", "0013_notification_codes")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_codes_keep_their_text():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    reader = old.get_model("core", "User").objects.create(username="old_reader")
    old.get_model("core", "Notification").objects.create(
        recipient_id=reader.pk, subject="案件RC2026-00001：已受理", body="请查看", url="/x/"
    )
    executor = _migrate([CODES])
    note = Notification.objects.get()
    assert (note.code, note.params, note.url, note.target_type) == (
        LEGACY, {"subject": "案件RC2026-00001：已受理", "body": "请查看"}, "/x/", ""
    )
    with translation.override("en"):
        assert tuple(render(note.code, note.params)) == ("案件RC2026-00001：已受理", "请查看")

    executor = _migrate(BEFORE)  # and back: the text returns to its columns
    old = executor.loader.project_state(BEFORE).apps
    row = old.get_model("core", "Notification").objects.get()
    assert (row.subject, row.body) == ("案件RC2026-00001：已受理", "请查看")
    _migrate(executor.loader.graph.leaf_nodes())  # every app back to its newest
