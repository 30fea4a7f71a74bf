"""Roster rows that change existing cadres: which are moves, their kind and date, the
refusals, the moves through the move service, and the audit rows with the page's changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from cadres.enums import ManagementLevel, MoveType, Rank
from cadres.models import PositionRecord
from cadres.roster.moves import (
    CadreChange,
    Move,
    apply_moves,
    audit_changes,
    import_reason,
    is_move,
    move_kind,
    plan_moves,
)
from core.models import AuditEvent

TODAY = dt.date(2026, 3, 2)


def state(cadre, **changes) -> dict:
    values = {
        "name": cadre.name,
        "unit_id": cadre.unit_id,
        "rank": cadre.rank,
        "rank_since": cadre.rank_since,
        "position": cadre.position,
        "post_type": cadre.post_type,
        "native_place": cadre.native_place,
        "management_level": cadre.management_level,
    }
    values.update(changes)
    return values


def open_position(cadre, start: dt.date) -> PositionRecord:
    return PositionRecord.objects.create(
        cadre=cadre,
        start_date=start,
        unit=cadre.unit,
        unit_name=cadre.unit.name,
        title=cadre.position,
        rank=cadre.rank,
        move=MoveType.APPOINTED,
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("unit_id", 999, True),
        ("rank", Rank.PRINCIPAL_STAFF_3, True),
        ("position", "副镇长", True),
        ("native_place", "山东济南", False),
        ("rank_since", dt.date(2020, 1, 1), False),
    ],
)
def test_is_move_only_for_unit_rank_or_post(field, value, expected):
    before = {"unit_id": 1, "rank": 30, "position": "科员", "native_place": "", "rank_since": None}
    assert is_move(before, {**before, field: value}) is expected
    assert is_move(before, dict(before)) is False


def test_move_kind_follows_the_rank():
    assert move_kind(30, 40) == MoveType.PROMOTED
    assert move_kind(40, 30) == MoveType.DEMOTED
    assert move_kind(30, 30) == MoveType.LATERAL


@pytest.mark.django_db
def test_plan_moves_dates_rank_changes_by_rank_since_and_others_today(
    world, django_assert_num_queries
):
    a1, b1, city = world.cadre_a1, world.cadre_b1, world.cadre_city
    for cadre in (a1, b1, city):
        open_position(cadre, dt.date(2019, 1, 1))
    changed = [
        (2, a1.pk, state(a1), state(a1, rank=40, rank_since=dt.date(2025, 6, 1))),
        (3, b1.pk, state(b1), state(b1, position="副主任")),
        (4, city.pk, state(city), state(city, native_place="山东济南")),  # a correction
        (5, world.cadre_city.pk, state(city), state(city, rank=20, rank_since=None)),
    ]

    with django_assert_num_queries(1):
        moves, refusals = plan_moves(changed, today=TODAY)

    assert moves == [
        Move(2, a1.pk, MoveType.PROMOTED, dt.date(2025, 6, 1)),
        Move(3, b1.pk, MoveType.LATERAL, TODAY),
        Move(5, city.pk, MoveType.DEMOTED, TODAY),
    ]
    assert refusals == []


@pytest.mark.django_db
def test_plan_moves_refuses_a_move_before_the_open_position(world):
    a1, b1 = world.cadre_a1, world.cadre_b1
    open_position(a1, dt.date(2024, 1, 1))
    open_position(b1, dt.date(2027, 1, 1))  # after today
    changed = [
        (2, a1.pk, state(a1), state(a1, rank=40, rank_since=dt.date(2023, 12, 31))),
        (3, b1.pk, state(b1), state(b1, unit_id=world.county_b.pk, unit_code="370102")),
    ]

    with translation.override("en"):
        moves, refusals = plan_moves(changed, today=TODAY)

    assert moves == []
    assert refusals == [
        (
            2,
            "rank_since",
            dt.date(2023, 12, 31),
            "This row moves the cadre (unit, rank or post) as of 2023-12-31, before the "
            "current position began (2024-01-01): record this move on the cadre's page.",
        ),
        (
            3,
            "unit_code",
            "370102",
            "This row moves the cadre (unit, rank or post) as of 2026-03-02, before the "
            "current position began (2027-01-01): record this move on the cadre's page.",
        ),
    ]


@pytest.mark.django_db
def test_plan_moves_without_a_position_record_accepts_any_date(world):
    a1 = world.cadre_a1
    changed = [(2, a1.pk, state(a1), state(a1, rank=40, rank_since=dt.date(1999, 1, 1)))]
    moves, refusals = plan_moves(changed, today=TODAY)
    assert (moves, refusals) == ([Move(2, a1.pk, MoveType.PROMOTED, dt.date(1999, 1, 1))], [])


@pytest.mark.django_db
def test_apply_moves_closes_the_open_position_and_opens_the_next(world, personas):
    a1 = world.cadre_a1
    old = open_position(a1, dt.date(2019, 1, 1))
    after = state(a1, unit_id=world.county_a.pk, rank=40, position="副镇长", post_type="leadership")

    with translation.override("en"):
        apply_moves(
            [Move(2, a1.pk, MoveType.PROMOTED, dt.date(2025, 6, 1))],
            {a1.pk: after},
            actor=personas.clerk_a,
            import_id="imp-7",
        )

    old.refresh_from_db()
    assert old.end_date == dt.date(2025, 6, 1)
    new = a1.positions.get(end_date__isnull=True)
    assert (new.start_date, new.unit_id, new.unit_name, new.title, new.rank, new.move) == (
        dt.date(2025, 6, 1),
        world.county_a.pk,
        "甲县",
        "副镇长",
        40,
        MoveType.PROMOTED,
    )
    a1.refresh_from_db()
    assert (a1.unit_id, a1.position, a1.rank, a1.rank_since, a1.post_type) == (
        world.county_a.pk,
        "副镇长",
        40,
        dt.date(2025, 6, 1),
        "leadership",
    )
    event = AuditEvent.objects.get(action="cadre.move.promoted")
    assert (event.actor_id, event.reason, event.object_id) == (
        personas.clerk_a.pk,
        "Roster import imp-7",
        str(a1.pk),
    )


@pytest.mark.django_db
def test_apply_moves_with_nothing_runs_no_query(world, personas, django_assert_num_queries):
    with django_assert_num_queries(0):
        apply_moves([], {}, actor=personas.clerk_a, import_id="imp-0")


def test_import_reason_names_the_import():
    with translation.override("en"):
        assert import_reason("abc123") == "Roster import abc123"


@pytest.mark.django_db
def test_audit_changes_one_row_per_cadre_with_changed_fields_only(world, personas):
    a1, city = world.cadre_a1, world.cadre_city
    changed = [
        (2, a1.pk, state(a1), state(a1, rank=40, rank_since=dt.date(2025, 6, 1))),
        (3, city.pk, state(city), state(city, native_place="山东济南")),
    ]
    unit_paths = {world.township_a1.pk: world.township_a1.path, world.bureau.pk: world.bureau.path}

    with translation.override("en"):
        changes = audit_changes(
            changed,
            actor=personas.admin,
            import_id="imp-9",
            unit_paths=unit_paths,
            moves=[Move(2, a1.pk, MoveType.PROMOTED, dt.date(2025, 6, 1))],
        )

    assert changes == [
        CadreChange(a1.pk, "张三", "Promotion", ["职级", "任现职级时间"]),
        CadreChange(city.pk, "王五", "", ["籍贯"]),
    ]
    events = AuditEvent.objects.filter(action="cadre.roster.update").order_by("id")
    assert list(events.values_list("object_id", "before", "after", "reason", "authority_id")) == [
        (
            str(a1.pk),
            {"rank": a1.rank, "rank_since": "2018-07-01"},
            {"rank": 40, "rank_since": "2025-06-01"},
            "Roster import imp-9",
            world.county_a_org.pk,
        ),
        (
            str(city.pk),
            {"native_place": ""},
            {"native_place": "山东济南"},
            "Roster import imp-9",
            world.city_org.pk,
        ),
    ]
    assert city.management_level == ManagementLevel.CITY


@pytest.mark.django_db
def test_audit_changes_names_the_unit_code_column_for_a_unit_change(world, personas):
    a1 = world.cadre_a1
    after = state(a1, unit_id=world.county_a.pk)
    changes = audit_changes(
        [(2, a1.pk, state(a1), after)],
        actor=personas.admin,
        import_id="imp-1",
        unit_paths={world.county_a.pk: world.county_a.path},
        moves=[],
    )
    assert changes == [CadreChange(a1.pk, "张三", "", ["单位代码"])]
    event = AuditEvent.objects.get(action="cadre.roster.update")
    assert (event.before, event.after) == (
        {"unit_id": world.township_a1.pk},
        {"unit_id": world.county_a.pk},
    )
