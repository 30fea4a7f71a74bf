from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.access import code_version
from core.enums import Role
from core.models import User
from tests.factories import fresh_user
from workbench import nav
from workbench.nav import groups_for, remember_user

pytestmark = pytest.mark.django_db


SORT_HEADER = re.compile(r'<a class="sort-link[^"]*" href="[^"]*" data-sort="[^"]*">')
EMPTY_SORT_HEADER = re.compile(
    r'<a class="sort-link[^"]*" href="[^"]*" data-sort="[^"]*"><span class="sort-arrow"'
)


def nav_links(user) -> list[str]:
    return [link.url for group in groups_for(user) for link in group.links]


def test_every_nav_link_answers_200_for_every_persona(client, everyone):
    opened = sorted_pages = 0
    for name, user in everyone.items():
        client.force_login(user)
        for url in nav_links(user):
            response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            # A sortable header names its column (a header whose sort key the list does not
            # declare renders as an arrow with no label).
            if response.streaming:  # a download (the API schema, a template workbook)
                opened += 1
                continue
            page = response.content.decode()
            assert not EMPTY_SORT_HEADER.search(page), (name, url)
            sorted_pages += bool(SORT_HEADER.search(page))
            opened += 1
    assert opened >= 60
    assert sorted_pages >= 10


@pytest.mark.parametrize(
    ("persona", "groups"),
    [
        ("admin", ["干部", "容错纠错", "考核评价", "能上能下", "信访澄清", "文书与统计", "系统"]),
        ("clerk_a", ["干部", "容错纠错", "考核评价", "能上能下", "信访澄清", "文书与统计"]),
        ("auditor", ["干部", "容错纠错", "考核评价", "能上能下", "信访澄清", "文书与统计", "系统"]),
        ("cadre_a1", ["干部", "容错纠错", "考核评价", "文书与统计"]),
        ("hr_a1", ["干部", "容错纠错", "考核评价"]),
        ("outsider", ["干部", "考核评价"]),
    ],
)
def test_groups_by_domain_per_persona(client, everyone, persona, groups):
    client.force_login(everyone[persona])
    response = client.get(reverse("home"))
    assert [g.label for g in response.context["nav_groups"]] == groups
    body = response.content.decode()
    bar = body.split('data-testid="nav-groups"', 1)[1].split('role="search"', 1)[0]
    for group in response.context["nav_groups"]:
        assert f'href="{group.url}">{group.label}</a>' in bar


def test_cadre_and_unit_hr_see_no_up_and_down_link(client, everyone):
    for persona in ("cadre_a1", "hr_a1"):
        client.force_login(everyone[persona])
        body = client.get(reverse("home")).content.decode()
        assert reverse("promotions:dashboard") not in body
        assert client.get(reverse("promotions:dashboard")).status_code == 404


def test_active_group_shows_its_pages_below_the_bar(client, everyone):
    client.force_login(everyone["clerk_a"])
    body = client.get(reverse("promotions:proposals")).content.decode()
    subnav = body.split('class="subnav', 1)[1].split("</nav>", 1)[0]
    assert 'aria-label="能上能下"' in subnav
    assert f'href="{reverse("promotions:proposals")}"' in subnav
    assert 'active" aria-current="page" href="/promotions/proposals/">调整建议</a>' in subnav


def test_navigation_is_expanded_from_1200_px_not_1400(client, everyone):
    client.force_login(everyone["clerk_a"])
    body = client.get(reverse("home")).content.decode()
    assert "navbar-expand-xl" in body
    assert "navbar-expand-xxl" not in body


def menu(user) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(g.label, [(link.label, link.url) for link in g.links]) for g in groups_for(user)]


def test_remember_user_reads_roles_authorities_and_menu_from_one_cache_entry(
    cached, everyone, world, django_assert_num_queries
):
    clerk = everyone["clerk_a"]
    expected = menu(fresh_user(clerk))
    remember_user(fresh_user(clerk))  # a miss: computed and stored
    user = fresh_user(clerk)
    with django_assert_num_queries(0):
        remember_user(user)
        assert user.roles == {Role.INTAKE_CLERK}
        assert user.authority_ids == {world.county_a_org.pk}
        assert menu(user) == expected
    assert list(expected[1]) == [
        "容错纠错",
        [("容错案件", reverse("tolerance:queue")), ("提出容错申请", reverse("tolerance:file"))],
    ]


def test_a_new_group_is_seen_on_the_next_request(cached, everyone):
    clerk = everyone["clerk_a"]
    remember_user(fresh_user(clerk))
    assert "系统" not in [label for label, _links in menu(fresh_user(clerk))]
    clerk.groups.add(Group.objects.get(name=Role.AUDITOR))
    user = remember_user(fresh_user(clerk))
    assert user.roles == {Role.INTAKE_CLERK, Role.AUDITOR}
    assert [label for label, _links in menu(user)][-1] == "系统"


def test_remember_user_does_nothing_when_the_cache_is_off(everyone, django_assert_num_queries):
    user = fresh_user(everyone["clerk_a"])
    with django_assert_num_queries(0):
        remember_user(user)
    assert "roles" not in user.__dict__
    assert not hasattr(user, "_menu")


def test_pages_ask_no_query_for_roles_or_authorities_once_remembered(cached, client, everyone):
    client.force_login(everyone["clerk_a"])
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("tolerance:queue")).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(reverse("tolerance:queue")).status_code == 200
    asks = ('FROM "auth_group"', 'FROM "cadres_authority" INNER JOIN "core_user_authorities"')

    def asked(queries) -> set[str]:
        return {text for text in asks for q in queries if text in q["sql"]}

    assert asked(first.captured_queries) == set(asks)
    assert asked(second.captured_queries) == set()


def test_navigation_markup_is_rendered_once_per_menu_language_and_page(client, everyone):
    nav._fragments.clear()
    client.force_login(everyone["clerk_a"])
    proposals = reverse("promotions:proposals")
    first = client.get(proposals).content.decode()
    assert len(nav._fragments) == 1
    assert client.get(proposals, {"year": 2024}).status_code == 200
    assert len(nav._fragments) == 1
    dashboard = client.get(reverse("promotions:dashboard")).content.decode()
    assert len(nav._fragments) == 2
    current = 'active" aria-current="page" href="{}">'
    assert current.format(proposals) in first
    assert current.format(proposals) not in dashboard
    assert current.format(reverse("promotions:dashboard")) in dashboard
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(proposals).content.decode()
    assert len(nav._fragments) == 3
    assert 'bg-white" aria-label="Up and down">' in english


@pytest.mark.django_db
def test_the_loaded_user_replaces_the_lazy_one_on_the_request(client, personas):
    client.force_login(personas.outsider)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert type(response.wsgi_request.user) is User
    assert response.wsgi_request.user.pk == personas.outsider.pk
    assert response.context["user"] is response.wsgi_request.user


@pytest.mark.parametrize(
    ("page", "kinds"),
    [
        ("tolerance:queue", ("case-grants", "filter-authorities-own", "filter-authorities-all")),
        ("cadres:list", ("r", "roster", "talent-lists")),
    ],
)
def test_a_list_reads_its_entries_in_the_round_trip_of_the_menu(
    cached, client, everyone, page, kinds
):
    from unittest import mock

    from django.core.cache import cache

    clerk = everyone["clerk_a"]
    client.force_login(clerk)
    assert client.get(reverse(page)).status_code == 200  # stores what the page remembers
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as read:
        assert client.get(reverse(page)).status_code == 200
    assert read.call_count == 1
    (keys,), _kwargs = read.call_args
    version = code_version()
    assert {f"cadres:reach:{version}:{kind}:{clerk.pk}" for kind in ("chrome", *kinds)} <= set(keys)
