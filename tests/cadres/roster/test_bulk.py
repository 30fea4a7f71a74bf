"""Bulk writes for roster imports: inserts that hand back pks, one UPDATE ... FROM VALUES
per batch, and the COPY text format (PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from cadres.enums import ManagementLevel, PostType, Rank
from cadres.models import Cadre
from cadres.roster.bulk import _copy_text, insert_objects, update_rows
from tests.factories import CadreFactory, make_id_number


def unsaved(world, name: str, **extra) -> Cadre:
    values = dict(
        name=name,
        gender="M",
        birth_date=dt.date(1981, 3, 9),
        national_id=make_id_number(dt.date(1981, 3, 9)),
        unit=world.township_a1,
        position="科员",
        post_type=PostType.NON_LEADERSHIP,
        rank=Rank.PRINCIPAL_STAFF_4,
        rank_since=dt.date(2019, 1, 1),
        management_level=ManagementLevel.COUNTY,
    )
    values.update(extra)
    return Cadre(**values)


def test_insert_objects_sets_pks_and_writes_every_row(world):
    objs = [unsaved(world, name) for name in ("甲一", "甲二", "甲三")]

    insert_objects(Cadre, objs, batch=2)

    assert all(obj.pk for obj in objs)
    assert len({obj.pk for obj in objs}) == 3
    assert [(o._state.adding, o._state.db) for o in objs] == [(False, "default")] * 3
    stored = dict(Cadre.objects.filter(pk__in=[o.pk for o in objs]).values_list("pk", "name"))
    assert stored == {objs[0].pk: "甲一", objs[1].pk: "甲二", objs[2].pk: "甲三"}


def test_insert_objects_with_nothing_runs_no_query(db):
    with CaptureQueriesContext(connection) as ctx:
        insert_objects(Cadre, [], batch=100)
    assert len(ctx.captured_queries) == 0


def test_update_rows_writes_only_the_named_fields_of_the_named_rows(world):
    a, b = CadreFactory(unit=world.township_a1), CadreFactory(unit=world.township_a1)
    untouched = CadreFactory(unit=world.township_a1, position="科员")
    rows = [
        {"pk": a.pk, "position": "副镇长", "rank": Rank.SECTION_DEPUTY, "unit_id": world.bureau.pk},
        {
            "pk": b.pk,
            "position": "镇长\t(兼)",
            "rank": Rank.SECTION_CHIEF,
            "unit_id": world.county_a.pk,
        },
    ]

    update_rows(Cadre, rows, ("position", "rank", "unit"), batch=500)

    values = {
        row["pk"]: row for row in Cadre.objects.values("pk", "position", "rank", "unit_id", "name")
    }
    assert values[a.pk] == {
        "pk": a.pk,
        "position": "副镇长",
        "rank": Rank.SECTION_DEPUTY,
        "unit_id": world.bureau.pk,
        "name": a.name,
    }
    assert values[b.pk] == {
        "pk": b.pk,
        "position": "镇长\t(兼)",
        "rank": Rank.SECTION_CHIEF,
        "unit_id": world.county_a.pk,
        "name": b.name,
    }
    assert values[untouched.pk]["position"] == "科员"
    assert values[untouched.pk]["rank"] == Rank.PRINCIPAL_STAFF_4


def test_update_rows_runs_one_statement_per_batch(world):
    cadres = [CadreFactory(unit=world.township_a1) for _ in range(5)]
    rows = [{"pk": c.pk, "position": f"岗位{i}"} for i, c in enumerate(cadres)]

    with CaptureQueriesContext(connection) as ctx:
        update_rows(Cadre, rows, ("position",), batch=2)

    updates = [q["sql"] for q in ctx.captured_queries if "UPDATE" in q["sql"]]
    assert len(updates) == 3
    assert sorted(
        Cadre.objects.filter(pk__in=[c.pk for c in cadres]).values_list("position", flat=True)
    ) == [f"岗位{i}" for i in range(5)]


def test_update_rows_with_nothing_runs_no_query(db):
    with CaptureQueriesContext(connection) as ctx:
        update_rows(Cadre, [], ("position",), batch=100)
    assert len(ctx.captured_queries) == 0


def test_copy_text_escapes_the_copy_format_and_writes_null(world):
    cadre = unsaved(world, "甲\t乙", position="a\\b\nc\rd", party_join_date=None)
    meta = Cadre._meta
    assert _copy_text(meta.get_field("name"), cadre) == "甲\\t乙"
    assert _copy_text(meta.get_field("position"), cadre) == "a\\\\b\\nc\\rd"
    assert _copy_text(meta.get_field("party_join_date"), cadre) == "\\N"
    assert _copy_text(meta.get_field("birth_date"), cadre) == "1981-03-09"
    assert _copy_text(meta.get_field("rank"), cadre) == str(int(Rank.PRINCIPAL_STAFF_4))
    assert _copy_text(meta.get_field("unit"), cadre) == str(world.township_a1.pk)


def test_copy_text_applies_pre_save_as_bulk_create_does(world):
    cadre = unsaved(world, "甲一")
    before = dt.datetime.now(dt.UTC)
    text = _copy_text(Cadre._meta.get_field("updated_at"), cadre)
    # auto_now: pre_save sets the attribute, and its value is the text written
    assert cadre.updated_at >= before
    assert text == str(cadre.updated_at)


@pytest.mark.postgres
def test_insert_objects_copies_on_postgres_with_pks_from_the_sequence(world, on_postgres):
    existing = CadreFactory(unit=world.township_a1)
    objs = [unsaved(world, "甲\t一", position="a\\b\nc"), unsaved(world, "甲二")]

    with CaptureQueriesContext(connection) as ctx:
        insert_objects(Cadre, objs, batch=1)

    assert [o.pk for o in objs] == [existing.pk + 1, existing.pk + 2]
    assert list(
        Cadre.objects.filter(pk__in=[o.pk for o in objs])
        .order_by("pk")
        .values_list("name", "position")
    ) == [("甲\t一", "a\\b\nc"), ("甲二", "科员")]
    assert Cadre.objects.get(pk=objs[1].pk).updated_at is not None
    # the nextval query; COPY goes through the raw cursor, not Django's query log
    assert len(ctx.captured_queries) == 1


@pytest.mark.postgres
def test_insert_objects_duplicate_raises_django_integrity_error_on_postgres(world, on_postgres):
    taken = world.cadre_a1.national_id
    with pytest.raises(IntegrityError):
        insert_objects(Cadre, [unsaved(world, "甲一", national_id=taken)], batch=10)


@pytest.mark.postgres
def test_update_rows_casts_values_to_column_types_on_postgres(world, on_postgres):
    cadre = CadreFactory(unit=world.township_a1)
    update_rows(
        Cadre,
        [
            {
                "pk": cadre.pk,
                "rank_since": dt.date(2024, 2, 29),
                "rank": Rank.SECTION_CHIEF,
                "party_join_date": None,
            }
        ],
        ("rank_since", "rank", "party_join_date"),
        batch=10,
    )
    cadre.refresh_from_db()
    assert (cadre.rank_since, cadre.rank, cadre.party_join_date) == (
        dt.date(2024, 2, 29),
        Rank.SECTION_CHIEF,
        None,
    )
