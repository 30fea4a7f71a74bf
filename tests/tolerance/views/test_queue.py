"""The staff work queue: what each persona sees, the filters, the order and the cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.enums import Role
from tests.factories import CadreFactory, make_user
from tolerance.enums import CaseState, StartedBy
from tolerance.models import Case
from tolerance.permissions import visible_cases
from tolerance.remedies import remedy_add
from tolerance.views.queue import QUEUE_ORDER
from tolerance.workflow import case_transition

pytestmark = pytest.mark.django_db

QUEUE = reverse("tolerance:queue")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def rows(client, user, **params):
    client.force_login(user)
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [case.pk for case in response.context["page"]]


def due(case, days):
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() + dt.timedelta(days))


def test_the_queue_shows_the_cases_of_the_users_authority(client, flow, staff, world):
    submitted = flow.submitted()
    draft = flow.filed()
    admin = make_user("q_admin", Role.ADMIN)
    auditor = make_user("q_auditor", Role.AUDITOR, authorities=[world.county_a_org])
    discipline = make_user(
        "q_discipline", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline]
    )
    assert rows(client, staff.clerk) == [submitted.pk]
    assert rows(client, admin) == [submitted.pk, draft.pk]  # the draft has no deadline
    assert rows(client, staff.clerk, state="all") == [submitted.pk]  # drafts: filer only
    assert rows(client, staff.clerk_b) == []  # another authority
    assert rows(client, auditor) == [submitted.pk]
    assert rows(client, discipline) == [submitted.pk]  # covers the cadre


@pytest.mark.parametrize("who", ["cadre", "hr", "outsider"])
def test_people_without_a_queue_go_to_their_own_cases(client, flow, staff, who):
    flow.submitted()
    client.force_login(getattr(staff, who))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == reverse("tolerance:my_cases")


def test_the_queue_needs_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_queue_is_ordered_by_due_date_with_open_cases_by_default(client, flow, staff):
    later, sooner, undated = flow.submitted(), flow.submitted(), flow.submitted()
    due(later, 9)
    due(sooner, 2)
    Case.objects.filter(pk=undated.pk).update(due_on=None)
    rejected = flow.submitted()
    from tolerance.workflow import case_transition

    case_transition(rejected, actor=staff.clerk, action="reject", reason="不属于受理范围")
    assert rows(client, staff.clerk) == [sooner.pk, later.pk, undated.pk]
    assert rows(client, staff.clerk, state="all") == [sooner.pk, later.pk, undated.pk, rejected.pk]
    assert rows(client, staff.clerk, state=CaseState.NOT_ACCEPTED) == [rejected.pk]


def test_the_queue_filters_by_deadline(client, flow, staff):
    overdue, soon, far = flow.submitted(), flow.submitted(), flow.submitted()
    due(overdue, -1)
    due(soon, 3)
    due(far, 30)
    assert rows(client, staff.clerk, due="overdue") == [overdue.pk]
    assert rows(client, staff.clerk, due="soon") == [soon.pk]


def test_the_queue_flags_overdue_remedial_measures(client, flow, staff):
    late, fine = flow.investigating(), flow.investigating()
    today = timezone.localdate()
    remedy_add(
        late,
        actor=staff.clerk,
        measure="追回资金",
        owner="城关镇",
        due_on=today - dt.timedelta(days=1),
    )
    remedy_add(
        fine,
        actor=staff.clerk,
        measure="完善制度",
        owner="城关镇",
        due_on=today + dt.timedelta(days=5),
    )
    client.force_login(staff.clerk)
    response = client.get(QUEUE)
    flags = {case.pk: case.remedy_overdue for case in response.context["page"]}
    assert flags == {late.pk: True, fine.pk: False}
    assert response.content.decode().count('data-testid="remedy-overdue"') == 1
    assert rows(client, staff.clerk, due="remedy_overdue") == [late.pk]


def test_the_queue_filters_by_authority_and_by_assignment(client, flow, staff, world):
    mine = flow.investigating()
    other = flow.submitted()
    city = flow.submitted(
        by=staff.clerk_b, started_by=StartedBy.EX_OFFICIO_INSPECTION, cadres=[world.cadre_city]
    )
    assert rows(client, staff.investigator, mine="on") == [mine.pk]
    assert sorted(rows(client, staff.investigator)) == sorted([mine.pk, other.pk])
    assert rows(client, staff.clerk_b, authority=world.city_org.pk) == [city.pk]
    client.force_login(staff.clerk)
    response = client.get(QUEUE, {"authority": world.city_org.pk})
    assert response.context["filter"].errors  # not one of the clerk's authorities


def test_the_queue_shows_deadlines_in_red_and_the_fallback_warning(client, flow, staff):
    case = flow.submitted()
    Case.objects.filter(pk=case.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=2), due_fallback_years=[2027]
    )
    client.force_login(staff.clerk)
    body = client.get(QUEUE).content.decode()
    assert 'data-testid="overdue"' in body
    assert "2027年节假日未录入，按周一至周五计算。" in body


def test_the_queue_rows_escape_what_they_show(client, flow, staff, in_2026):
    case = flow.submitted()
    case.matter.title = '<script>alert("x")</script> & 事项'
    case.matter.save()
    client.force_login(staff.clerk)
    body = client.get(QUEUE).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 事项" in body
    assert "<script>alert" not in body
    assert f'href="{reverse("tolerance:case_detail", args=[case.pk])}">{case.reference}</a>' in body
    assert 'data-testid="overdue"' not in body and 'data-testid="fallback"' not in body


def test_an_empty_queue_says_so(client, staff):
    client.force_login(staff.clerk)
    body = client.get(QUEUE).content.decode()
    assert "没有符合条件的案件。" in body
    assert 'data-testid="case-row"' not in body


NAMES_APART = 0 if connection.vendor == "postgresql" else 1
"""The cadres' names come in the page query as an array on PostgreSQL only."""


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_query_count_is_constant(
    client, flow, staff, world, django_assert_num_queries, count
):
    cadres = [world.cadre_a1, *CadreFactory.create_batch(2, unit=world.township_a1)]
    for _ in range(count):
        case = flow.submitted(by=staff.hr, started_by=StartedBy.UNIT, cadres=cadres)
        remedy_add(
            case, actor=staff.clerk, measure="整改", owner="城关镇", due_on=timezone.localdate()
        )
    client.force_login(staff.clerk)
    client.get(QUEUE)  # the session and the content-type cache
    # Session, user, roles, authorities; the page of cases with their cadres' names
    # (elsewhere than PostgreSQL the names on their own), the count; the authority choices
    # of the filter; the user's jurisdictions for the navigation (2).
    with django_assert_num_queries(9 + NAMES_APART):
        response = client.get(QUEUE)
    rows = response.context["rows"]
    assert len(rows) == count
    names = "、".join(cadre.name for cadre in cadres)
    assert all(row["cadres"] == names for row in rows)


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_query_count_with_the_access_cache(
    client, flow, staff, settings, django_assert_num_queries, count
):
    """As in production: the user's roles, authorities and navigation come from the cache."""
    settings.ACCESS_CACHE_SECONDS = 60
    cache.clear()
    for _ in range(count):
        flow.submitted()
    client.force_login(staff.clerk)
    client.get(QUEUE)  # the session, the content-type cache and the user's remembered facts
    # Session, user; the page of cases with their cadres' names, the count (the authority
    # choices come from the cache too).
    with django_assert_num_queries(4 + NAMES_APART):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == count
    cache.clear()


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_export_query_count_is_constant(
    client, flow, staff, world, django_assert_num_queries, count
):
    import io

    import openpyxl

    cadres = [world.cadre_a1, *CadreFactory.create_batch(2, unit=world.township_a1)]
    for _ in range(count):
        flow.submitted(by=staff.hr, started_by=StartedBy.UNIT, cadres=cadres)
    client.force_login(staff.clerk)
    export = reverse("tolerance:queue_export")
    client.get(export)  # the session and the content-type cache
    # Session, user, roles, authorities; the cases, their cadres; the audit row (savepoint,
    # insert, release).
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(export, {"sort": "-number"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == count
    assert all(len(row[1].split("、")) == 3 for row in rows)


EXPORT_QUERIES = 9


def test_the_queue_pages_through_every_visible_case_once(client, flow, staff):
    """The clerk reaches cases by two paths (filed by them; of their authority), one case by
    both: the pages hold each visible case once, in the queue's order, both ways."""
    for _ in range(26):
        flow.submitted()
    flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)  # a draft: filer only
    ex_officio = flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    case_transition(ex_officio, actor=staff.clerk, action="submit")  # both paths
    expected = list(
        visible_cases(staff.clerk)
        .filter(state__in=CaseState.open_states())
        .order_by(*QUEUE_ORDER)
        .values_list("pk", flat=True)
    )
    assert len(expected) == 28
    client.force_login(staff.clerk)
    first = client.get(QUEUE).context
    second = client.get(QUEUE, {"cursor": first["page"].next_cursor}).context
    back = client.get(QUEUE, {"cursor": second["page"].prev_cursor}).context
    assert [row.pk for row in first["page"]] + [row.pk for row in second["page"]] == expected
    assert [row["pk"] for row in back["rows"]] == expected[:25]
    assert first["count"] == second["count"] == 28
    assert second["page"].next_cursor is None and back["page"].prev_cursor is None


def shown(client, **params) -> list[int]:
    """The queue's cases for the client's user (logged in once: a login saves the user,
    which forgets what is kept for them)."""
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [case.pk for case in response.context["page"]]


def test_the_queue_keeps_its_compiled_branches_with_the_users_reach(
    client, flow, staff, world, settings, monkeypatch
):
    """With the access cache on, each user's branches are compiled once per filter values
    and day, and compiled again once the reach's generation moves on (a change of an
    authority, a unit, a grant or a group) or the user is saved."""
    from cadres.access import forget_reaches
    from tolerance.views import queue

    settings.ACCESS_CACHE_SECONDS = 60
    cache.clear()
    compiled = []
    real = queue.compile_branches
    monkeypatch.setattr(queue, "compile_branches", lambda b: compiled.append(1) or real(b))
    submitted = flow.submitted()
    client.force_login(staff.clerk)
    assert shown(client) == [submitted.pk]
    assert shown(client) == [submitted.pk]
    assert shown(client, state="all") == [submitted.pk]
    assert shown(client, state="all") == [submitted.pk]
    assert len(compiled) == 2  # once per filter values
    assert shown(client, state="nonsense") == [submitted.pk]  # refused: not kept
    assert len(compiled) == 2
    forget_reaches()
    assert shown(client) == [submitted.pk]
    assert len(compiled) == 3
    staff.clerk.save()
    assert shown(client) == [submitted.pk]
    assert len(compiled) == 4
    staff.clerk.authorities.set([world.city_org])  # moves the generation on
    assert shown(client) == []
    assert len(compiled) == 5
    cache.clear()


def test_the_queue_keeps_the_last_four_filter_values(client, flow, staff, settings):
    from cadres.access import remembered
    from tolerance.views.queue import BRANCHES

    settings.ACCESS_CACHE_SECONDS = 60
    cache.clear()
    client.force_login(staff.clerk)
    for text in ("a", "b", "c", "d", "e"):
        assert shown(client, q=text) == []
    kept = remembered(staff.clerk, BRANCHES, lambda: {})
    assert list(kept) == [
        (timezone.localdate(), (("q", (text,)), ("state", ("open",))))
        for text in ("b", "c", "d", "e")
    ]
    cache.clear()
