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
