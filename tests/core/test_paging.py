"""core.paging: keyset pages walk both ways in the list order; counts stop at the cap.

The rows are cadres (the biggest list), paged in the cadre list order."""

import datetime as dt

import pytest

from cadres.enums import Rank
from cadres.models import Cadre
from cadres.queries import LIST_ORDER
from core.paging import capped_count, decode_cursor, encode_cursor, keyset_page

from ..factories import CadreFactory


@pytest.fixture
def seven(world):
    """Seven cadres in one unit, with ties on rank so the name and id decide the order."""
    ranks = [
        Rank.SECTION_CHIEF,
        Rank.PRINCIPAL_STAFF_4,
        Rank.SECTION_CHIEF,
        Rank.CLERK_1,
        Rank.PRINCIPAL_STAFF_4,
        Rank.SECTION_DEPUTY,
        Rank.PRINCIPAL_STAFF_4,
    ]
    names = ["甲", "乙", "丙", "丁", "戊", "己", "乙"]
    for name, rank in zip(names, ranks, strict=True):
        CadreFactory(name=name, rank=rank, unit=world.county_b)
    return Cadre.objects.filter(unit=world.county_b)


def ids(rows):
    return [c.pk for c in rows]


@pytest.mark.django_db
def test_keyset_page_walks_forward_and_back_in_list_order(seven):
    expected = ids(seven.order_by(*LIST_ORDER))
    assert len(expected) == 7
    first = keyset_page(seven, order=LIST_ORDER, size=3)
    assert ids(first.rows) == expected[:3]
    assert first.prev_cursor is None
    second = keyset_page(seven, order=LIST_ORDER, cursor=first.next_cursor, size=3)
    assert ids(second.rows) == expected[3:6]
    third = keyset_page(seven, order=LIST_ORDER, cursor=second.next_cursor, size=3)
    assert ids(third.rows) == expected[6:]
    assert third.next_cursor is None
    back = keyset_page(seven, order=LIST_ORDER, cursor=third.prev_cursor, size=3)
    assert ids(back.rows) == expected[3:6]
    assert back.next_cursor is not None
    front = keyset_page(seven, order=LIST_ORDER, cursor=back.prev_cursor, size=3)
    assert ids(front.rows) == expected[:3]
    assert front.prev_cursor is None
    assert front.next_cursor is not None


@pytest.mark.django_db
def test_keyset_page_orders_senior_rank_first_within_a_unit(seven):
    rows = keyset_page(seven, order=LIST_ORDER, size=10).rows
    assert [c.rank for c in rows] == sorted((c.rank for c in rows), reverse=True)


@pytest.mark.django_db
def test_keyset_page_exact_fit_has_no_next(seven):
    page = keyset_page(seven, order=LIST_ORDER, size=7)
    assert len(page.rows) == 7
    assert page.next_cursor is None and page.prev_cursor is None


@pytest.mark.django_db
def test_keyset_page_bad_cursor_gives_first_page(seven):
    expected = ids(seven.order_by(*LIST_ORDER))[:2]
    for cursor in [
        "",
        "garbage",
        "!!!",
        encode_cursor("x", [1, 2, "a", 3]),
        encode_cursor("n", [1, 2]),
        encode_cursor("n", ["a", 2, "b", 3]),
    ]:
        assert ids(keyset_page(seven, order=LIST_ORDER, cursor=cursor, size=2).rows) == expected


def test_decode_cursor_round_trip():
    cursor = encode_cursor("n", [5, 30, "张三", 17])
    assert decode_cursor(Cadre, LIST_ORDER, cursor) == ("n", [5, 30, "张三", 17])
    assert decode_cursor(Cadre, LIST_ORDER, encode_cursor("p", [5, None, "x", 1])) is None


@pytest.mark.django_db
def test_capped_count_stops_at_the_cap(seven):
    assert capped_count(seven, cap=100) == 7
    assert capped_count(seven, cap=3) == 4


@pytest.mark.django_db
def test_keyset_page_handles_dates_in_order(world):
    older = CadreFactory(name="甲", unit=world.bureau, rank_since=dt.date(2010, 1, 1))
    newer = CadreFactory(name="乙", unit=world.bureau, rank_since=dt.date(2020, 1, 1))
    qs = Cadre.objects.filter(pk__in=[older.pk, newer.pk])
    order = ("rank_since", "id")
    first = keyset_page(qs, size=1, order=order)
    assert ids(first.rows) == [older.pk]
    second = keyset_page(qs, cursor=first.next_cursor, size=1, order=order)
    assert ids(second.rows) == [newer.pk]
    assert second.next_cursor is None
