"""The cadre's proposals and exceptional-promotion requests on the cadre timeline:
who sees which, links, and a query count that does not grow with the entries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.enums import Rank
from promotions.exceptional.services import exceptional_create, exceptional_transition
from promotions.grounds.services import proposal_propose
from promotions.proposals.workflow import proposal_transition
from promotions.queries import cadre_timeline_entries

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _proposal(world, county, ground="unfit", year=YEAR):
    return proposal_propose(world.cadre_a1, actor=county.clerk, ground=ground, year=year,
                            facts="事实", evidence="证据")


def _request(world, county, title="镇党委副书记"):
    return exceptional_create(world.cadre_a1, actor=county.clerk, target_title=title,
                              target_rank=Rank.SECTION_CHIEF, situation="chucai",
                              reasons="出彩型好干部")


def _kinds(entries):
    return sorted((e.kind, e.title, bool(e.url)) for e in entries)


def test_staff_and_auditor_see_every_entry_with_links(world, county):
    proposal, request = _proposal(world, county), _request(world, county)
    expected = [
        ("exceptional", "破格提拔申请：镇党委副书记", True),
        ("proposal", f"调整建议（{YEAR}年）：不胜任现职（济南）", True),
    ]
    for user in (county.clerk, county.auditor):
        entries = cadre_timeline_entries(user, world.cadre_a1)
        assert _kinds(entries) == expected
    urls = {e.kind: e.url for e in cadre_timeline_entries(county.clerk, world.cadre_a1)}
    assert urls == {
        "proposal": reverse("promotions:proposal", args=[proposal.pk]),
        "exceptional": reverse("promotions:exceptional", args=[request.pk]),
    }
    assert [e.detail for e in entries if e.kind == "exceptional"] == [
        "草稿 · 让人“眼前一亮、为之一振、如获至宝”的“出彩型”好干部"
    ]


def test_the_cadre_sees_their_own_once_part_of_the_process(world, county, personas):
    proposal, request = _proposal(world, county), _request(world, county)
    assert cadre_timeline_entries(personas.cadre_a1, world.cadre_a1) == []
    proposal_transition(proposal, actor=county.clerk, action="inspect")
    exceptional_transition(request, actor=county.clerk, action="submit")
    entries = cadre_timeline_entries(personas.cadre_a1, world.cadre_a1)
    assert _kinds(entries) == [
        ("exceptional", "破格提拔申请：镇党委副书记", True),
        ("proposal", f"调整建议（{YEAR}年）：不胜任现职（济南）", False),
    ]
    assert [e.detail for e in entries if e.kind == "proposal"] == ["考察谈话中"]


def test_others_see_no_entries(world, county, personas):
    _proposal(world, county)
    _request(world, county)
    for user in (personas.hr_a1, county.clerk_city, personas.outsider):
        assert cadre_timeline_entries(user, world.cadre_a1) == []


def test_timeline_page_shows_entries_to_those_allowed(client, world, county, personas):
    _proposal(world, county)
    url = reverse("register:timeline", args=[world.cadre_a1.pk])
    client.force_login(county.clerk)
    html = client.get(url).content.decode()
    assert f"调整建议（{YEAR}年）：不胜任现职（济南）" in html and "能上能下调整" in html
    client.force_login(personas.hr_a1)  # sees the cadre, not the proposals
    html = client.get(url).content.decode()
    assert client.get(url).status_code == 200 and "调整建议" not in html
    client.force_login(personas.cadre_a1)
    assert client.get(reverse("register:timeline",
                              args=[world.cadre_b1.pk])).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "cadre"])
def test_timeline_query_count_pinned(client, world, county, personas, who,
                                     django_assert_num_queries):
    user = county.clerk if who == "clerk" else personas.cadre_a1
    url = reverse("register:timeline", args=[world.cadre_a1.pk])

    def add(year, title):
        proposal = _proposal(world, county, year=year)
        proposal_transition(proposal, actor=county.clerk, action="inspect")
        exceptional_transition(_request(world, county, title), actor=county.clerk,
                               action="submit")

    add(YEAR, "职务一")
    client.force_login(user)
    client.get(url)
    # tolerance, clarifications, proposals + requests (2), commendations (3 for staff: their
    # jurisdiction, then the rows; 1 for the cadre: their own rows)
    expected = 14 if who == "clerk" else 9
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["items"]) == 2
    for i in range(1, 5):
        add(YEAR - i, f"职务{i + 1}")
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["items"]) == 10
