"""The cadre list's rows (cadres.rows): the columns read, the display strings of each row,
the pools and lists in their order, and the same cells on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres.enums import CadreStatus, Rank, TalentListKind
from cadres.models import Cadre, ListMembership, TalentList
from cadres.queries import talent_lists
from cadres.rows import LIST_COLUMNS, age_on, for_list, list_rows, rows_html, talent_badges

from ..factories import CadreFactory


def test_age_on_counts_full_years():
    assert age_on(dt.date(2026, 5, 16), dt.date(1980, 5, 17)) == 45
    assert age_on(dt.date(2026, 5, 17), dt.date(1980, 5, 17)) == 46
    assert age_on(dt.date(2026, 1, 1), dt.date(1980, 12, 31)) == 45
    assert age_on(dt.date(2027, 2, 28), dt.date(2000, 2, 29)) == 26
    assert age_on(dt.date(2027, 3, 1), dt.date(2000, 2, 29)) == 27


@pytest.fixture
def listed(world):
    """张三 (serving, in no list) and 孙八 (retired, female, in a list and a pool)."""
    retired = CadreFactory(
        name="孙八",
        gender="F",
        birth_date=dt.date(1961, 3, 9),
        unit=world.township_a1,
        position="镇长",
        rank=Rank.COUNTY_CHIEF,
        status=CadreStatus.RETIRED,
    )
    ox = TalentList.objects.create(code="ox", name="老黄牛型", kind=TalentListKind.POOL)
    young = TalentList.objects.create(code="young", name="优秀年轻干部", kind=TalentListKind.LIST)
    lion = TalentList.objects.create(code="lion", name="狮子型", kind=TalentListKind.POOL)
    for talent_list in (ox, young, lion):
        ListMembership.objects.create(cadre=retired, talent_list=talent_list)
    return retired


@pytest.mark.django_db
def test_list_reads_only_the_columns_shown(world, listed, django_assert_num_queries):
    with django_assert_num_queries(1):
        cadres = list(for_list(Cadre.objects.filter(pk=listed.pk)))
    assert cadres[0]._fields == ("id", "unit_id", *LIST_COLUMNS)
    assert (cadres[0].id, cadres[0].unit_id) == (listed.pk, listed.unit_id)
    assert cadres[0].unit__name == "甲县城关镇"


@pytest.mark.django_db
def test_rows_hold_the_display_strings(world, listed, django_assert_num_queries):
    cadres = list(for_list(Cadre.objects.filter(pk__in=[world.cadre_a1.pk, listed.pk])))
    lists = talent_lists(world.cadre_a1)  # (as the page reads them, from the cache)
    with django_assert_num_queries(1):  # the memberships of the page's cadres
        rows = {row["name"]: row for row in list_rows(cadres, lambda: lists)}
    assert list_rows(cadres) == list(rows.values())  # the lists read by a query of its own
    today = dt.date.today()
    assert rows["孙八"] == {
        "pk": listed.pk,
        "url": reverse("cadres:detail", args=[listed.pk]),
        "name": "孙八",
        "status": "已退休",
        "gender": "女",
        "born": "1961.03",
        "age": f"{age_on(today, dt.date(1961, 3, 9))}岁",
        "unit": "甲县城关镇",
        "position": "镇长",
        "rank": "县处级正职",
        "level": "县管",
        "lists": [
            ("优秀年轻干部", "badge-list"),
            ("狮子型", "badge-pool"),
            ("老黄牛型", "badge-pool"),
        ],
        "masked_id": listed.masked_national_id,
    }
    assert rows["张三"]["status"] == ""
    assert rows["张三"]["lists"] == ()
    assert rows["张三"]["rank"] == world.cadre_a1.get_rank_display()
    assert list_rows([]) == []


@pytest.mark.django_db
def test_talent_badges_per_cadre_in_list_order(world, listed):
    assert talent_badges([world.cadre_a1.pk]) == {}
    assert [name for name, _badge in talent_badges([listed.pk])[listed.pk]] == [
        t.name for t in listed.talent_lists.all()
    ]
    assert talent_badges([]) == {}


@pytest.mark.django_db
def test_talent_badges_read_the_lists_again_for_a_list_made_since(
    world, listed, django_assert_num_queries
):
    before = tuple(TalentList.objects.values_list("pk", "name", "kind"))
    made = TalentList.objects.create(code="aaa", name="新名单", kind=TalentListKind.LIST)
    ListMembership.objects.create(cadre=listed, talent_list=made)
    with django_assert_num_queries(2):
        badges = talent_badges([listed.pk, world.cadre_a1.pk], lambda: before)
    assert badges == {
        listed.pk: [
            ("新名单", "badge-list"),
            ("优秀年轻干部", "badge-list"),
            ("狮子型", "badge-pool"),
            ("老黄牛型", "badge-pool"),
        ]
    }


@pytest.mark.django_db
def test_the_page_shows_the_rows(client, world, listed, personas):
    client.force_login(personas.admin)
    body = client.get(reverse("cadres:list"), {"q": "sb"}).content.decode()
    url = reverse("cadres:detail", args=[listed.pk])
    assert (
        f'<a class="fw-semibold" href="{url}">孙八</a>'
        ' <span class="badge text-bg-light border">已退休</span>' in body
    )
    assert '<td class="text-nowrap">1961.03 <span class="text-muted small">(' in body
    assert (
        '<span class="badge rounded-pill badge-list me-1">优秀年轻干部</span>'
        '<span class="badge rounded-pill badge-pool me-1">狮子型</span>'
        '<span class="badge rounded-pill badge-pool me-1">老黄牛型</span>'
    ) in body
    assert (
        f'<td class="d-none d-xl-table-cell masked text-nowrap">{listed.masked_national_id}</td>'
        in body
    )


@pytest.mark.django_db
def test_rows_html_escapes_every_value(world, listed):
    listed.position = '<b>"镇长"</b>'
    listed.save(update_fields=["position"])
    cadres = list(for_list(Cadre.objects.filter(pk__in=[world.cadre_a1.pk, listed.pk])))
    html = str(rows_html(list_rows(cadres)))
    assert html.count('<tr data-testid="cadre-row">') == 2
    assert "<td>&lt;b&gt;&quot;镇长&quot;&lt;/b&gt;</td>" in html
    assert "<b>" not in html
    assert '<td class="d-none d-lg-table-cell"><span class="text-muted">—</span></td>' in html
    assert str(rows_html([])) == ""


@pytest.mark.django_db
def test_the_empty_page_says_so(client, world, personas):
    client.force_login(personas.admin)
    body = client.get(reverse("cadres:list"), {"q": "qqqqxx"}).content.decode()
    assert "cadre-row" not in body
    assert '<td colspan="9" class="text-center text-muted py-4">' in body
