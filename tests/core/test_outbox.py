"""core.outbox.enqueue by task name: the row names the task; an unknown name is refused."""

import pytest

from core.models import OutboxTask
from core.outbox import enqueue, registered_tasks

pytestmark = pytest.mark.django_db


def test_enqueue_by_name_writes_the_row_and_sends_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = enqueue("core.tasks.email_notifications", [])
    assert (row.task, row.args, row.kwargs) == ("core.tasks.email_notifications", [[]], {})
    assert len(callbacks) == 1


def test_an_unknown_task_name_is_refused_and_nothing_is_written():
    with pytest.raises(LookupError):
        enqueue("core.tasks.no_such_task", 1)
    assert not OutboxTask.objects.exists()


def test_every_task_a_service_names_is_registered():
    names = {
        "core.tasks.email_notifications",
        "core.tasks.issue_draft",
        "tolerance.tasks.issue_case_notice",
        "tolerance.tasks.issue_rulings",
    }
    assert names <= set(registered_tasks())
