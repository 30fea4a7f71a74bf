"""The in-app notifications page, its badge, and marking notifications read."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Notification
from core.notifications import notify

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")
READ = reverse("notifications-read")


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_the_workflow_notifies_and_the_page_lists_own_notifications(client, flow, staff):
    case = flow.submitted()  # the intake clerk and the leader are told
    notify([staff.cadre], subject="给别人的消息")
    client.force_login(staff.clerk)
    response = client.get(LIST)
    assert [n.subject for n in response.context["notes"]] == [f"案件{case.reference}：已提交"]
    assert response.context["notes"][0].url == reverse("tolerance:case_detail", args=[case.pk])
    assert response.context["unread"] == 1


def test_the_navigation_shows_the_unread_count(client, staff):
    notify([staff.clerk], subject="一")
    notify([staff.clerk], subject="二")
    client.force_login(staff.clerk)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">2<' in body


def test_marking_one_read_and_all_read(client, staff):
    first, second, third = (notify([staff.clerk], subject=s)[0] for s in ("一", "二", "三"))
    other = notify([staff.cadre], subject="别人的")[0]
    client.force_login(staff.clerk)
    client.get(LIST)  # the badge is cached
    response = client.post(READ, {"id": [first.pk, other.pk]})
    assert response.status_code == 302
    assert unread(staff.clerk) == 2 and unread(staff.cadre) == 1  # not someone else's
    assert 'data-testid="unread-count">2<' in client.get(LIST).content.decode()
    client.post(READ)
    assert unread(staff.clerk) == 0 and unread(staff.cadre) == 1
    assert 'data-testid="unread-count"' not in client.get(LIST).content.decode()
    assert {second.pk, third.pk} <= set(
        Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)
    )


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, flow, staff):
    case = flow.submitted()
    note = Notification.objects.get(recipient=staff.clerk)
    client.force_login(staff.clerk)
    response = client.post(reverse("notification-open", args=[note.pk]))
    assert response["Location"] == reverse("tolerance:case_detail", args=[case.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, staff):
    note = notify([staff.clerk], subject="外链", url="https://evil.example/")[0]
    client.force_login(staff.clerk)
    response = client.post(reverse("notification-open", args=[note.pk]))
    assert response["Location"] == LIST


def test_someone_elses_notification_is_404(client, staff):
    note = notify([staff.cadre], subject="别人的")[0]
    client.force_login(staff.clerk)
    assert client.post(reverse("notification-open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_the_unread_filter_and_paging(client, staff):
    notes = [notify([staff.clerk], subject=f"消息{i}")[0] for i in range(55)]
    Notification.objects.filter(pk=notes[0].pk).update(read_at=notes[0].created_at)
    client.force_login(staff.clerk)
    first = client.get(LIST)
    assert len(first.context["notes"]) == 50
    older = client.get(LIST, {"before": first.context["next_before"]})
    assert [n.subject for n in older.context["notes"]] == [f"消息{i}" for i in range(4, -1, -1)]
    only_unread = client.get(LIST, {"unread": "1", "before": first.context["next_before"]})
    assert [n.subject for n in only_unread.context["notes"]] == [
        f"消息{i}" for i in range(4, 0, -1)
    ]


def test_the_page_needs_login_and_marking_needs_post(client, staff):
    assert client.get(LIST).status_code == 302
    client.force_login(staff.clerk)
    assert client.get(READ).status_code == 405
