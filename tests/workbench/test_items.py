"""My work (workbench.items): each work item counted with its list's own filter, overdue
work first, by role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.enums import Role
from register.models import ExportJob, ExportState
from tests.factories import make_user
from workbench.items import SPECS, WorkItem, my_work, ready_exports, spec_url, specs_for

pytestmark = pytest.mark.django_db


def work(response) -> dict[str, int]:
    return {item.key: item.count for item in response.context["work"]}


def build(flow, size: int) -> None:
    """`size` cases in each of: submitted, accepted, investigating (assigned to
    staff.investigator), deliberating."""
    for _ in range(size):
        flow.submitted()
        flow.accepted()
        flow.investigating()
        flow.deliberating()


def test_clerk_home_counts_equal_the_lists_behind_them(client, flow, staff):
    build(flow, 2)
    client.force_login(staff.clerk)
    response = client.get(reverse("home"))
    assert work(response) == {
        "accept": 2, "start": 2, "feed_back": 0, "publish": 0, "appeals": 0, "remedies": 0,
        "proposals_inspect": 0, "drafts_check": 0, "exports": 0,
    }
    for item in response.context["work"]:
        if item.url.startswith(reverse("tolerance:queue")):
            listed = client.get(item.url).context["count"]
            assert listed == item.count, item.key
    body = response.content.decode()
    assert f'href="{reverse("tolerance:queue")}?state=submitted" data-work="accept"' in body


def test_investigator_sees_only_the_cases_assigned_to_him(client, flow, staff):
    build(flow, 1)
    client.force_login(staff.investigator)
    assert work(client.get(reverse("home")))["investigate"] == 1
    client.force_login(staff.other_investigator)
    assert work(client.get(reverse("home")))["investigate"] == 0


def test_committee_and_leader_see_the_cases_to_decide(client, flow, staff):
    build(flow, 1)
    client.force_login(staff.members[0])
    assert work(client.get(reverse("home"))) == {
        "deliberate": 1, "appeals": 0, "proposals_decide": 0, "drafts_check": 0, "exports": 0,
    }
    client.force_login(staff.leader)
    counts = work(client.get(reverse("home")))
    assert (counts["accept"], counts["start"], counts["deliberate"]) == (1, 1, 1)


def test_other_authoritys_clerk_sees_none_of_it(client, flow, staff):
    build(flow, 1)
    client.force_login(staff.clerk_b)
    counts = work(client.get(reverse("home")))
    assert (counts["accept"], counts["start"]) == (0, 0)


def test_overdue_work_comes_first(client, flow, staff):
    import datetime as dt

    from tolerance.models import Case

    build(flow, 1)
    accepted = Case.objects.filter(state="accepted").get()
    Case.objects.filter(pk=accepted.pk).update(due_on=dt.date(2020, 1, 2))
    client.force_login(staff.clerk)
    response = client.get(reverse("home"))
    first = response.context["work"][0]
    assert (first.key, first.count, first.overdue, first.next_due) == (
        "start", 1, 1, dt.date(2020, 1, 2)
    )
    assert "逾期 1 件" in response.content.decode()


def test_work_items_sort_overdue_then_nearest_deadline_then_size():
    items = [
        WorkItem("big", "b", "t", "/", 9),
        WorkItem("due_later", "d", "t", "/", 1, next_due=dt.date(2026, 5, 1)),
        WorkItem("small", "s", "t", "/", 2),
        WorkItem("overdue", "o", "t", "/", 1, overdue=1, next_due=dt.date(2026, 4, 1)),
        WorkItem("due_soon", "d", "t", "/", 1, next_due=dt.date(2026, 4, 2)),
        WorkItem("also_big", "b", "t", "/", 9),
    ]
    assert [i.key for i in sorted(items, key=lambda i: i.sort_key)] == [
        "overdue", "due_soon", "due_later", "also_big", "big", "small",
    ]


def test_the_items_of_each_role(world, staff, people_of_petitions):
    keys = lambda user: [spec.key for spec in specs_for(user)]  # noqa: E731
    assert keys(staff.clerk) == [
        "accept", "start", "feed_back", "publish", "appeals", "remedies", "proposals_inspect",
        "drafts_check", "exports",
    ]
    assert keys(staff.investigator) == [  # investigators handle petitions too
        "investigate", "appeals", "remedies", "proposals_inspect", "petitions_received",
        "petitions_verifying", "drafts_check", "exports",
    ]
    assert keys(people_of_petitions) == [
        "petitions_received", "petitions_verifying", "exports",
    ]
    assert keys(make_user("w_admin", Role.ADMIN)) == [spec.key for spec in SPECS]
    assert keys(staff.cadre) == keys(staff.outsider) == []
    # discipline staff without an authority handle no petitions
    assert keys(make_user("w_disc", Role.DISCIPLINE_STAFF)) == ["exports"]


@pytest.fixture
def people_of_petitions(world):
    return make_user("w_disc_a", Role.DISCIPLINE_STAFF, authorities=[world.county_a_org])


def test_spec_urls_carry_the_lists_filter():
    by_key = {spec.key: spec for spec in SPECS}
    assert spec_url(by_key["investigate"]) == (
        reverse("tolerance:queue") + "?state=investigating&mine=on"
    )
    assert spec_url(by_key["exports"]) == reverse("register:list")


def test_ready_exports_are_the_users_finished_ones(staff, world):
    def job(user, state):
        return ExportJob.objects.create(requested_by=user, state=state)

    done = job(staff.clerk, ExportState.DONE)
    job(staff.clerk, ExportState.QUEUED)
    job(staff.leader, ExportState.DONE)
    assert list(ready_exports(staff.clerk)) == [done]


def test_my_work_counts_the_petitions_of_the_handling_staff(petitions_for_work, world):
    handler, received, verifying = petitions_for_work
    request = RequestFactory().get("/")
    request.user = handler
    items = {i.key: i for i in my_work(request, dt.date(2026, 4, 1))}
    assert (items["petitions_received"].count, items["petitions_verifying"].count) == (
        received, verifying,
    )
    assert items["petitions_received"].url == reverse("clarifications:list") + "?state=received"


@pytest.fixture
def petitions_for_work(world, people_of_petitions):
    """Two petitions received and one under verification, handled by county A's staff."""
    from clarifications import services
    from clarifications.enums import Channel

    handler = people_of_petitions

    def received():
        return services.petition_create(
            actor=handler, authority=world.county_a_org, received_on=dt.date(2026, 3, 2),
            channel=Channel.LETTER, cadre=world.cadre_a1, allegations="反映违规操作。",
        )

    received(), received()
    services.petition_record_verification(
        received(), actor=handler, explanation_heard_on=dt.date(2026, 3, 10),
        explanation="说明。", opinions="走访。", findings="不实。",
    )
    return handler, 2, 1


def deadlines(*due_on):
    """The submitted cases' deadlines, in the order they were filed."""
    from tolerance.models import Case

    for pk, due in zip(
        Case.objects.filter(state="submitted").order_by("pk").values_list("pk", flat=True),
        due_on,
        strict=True,
    ):
        Case.objects.filter(pk=pk).update(due_on=due)


def accept_item(user, today, cap):
    request = RequestFactory().get("/")
    request.user = user
    return next(i for i in my_work(request, today, cap=cap) if i.key == "accept")


def test_counts_past_the_cap_read_cap_plus_and_overdue_stays_exact_below_it(flow, staff):
    build(flow, 3)
    deadlines(dt.date(2026, 4, 1), dt.date(2026, 4, 2), dt.date(2026, 4, 3))
    item = accept_item(staff.clerk, dt.date(2026, 4, 3), cap=2)
    assert (item.count, item.count_shown, item.overdue, item.overdue_capped, item.next_due) == (
        3, "2+", 2, False, dt.date(2026, 4, 1)
    )
    item = accept_item(staff.clerk, dt.date(2026, 4, 3), cap=5)
    assert (item.count, item.count_shown, item.overdue, item.next_due) == (
        3, "3", 2, dt.date(2026, 4, 1)
    )
    item = accept_item(staff.clerk, dt.date(2026, 4, 10), cap=2)
    assert (item.count, item.overdue, item.overdue_capped) == (3, 3, True)


def test_cases_without_a_deadline_come_last_under_the_cap(flow, staff):
    build(flow, 3)
    deadlines(None, dt.date(2026, 4, 2), dt.date(2026, 4, 1))
    item = accept_item(staff.clerk, dt.date(2026, 4, 10), cap=1)
    # the first two by deadline are the two overdue cases, not the one without a deadline
    assert (item.count, item.overdue, item.overdue_capped, item.next_due) == (
        2, 2, True, dt.date(2026, 4, 1)
    )
    item = accept_item(staff.clerk, dt.date(2026, 4, 10), cap=3)
    assert (item.count, item.overdue, item.next_due) == (3, 2, dt.date(2026, 4, 1))


def test_the_home_page_shows_capped_counts_as_the_lists_do(client, flow, staff, monkeypatch):
    from functools import partial

    import workbench.views

    build(flow, 3)
    deadlines(dt.date(2020, 4, 1), dt.date(2020, 4, 2), dt.date(2020, 4, 3))
    monkeypatch.setattr(workbench.views, "my_work", partial(my_work, cap=2))
    client.force_login(staff.clerk)
    body = client.get(reverse("home")).content.decode()
    accept = body[body.index('data-work="accept"') :]
    accept = accept[: accept.index("</a>")]
    assert '<span class="count" data-testid="work-count">2+</span>' in accept
    assert "逾期超过 2 件" in accept


def test_the_capped_count_is_shown_as_cap_plus():
    assert WorkItem("a", "a", "t", "/", 99).count_shown == "99"
    assert WorkItem("a", "a", "t", "/", 100).count_shown == "99+"
    assert WorkItem("a", "a", "t", "/", 3, cap=2).count_shown == "2+"
    assert not WorkItem("a", "a", "t", "/", 9, overdue=99).overdue_capped
    assert WorkItem("a", "a", "t", "/", 9, overdue=100).overdue_capped
