from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.enums import Role
from tests.factories import make_user

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


@pytest.fixture
def auditor(world):
    return make_user("w_auditor", Role.AUDITOR, authorities=[world.county_a_org])


def test_clerk_home_counts_equal_the_lists_behind_them(client, flow, staff):
    build(flow, 2)
    client.force_login(staff.clerk)
    response = client.get(reverse("home"))
    assert work(response) == {
        "accept": 2, "start": 2, "feed_back": 0, "publish": 0, "appeals": 0, "remedies": 0,
        "proposals_inspect": 0, "exports": 0,
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
        "deliberate": 1, "appeals": 0, "proposals_decide": 0, "exports": 0,
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


def test_cadre_home_shows_own_cases_and_the_next_step(client, flow, staff):
    case = flow.investigating()
    client.force_login(staff.cadre)
    response = client.get(reverse("home"))
    rows = response.context["own_cases"]
    assert [(r["case"].pk, r["next_step"]) for r in rows] == [
        (case.pk, "正在调查核实，您可以补充本人情况说明。")
    ]
    assert response.context["work"] == []
    assert f'href="{reverse("tolerance:case_detail", args=[case.pk])}"' in (
        response.content.decode()
    )


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # caches warmed (content types), session saved
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


ROLES = ("investigator", "leader", "member", "cadre", "hr", "outsider", "auditor", "clerk")


def test_home_query_count_is_constant_for_every_role(client, flow, staff, auditor):
    people = {
        "clerk": staff.clerk, "investigator": staff.investigator, "leader": staff.leader,
        "member": staff.members[0], "cadre": staff.cadre, "hr": staff.hr,
        "outsider": staff.outsider, "auditor": auditor,
    }
    build(flow, 1)
    small = {role: _queries(client, people[role]) for role in ROLES}
    build(flow, 3)
    large = {role: _queries(client, people[role]) for role in ROLES}
    assert large == small
    assert small == PINNED


# Session, user, roles, authorities, the navigation's scope checks, then one query per
# work item (clerk: six case queues, proposals, exports) or the own cases (cadre, unit HR).
PINNED = {
    "clerk": 15, "investigator": 16, "leader": 17, "member": 11, "cadre": 6, "hr": 6,
    "outsider": 4, "auditor": 8,
}
