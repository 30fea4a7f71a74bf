"""Home (my work, the cadre's own cases) and the global search page (workbench.views)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.enums import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


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
# The department's staff pay one query for the sign-off item (the approving leader its
# count; the others whether a policy names them as the signer of a draft now waiting).
PINNED = {
    "clerk": 17, "investigator": 18, "leader": 19, "member": 13, "cadre": 6, "hr": 6,
    "outsider": 4, "auditor": 8,
}


def test_cadre_home_lists_at_most_ten_own_cases_newest_first(client, flow, staff):
    cases = [flow.submitted() for _ in range(12)]
    client.force_login(staff.cadre)
    rows = client.get(reverse("home")).context["own_cases"]
    assert [r["case"].pk for r in rows] == [c.pk for c in reversed(cases)][:10]
    assert {r["overdue"] for r in rows} == {False}


def test_staff_home_names_the_roles_and_authorities_and_no_own_cases(client, world, staff):
    client.force_login(staff.clerk)
    context = client.get(reverse("home")).context
    assert context["own_cases"] is None
    assert context["role_labels"] == ["受理专员"]
    assert context["authorities"] == [world.county_a_org]


def test_home_needs_a_login(client):
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_search_page_searches_only_by_post_and_caps_the_text(client, personas, world):
    client.force_login(personas.clerk_a)
    empty = client.get(reverse("workbench:search"), {"q": "zs"})
    assert (empty.context["q"], empty.context["found"]) == ("", None)
    blank = client.post(reverse("workbench:search"), {"q": "   "})
    assert blank.context["found"] is None
    long = client.post(reverse("workbench:search"), {"q": "张三" + "x" * 60})
    assert long.context["q"] == "张三" + "x" * 38
    found = client.post(reverse("workbench:search"), {"q": "zs"})
    assert [c.name for c in found.context["found"].cadres] == ["张三"]
    assert found["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
