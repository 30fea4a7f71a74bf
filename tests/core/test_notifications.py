"""core.notifications: one notification per distinct active recipient, mailed after commit."""

import pytest
from django.core import mail

from core.models import Notification
from core.notifications import mark_read, notify, notify_many
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    ann = make_user("ann")
    ann.email = "ann@example.org"
    ann.save()
    bob = make_user("bob")
    bob.email = "bob@example.org"
    bob.save()
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    return ann, bob, gone


def test_notify_once_per_active_recipient_and_mailed_after_commit(
    people, django_capture_on_commit_callbacks
):
    ann, bob, gone = people
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify([ann, ann, None, gone, bob], subject="案件已受理", body="请查看", url="/x/")
    assert [(row.recipient.username, row.subject, row.url) for row in rows] == [
        ("ann", "案件已受理", "/x/"),
        ("bob", "案件已受理", "/x/"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.org",
        "bob@example.org",
    ]
    assert mail.outbox[0].body.startswith("请查看")


def test_notify_many_writes_every_message_in_one_insert(
    people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    ann, bob, gone = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with django_assert_num_queries(2):  # one insert of notifications, one outbox row
            notify_many(
                [
                    ([ann, bob], "提醒一", "", ""),
                    ([bob, bob, gone], "提醒二", "正文", "/y/"),
                    ([], "无人", "", ""),
                ]
            )
    assert sorted(Notification.objects.values_list("recipient__username", "subject")) == [
        ("ann", "提醒一"),
        ("bob", "提醒一"),
        ("bob", "提醒二"),
    ]
    assert len(callbacks) == 1  # one email task for all of them


def test_nothing_to_tell_writes_nothing(people, django_assert_num_queries):
    _ann, _bob, gone = people
    with django_assert_num_queries(0):
        assert notify_many([([gone, None], "无人", "", "")]) == []


def test_mark_read_marks_only_the_users_unread(people):
    ann, bob, _gone = people
    notify_many([([ann], "一", "", ""), ([ann], "二", "", ""), ([bob], "三", "", "")])
    first = Notification.objects.filter(recipient=ann).order_by("pk").first()
    assert mark_read(ann, [first.pk]) == 1
    assert mark_read(ann) == 1
    assert mark_read(ann) == 0
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1
