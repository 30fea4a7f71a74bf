"""Cadre services: validated, atomic, audited writes; refusals change nothing."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from guardian.shortcuts import assign_perm

from cadres.enums import ManagementLevel, MoveType, PostType, Rank
from cadres.models import Cadre, PositionRecord
from cadres.rules import id_check_code
from cadres.services import (
    cadre_create,
    cadre_move,
    cadre_reveal_national_id,
    cadre_update,
    validate_cadre_values,
)
from core.models import AuditEvent

BIRTH = dt.date(1988, 3, 9)
NATIONAL_ID = "37012419880309" + "002" + id_check_code("37012419880309002")  # F (even)
MASKED = "3701**********002" + id_check_code("37012419880309002")


@pytest.fixture(autouse=True)
def english():
    """Assert the msgids; the Chinese catalogs are checked by compile_translations."""
    with translation.override("en"):
        yield


def new_values(world, **overrides):
    values = dict(
        name="赵敏",
        gender="F",
        ethnicity="汉族",
        birth_date=BIRTH,
        national_id=NATIONAL_ID,
        native_place="山东平阴",
        party_join_date=dt.date(2010, 6, 1),
        work_start_date=dt.date(2010, 7, 1),
        education="bachelor",
        unit=world.township_a1,
        position="副镇长",
        post_type=PostType.LEADERSHIP,
        rank=Rank.SECTION_DEPUTY,
        rank_since=dt.date(2019, 5, 1),
        management_level=ManagementLevel.COUNTY,
        status="serving",
    )
    values.update(overrides)
    return values


def state():
    """Everything a refused call must leave untouched."""
    return (
        list(Cadre.objects.order_by("pk").values()),
        list(PositionRecord.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_cadre_create_writes_position_and_masked_audit_row(world, personas):
    cadre = cadre_create(actor=personas.clerk_a, values=new_values(world), reason="新任")

    assert cadre.name_pinyin == "zhaomin"
    assert list(
        cadre.positions.values(
            "start_date", "end_date", "unit", "unit_name", "title", "rank", "move"
        )
    ) == [
        {
            "start_date": dt.date(2019, 5, 1),
            "end_date": None,
            "unit": world.township_a1.pk,
            "unit_name": "甲县城关镇",
            "title": "副镇长",
            "rank": Rank.SECTION_DEPUTY,
            "move": MoveType.APPOINTED,
        }
    ]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id, event.reason) == (
        "cadre.create",
        personas.clerk_a,
        str(cadre.pk),
        "新任",
    )
    assert event.before is None
    assert event.after == {
        "name": "赵敏",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": "1988-03-09",
        "national_id": MASKED,
        "native_place": "山东平阴",
        "party_join_date": "2010-06-01",
        "work_start_date": "2010-07-01",
        "education": "bachelor",
        "unit_id": world.township_a1.pk,
        "position": "副镇长",
        "post_type": "leadership",
        "rank": 45,
        "rank_since": "2019-05-01",
        "management_level": "county",
        "status": "serving",
    }
    assert NATIONAL_ID not in json.dumps(event.after)


@pytest.mark.django_db
def test_cadre_create_lower_case_x_is_stored_upper_case(world, personas):
    first17 = next(
        f"370124198803090{n:02d}"
        for n in range(0, 100, 2)
        if id_check_code(f"370124198803090{n:02d}") == "X"
    )
    cadre = cadre_create(
        actor=personas.clerk_a, values=new_values(world, national_id=first17 + "x")
    )
    assert Cadre.objects.get(pk=cadre.pk).national_id == first17 + "X"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "overrides"),
    [
        ("clerk_a", {"unit": "township_b1"}),  # another county
        ("clerk_a", {"management_level": ManagementLevel.CITY}),  # a level it does not manage
        ("clerk_city", {}),  # city org dept: county-managed cadres are not its business
        ("discipline", {}),  # discipline staff read, they do not keep the roster
        ("auditor", {}),
        ("cadre_a1", {}),
        ("outsider", {}),
    ],
)
def test_cadre_create_refused_writes_nothing(world, personas, persona, overrides):
    overrides = {k: getattr(world, v) if k == "unit" else v for k, v in overrides.items()}
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_create(actor=getattr(personas, persona), values=new_values(world, **overrides))
    assert state() == before


@pytest.mark.django_db
def test_unit_hr_creates_county_managed_cadres_only(world, personas):
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_create(
            actor=personas.hr_a1,
            values=new_values(world, management_level=ManagementLevel.CITY),
        )
    assert state() == before
    cadre = cadre_create(actor=personas.hr_a1, values=new_values(world))
    assert (cadre.unit, cadre.management_level) == (world.township_a1, ManagementLevel.COUNTY)


@pytest.mark.django_db
def test_unit_hr_cannot_raise_the_management_level_or_move_a_city_managed_cadre(
    world, personas
):
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_update(
            world.cadre_a1,
            actor=personas.hr_a1,
            changes={"management_level": ManagementLevel.CITY},
        )
    city_managed = Cadre.objects.get(pk=world.cadre_a1.pk)
    Cadre.objects.filter(pk=city_managed.pk).update(management_level=ManagementLevel.CITY)
    with pytest.raises(PermissionDenied):
        cadre_move(
            city_managed,
            actor=personas.hr_a1,
            move=MoveType.LATERAL,
            on=dt.date(2024, 1, 1),
            unit=world.township_a1,
            title="党委委员",
            rank=Rank.PRINCIPAL_STAFF_4,
        )
    Cadre.objects.filter(pk=city_managed.pk).update(management_level=ManagementLevel.COUNTY)
    assert state() == before


@pytest.mark.django_db
def test_cadre_create_invalid_values_write_nothing(world, personas):
    before = state()
    bad = new_values(
        world,
        national_id=NATIONAL_ID[:-1] + ("0" if NATIONAL_ID[-1] != "0" else "1"),
        party_join_date=dt.date(2001, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        cadre_create(actor=personas.clerk_a, values=bad)
    assert caught.value.message_dict == {
        "national_id": ["The national ID number's check digit is wrong."],
        "party_join_date": ["Party membership before the age of 18 is impossible."],
    }
    assert state() == before


def test_validate_cadre_values_birth_and_gender_must_match_id():
    errors = validate_cadre_values(
        {"national_id": NATIONAL_ID, "birth_date": dt.date(1988, 3, 10), "gender": "M"},
        today=dt.date(2026, 1, 1),
    )
    assert errors == {
        "birth_date": "The birth date differs from the one in the national ID number.",
        "gender": "The gender differs from the one in the national ID number.",
    }


@pytest.mark.django_db
def test_cadre_update_audits_only_the_diff(world, personas):
    cadre_update(
        world.cadre_a1,
        actor=personas.clerk_a,
        changes={"position": "党政综合办主任", "ethnicity": "汉族"},
        reason="更正",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.before, event.after, event.reason) == (
        "cadre.update",
        {"position": "科员"},
        {"position": "党政综合办主任"},
        "更正",
    )
    assert Cadre.objects.get(pk=world.cadre_a1.pk).position == "党政综合办主任"


@pytest.mark.django_db
def test_cadre_audit_rows_carry_the_authority_covering_the_cadre_afterwards(world, personas):
    cadre = cadre_create(actor=personas.clerk_a, values=new_values(world))
    cadre_update(cadre, actor=personas.clerk_a, changes={"position": "镇长"})
    cadre_reveal_national_id(cadre, actor=personas.admin)
    cadre_move(
        cadre,
        actor=personas.admin,
        move=MoveType.LATERAL,
        on=dt.date(2024, 1, 1),
        unit=world.township_b1,  # county-managed in 乙区: no organization department here
        title="副主任",
        rank=Rank.SECTION_DEPUTY,
    )
    cadre_update(
        cadre,
        actor=personas.admin,
        changes={"unit": world.bureau, "management_level": ManagementLevel.CITY},
    )
    assert list(AuditEvent.objects.order_by("id").values_list("action", "authority_id")) == [
        ("cadre.create", world.county_a_org.pk),
        ("cadre.update", world.county_a_org.pk),
        ("cadre.national_id.reveal", world.county_a_org.pk),
        ("cadre.move.lateral", None),
        ("cadre.update", world.city_org.pk),
    ]


@pytest.mark.django_db
def test_cadre_update_without_change_writes_no_audit_row(world, personas):
    cadre_update(world.cadre_a1, actor=personas.hr_a1, changes={"position": "科员"})
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_cadre_update_masks_id_in_diff(world, personas):
    old = world.cadre_a1.national_id
    new = old[:14] + "997" + id_check_code(old[:14] + "997")  # odd: still male
    cadre_update(world.cadre_a1, actor=personas.clerk_a, changes={"national_id": new})
    event = AuditEvent.objects.get()
    assert event.before == {"national_id": old[:4] + "*" * 10 + old[-4:]}
    assert event.after == {"national_id": new[:4] + "*" * 10 + new[-4:]}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["clerk_city", "discipline", "auditor", "cadre_a1", "outsider"])
def test_cadre_update_refused_writes_nothing(world, personas, persona):
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_update(world.cadre_a1, actor=getattr(personas, persona), changes={"position": "镇长"})
    assert state() == before


@pytest.mark.django_db
def test_cadre_update_moving_to_unit_out_of_reach_refused(world, personas):
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_update(world.cadre_a1, actor=personas.clerk_a, changes={"unit": world.township_b1})
    assert state() == before


@pytest.mark.django_db
def test_cadre_update_invalid_values_write_nothing(world, personas):
    before = state()
    with pytest.raises(ValidationError) as caught:
        cadre_update(
            world.cadre_a1, actor=personas.clerk_a, changes={"rank_since": dt.date(1990, 1, 1)}
        )
    assert caught.value.message_dict == {
        "rank_since": ["Reaching the current rank before the age of 16 is impossible."]
    }
    assert state() == before


@pytest.mark.django_db
def test_cadre_move_closes_open_position_and_opens_next(world, personas):
    cadre = cadre_create(actor=personas.clerk_a, values=new_values(world))
    on = dt.date(2024, 1, 2)
    record = cadre_move(
        cadre,
        actor=personas.clerk_a,
        move=MoveType.PROMOTED,
        on=on,
        unit=world.township_a1,
        title="镇长",
        rank=Rank.SECTION_CHIEF,
        document_ref="甲组任〔2024〕1号",
        reason="换届",
    )

    history = list(
        cadre.positions.order_by("start_date").values_list(
            "start_date", "end_date", "title", "rank", "move", "document_ref"
        )
    )
    assert history == [
        (dt.date(2019, 5, 1), on, "副镇长", Rank.SECTION_DEPUTY, MoveType.APPOINTED, ""),
        (on, None, "镇长", Rank.SECTION_CHIEF, MoveType.PROMOTED, "甲组任〔2024〕1号"),
    ]
    assert record.pk == cadre.positions.get(end_date__isnull=True).pk
    cadre.refresh_from_db()
    assert (cadre.position, cadre.rank, cadre.rank_since) == ("镇长", Rank.SECTION_CHIEF, on)
    event = AuditEvent.objects.filter(action="cadre.move.promoted").get()
    assert event.before == {"position": "副镇长", "rank": 45, "rank_since": "2019-05-01"}
    assert event.after == {"position": "镇长", "rank": 65, "rank_since": "2024-01-02"}
    assert event.reason == "换届"


@pytest.mark.django_db
def test_cadre_move_lateral_keeps_rank_since(world, personas):
    cadre = cadre_create(actor=personas.clerk_a, values=new_values(world))
    cadre_move(
        cadre,
        actor=personas.clerk_a,
        move=MoveType.LATERAL,
        on=dt.date(2023, 3, 1),
        unit=world.county_a,
        title="县财政局副局长",
        rank=Rank.SECTION_DEPUTY,
    )
    cadre.refresh_from_db()
    assert (cadre.unit, cadre.rank_since) == (world.county_a, dt.date(2019, 5, 1))
    assert AuditEvent.objects.filter(action="cadre.move.lateral").get().after == {
        "unit_id": world.county_a.pk,
        "position": "县财政局副局长",
    }


@pytest.mark.django_db
def test_cadre_move_before_current_position_refused(world, personas):
    cadre = cadre_create(actor=personas.clerk_a, values=new_values(world))
    before = state()
    with pytest.raises(ValidationError) as caught:
        cadre_move(
            cadre,
            actor=personas.clerk_a,
            move=MoveType.PROMOTED,
            on=dt.date(2019, 4, 30),
            unit=world.township_a1,
            title="镇长",
            rank=Rank.SECTION_CHIEF,
        )
    assert caught.value.message_dict == {
        "on": ["The move cannot precede the start of the current position."]
    }
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "unit"),
    [
        ("clerk_a", "township_b1"),  # may move the cadre, not into another county
        ("discipline", "township_a1"),
        ("auditor", "township_a1"),
        ("outsider", "township_a1"),
    ],
)
def test_cadre_move_refused_writes_nothing(world, personas, persona, unit):
    cadre = cadre_create(actor=personas.clerk_a, values=new_values(world))
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_move(
            cadre,
            actor=getattr(personas, persona),
            move=MoveType.LATERAL,
            on=dt.date(2024, 1, 2),
            unit=getattr(world, unit),
            title="副镇长",
            rank=Rank.SECTION_DEPUTY,
        )
    assert state() == before


@pytest.mark.django_db
def test_cadre_reveal_national_id_is_audited(world, personas):
    number = cadre_reveal_national_id(world.cadre_a1, actor=personas.admin, reason="核对身份")
    assert number == world.cadre_a1.national_id
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id, event.reason, event.after) == (
        "cadre.national_id.reveal",
        personas.admin,
        str(world.cadre_a1.pk),
        "核对身份",
        None,
    )


@pytest.mark.django_db
def test_cadre_reveal_national_id_with_object_permission(world, personas):
    assign_perm("cadres.reveal_national_id", personas.clerk_a, world.cadre_a1)
    assert cadre_reveal_national_id(world.cadre_a1, actor=personas.clerk_a) == (
        world.cadre_a1.national_id
    )
    assert AuditEvent.objects.filter(action="cadre.national_id.reveal").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["clerk_a", "hr_a1", "cadre_a1", "auditor", "outsider"])
def test_cadre_reveal_national_id_refused_writes_nothing(world, personas, persona):
    before = state()
    with pytest.raises(PermissionDenied):
        cadre_reveal_national_id(world.cadre_a1, actor=getattr(personas, persona))
    assert state() == before
