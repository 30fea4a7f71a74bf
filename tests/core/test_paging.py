"""core.paging: keyset pages walk both ways in the list order; counts stop at the cap.

The rows are cadres (the biggest list), paged in the cadre list order."""

import datetime as dt

import pytest
from django.db.models import Q

from cadres.enums import Rank
from cadres.models import Cadre
from cadres.queries import LIST_ORDER
from core.paging import (
    capped_count,
    compile_branches,
    decode_cursor,
    encode_cursor,
    keyset_page,
    rows_by_pk,
    union_page,
)

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


COLUMNS = ("pk", "unit_id", "rank", "name")


def branches_of(seven):
    """Two overlapping "access paths" over the seven (甲 is on both): the three of section
    rank or above, and 甲 and the two 乙."""
    senior = seven.filter(rank__gte=Rank.SECTION_DEPUTY)
    named = seven.filter(name__in=["甲", "乙"])
    expected = ids(seven.filter(Q(rank__gte=Rank.SECTION_DEPUTY) | Q(name__in=["甲", "乙"])))
    return Cadre.objects.all(), [senior, named], expected


def walk(rows, branches, size, cursor=""):
    return union_page(rows, COLUMNS, branches, order=LIST_ORDER, size=size, cursor=cursor)


@pytest.mark.django_db
def test_union_page_walks_the_union_of_the_branches_both_ways(seven, django_assert_num_queries):
    rows, branches, expected = branches_of(seven)
    expected = ids(Cadre.objects.filter(pk__in=expected).order_by(*LIST_ORDER))
    assert len(expected) == 5
    with django_assert_num_queries(2):  # the page, its count
        first, count = walk(rows, branches, 2)
    assert (ids(first.rows), count, first.prev_cursor) == (expected[:2], 5, None)
    assert [row.name for row in first.rows] == [
        c.name for c in Cadre.objects.filter(pk__in=expected[:2]).order_by(*LIST_ORDER)
    ]
    second, count = walk(rows, branches, 2, first.next_cursor)
    assert (ids(second.rows), count) == (expected[2:4], 5)
    third, _count = walk(rows, branches, 2, second.next_cursor)
    assert (ids(third.rows), third.next_cursor) == (expected[4:], None)
    back, _count = walk(rows, branches, 2, third.prev_cursor)
    assert ids(back.rows) == expected[2:4]
    front, _count = walk(rows, branches, 2, back.prev_cursor)
    assert (ids(front.rows), front.prev_cursor) == (expected[:2], None)
    # the same pages as keyset_page over the union
    union = Cadre.objects.filter(pk__in=expected)
    assert ids(keyset_page(union, order=LIST_ORDER, size=2, cursor=first.next_cursor)) == ids(
        second.rows
    )


@pytest.mark.django_db
def test_union_page_of_compiled_branches_walks_the_same_pages(seven, django_assert_num_queries):
    import pickle

    rows, branches, _expected = branches_of(seven)
    # kept in the cache as pickles (data this process wrote)
    compiled = pickle.loads(pickle.dumps(compile_branches(branches)))  # noqa: S301
    assert compiled == compile_branches(branches)
    seen, cursor = [], ""
    for step in ("next", "next", "prev", "prev", "stay"):
        with django_assert_num_queries(2):  # the page, its count: nothing compiled again
            page, count = walk(rows, compiled, 2, cursor)
        assert (page, count) == walk(rows, branches, 2, cursor)
        seen.append(ids(page.rows))
        cursor = page.next_cursor if step == "next" else page.prev_cursor
    expected = ids(Cadre.objects.filter(pk__in=_expected).order_by(*LIST_ORDER))
    assert seen == [expected[:2], expected[2:4], expected[4:], expected[2:4], expected[:2]]


@pytest.mark.django_db
def test_compile_branches_leaves_out_a_branch_that_selects_nothing(seven):
    rows, branches, _expected = branches_of(seven)
    nothing = seven.filter(pk__in=Cadre.objects.none().values("pk"))
    assert compile_branches([nothing, *branches]) == compile_branches(branches)
    assert compile_branches([nothing]) == []


@pytest.mark.django_db
def test_union_page_counts_up_to_the_cap(seven):
    rows, branches, expected = branches_of(seven)
    assert union_page(rows, COLUMNS, branches, order=LIST_ORDER, size=2, cap=3)[1] == 4
    assert union_page(rows, COLUMNS, branches, order=LIST_ORDER, size=2, cap=100)[1] == 5
    assert union_page(rows, COLUMNS, branches[:1], order=LIST_ORDER, size=2)[1] == 3


@pytest.mark.django_db
def test_union_page_past_the_end_still_counts(seven, django_assert_num_queries):
    rows, branches, expected = branches_of(seven)
    last = Cadre.objects.filter(pk__in=expected).order_by(*LIST_ORDER).last()
    past = encode_cursor("n", [last.unit_id, last.rank, last.name, last.pk])
    assert decode_cursor(Cadre, LIST_ORDER, past) is not None
    with django_assert_num_queries(2):
        page, count = walk(rows, branches, 2, past)
    assert (page.rows, page.next_cursor, page.prev_cursor, count) == ([], None, None, 5)


@pytest.mark.django_db
def test_union_page_of_no_branch_or_an_empty_one(seven, django_assert_num_queries):
    rows, _branches, _expected = branches_of(seven)
    with django_assert_num_queries(0):
        assert walk(rows, [], 2) == (keyset_page(seven.none(), order=LIST_ORDER), 0)
    with django_assert_num_queries(1):  # an empty first page: nothing to count
        page, count = walk(rows, [seven.filter(name="无")], 2)
    assert (page.rows, count) == ([], 0)
    page, count = walk(rows, [seven.filter(name="无"), seven.filter(name="甲")], 2)
    assert (ids(page.rows), count, page.next_cursor) == (ids(seven.filter(name="甲")), 1, None)


@pytest.mark.django_db
def test_union_page_compiles_the_rows_once_per_key(seven):
    rows, branches, expected = branches_of(seven)
    built = []

    def build():
        built.append(1)
        return rows

    key = object()
    first, count = union_page(build, COLUMNS, branches, order=LIST_ORDER, size=2, rows_key=key)
    again, _count = union_page(build, COLUMNS, branches, order=LIST_ORDER, size=2, rows_key=key)
    second, _count = union_page(
        build, COLUMNS, branches, order=LIST_ORDER, size=2, rows_key=key, cursor=first.next_cursor
    )
    assert built == [1]
    assert again == first and count == 5
    assert ids(second.rows) == ids(walk(rows, branches, 2, first.next_cursor)[0].rows)


@pytest.mark.django_db
def test_rows_by_pk_reads_the_given_rows_in_order_compiled_once_per_key(
    seven, django_assert_num_queries
):
    built = []

    def build():
        built.append(1)
        return Cadre.objects.all()

    key = object()
    everyone = list(seven.order_by(*LIST_ORDER))
    some = [everyone[4].pk, everyone[0].pk, everyone[2].pk]
    with django_assert_num_queries(1):
        found = rows_by_pk(build, ("id", "name", "rank"), some, order=LIST_ORDER, rows_key=key)
    again = rows_by_pk(build, ("id", "name", "rank"), some[:2], order=LIST_ORDER, rows_key=key)
    with django_assert_num_queries(0):
        assert rows_by_pk(build, ("id",), [], order=LIST_ORDER, rows_key=key) == []
    assert built == [1]
    assert [(r.id, r.name, r.rank) for r in found] == [
        (c.pk, c.name, c.rank) for c in (everyone[0], everyone[2], everyone[4])
    ]
    assert [r.id for r in again] == [everyone[0].pk, everyone[4].pk]
