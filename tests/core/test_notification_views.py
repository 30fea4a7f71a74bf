"""core.notification_views: new notifications grouped by their object, the earlier ones
below, both keyset-paged; mark read one, a group or all; open one; the language choice."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Notification
from core.notification_views import (
    GROUPS_SHOWN,
    ITEMS_SHOWN,
    PAGE_SIZE,
    group_key,
    parse_group_key,
)
from core.notifications import Message, Target, notify, notify_many
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")
READ = reverse("notifications-read")


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def ann(db):
    return make_user("ann")


@pytest.fixture
def bob(db):
    return make_user("bob")


def case(n: int) -> Target:
    return Target("tolerance.case", n, f"RC2026-{n:05d}")


def tell(user, n: int, code="tolerance.case.accepted", **params) -> Notification:
    params = params or {"ref": f"RC2026-{n:05d}"}
    return notify([user], code, params=params, target=case(n), url=f"/tolerance/cases/{n}/")[0]


def unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_group_keys_round_trip_and_bad_ones_are_refused():
    assert group_key("tolerance.case", 7) == "tolerance.case:7"
    assert parse_group_key("tolerance.case:7") == ("tolerance.case", 7)
    assert parse_group_key(":") == ("", None)
    assert parse_group_key("nowhere.thing:7") is None
    assert parse_group_key("tolerance.case:x") is None


def test_new_notifications_are_grouped_by_case_newest_group_first(client, ann, bob):
    tell(ann, 1)
    tell(ann, 2)
    tell(ann, 1, "tolerance.case.fed_back")
    tell(bob, 1)  # someone else's: never shown to ann
    read = tell(ann, 3)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client.force_login(ann)
    response = client.get(LIST)
    groups = response.context["groups"]
    assert [(g.key, g.heading, g.count, g.url) for g in groups] == [
        ("tolerance.case:1", "案件RC2026-00001", 2, "/tolerance/cases/1/"),
        ("tolerance.case:2", "案件RC2026-00002", 1, "/tolerance/cases/2/"),
    ]
    assert [item.subject for item in groups[0].items] == [
        "案件RC2026-00001：认定结论已向您反馈",
        "案件RC2026-00001已受理",
    ]
    assert [item.subject for item in response.context["earlier"]] == ["案件RC2026-00003已受理"]
    assert response.context["unread"] == 3
    page = response.content.decode()
    assert "2条新消息" in page and "本组标为已读" in page


def test_an_english_reader_reads_english(client, ann):
    tell(ann, 1, "tolerance.case.not_accepted", ref="RC2026-00001", reason="超出受理范围")
    client.force_login(ann)
    client.cookies["django_language"] = "en"
    response = client.get(LIST)
    (group,) = response.context["groups"]
    assert group.heading == "Case RC2026-00001"
    assert (group.items[0].subject, group.items[0].body) == (
        "Case RC2026-00001 not accepted",
        "Reasons: 超出受理范围",
    )
    assert "1 new" in response.content.decode()


def test_a_group_shows_its_newest_items_and_counts_the_rest(client, ann):
    for _ in range(ITEMS_SHOWN + 2):
        tell(ann, 1)
    client.force_login(ann)
    (group,) = client.get(LIST).context["groups"]
    assert (group.count, len(group.items), group.more) == (ITEMS_SHOWN + 2, ITEMS_SHOWN, 2)
    assert [item.note.pk for item in group.items] == sorted(
        (item.note.pk for item in group.items), reverse=True
    )


def test_notifications_about_nothing_in_particular_form_one_group(client, ann):
    notify([ann], "core.draft.to_check", params={"title": "关于张三同志的认定结论"})
    client.force_login(ann)
    (group,) = client.get(LIST).context["groups"]
    assert (group.key, group.heading, group.count, group.url) == (":", "其他消息", 1, "")


def test_mark_one_a_group_or_all_read(client, ann, bob):
    one = tell(ann, 1)
    tell(ann, 1)
    tell(ann, 2)
    tell(ann, 3)
    theirs = tell(bob, 1)
    client.force_login(ann)
    assert client.get(LIST).context["unread"] == 4
    assert client.post(READ, {"id": [one.pk, theirs.pk]}).url == LIST
    assert unread(ann) == 3 and unread(bob) == 1
    client.post(READ, {"group": "tolerance.case:1"})
    assert unread(ann) == 2
    client.post(READ, {"group": "nowhere.thing:2"})  # not a group: nothing marked
    assert unread(ann) == 2
    client.post(READ)
    assert unread(ann) == 0 and unread(bob) == 1
    assert client.get(LIST).context["groups"] == []


def test_marking_read_updates_the_badge_at_once(client, ann):
    tell(ann, 1)
    tell(ann, 2)
    client.force_login(ann)
    assert '<span class="badge rounded-pill text-bg-light" data-testid="unread-count">2' in (
        client.get(reverse("home")).content.decode()
    )
    client.post(READ, {"group": "tolerance.case:1"})
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1' in page


def test_open_marks_read_and_follows_only_local_links(client, ann, bob):
    note = tell(ann, 1)
    client.force_login(ann)
    response = client.post(reverse("notification-open", args=[note.pk]))
    assert response.url == "/tolerance/cases/1/"
    assert unread(ann) == 0
    away = notify([ann], "core.draft.to_check", params={"title": "外链"},
                  url="https://evil.example/")[0]
    assert client.post(reverse("notification-open", args=[away.pk])).url == LIST
    theirs = tell(bob, 1)
    assert client.post(reverse("notification-open", args=[theirs.pk])).status_code == 404
    assert unread(bob) == 1


def test_earlier_notifications_are_keyset_paged(client, ann):
    notes = [tell(ann, n) for n in range(1, PAGE_SIZE + 6)]
    Notification.objects.update(read_at=notes[0].created_at)
    client.force_login(ann)
    first = client.get(LIST)
    assert len(first.context["earlier"]) == PAGE_SIZE
    cursor = first.context["next_before"]
    assert cursor == first.context["earlier"][-1].note.pk
    older = client.get(LIST, {"before": cursor})
    assert [item.note.params["ref"] for item in older.context["earlier"]] == [
        f"RC2026-{n:05d}" for n in range(5, 0, -1)
    ]
    assert older.context["next_before"] is None and older.context["groups"] == []


def test_groups_are_keyset_paged(client, ann):
    for n in range(1, GROUPS_SHOWN + 4):
        tell(ann, n)
    client.force_login(ann)
    first = client.get(LIST)
    assert len(first.context["groups"]) == GROUPS_SHOWN
    assert first.context["unread"] == GROUPS_SHOWN + 3
    more = client.get(LIST, {"groups": first.context["next_groups"]})
    assert [g.key for g in more.context["groups"]] == [
        "tolerance.case:3", "tolerance.case:2", "tolerance.case:1"
    ]
    assert more.context["next_groups"] is None


@pytest.mark.parametrize("groups,per_group,read", [(2, 1, 3), (15, 8, 60)])
def test_the_page_keeps_its_query_count(
    client, ann, groups, per_group, read, django_assert_num_queries
):
    messages = [
        Message([ann], "tolerance.case.accepted", {"ref": f"RC2026-{n:05d}"}, case(n))
        for n in range(1, groups + 1)
        for _ in range(per_group)
    ]
    notify_many(messages)
    done = [Message([ann], "core.draft.to_check", {"title": f"文稿{i}"}) for i in range(read)]
    for note in notify_many(done):
        Notification.objects.filter(pk=note.pk).update(read_at=note.created_at)
    client.force_login(ann)
    client.get(LIST)  # warm what a session caches
    cache.clear()
    # session, user, the groups, their newest items, the earlier page, the user's roles for
    # the navigation; the badge reuses the exact count
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert response.context["unread"] == groups * per_group


def test_the_language_chosen_is_kept_on_the_user(client, ann):
    client.force_login(ann)
    response = client.post(reverse("set_language"), {"language": "en", "next": LIST})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    ann.refresh_from_db()
    assert ann.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": LIST})
    ann.refresh_from_db()
    assert ann.language == "en"
