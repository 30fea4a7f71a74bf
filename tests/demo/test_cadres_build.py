"""Pure generation of the demo province (demo.cadres_build): the unit tree, materialized
paths as treebeard builds them, the posts spread over the units, and invented cadres whose
ID numbers, ages, levels and careers agree with the cadre rules. No database."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from cadres.enums import ManagementLevel, MoveType, PostType, Rank, UnitKind
from cadres.models import Unit
from cadres.rules import parse_id_number
from demo import cadres_data as D
from demo.cadres_build import COUNTY_CODES, PeopleMaker, Slot, assign_paths, plan_slots, unit_specs

ANCHOR = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def specs():
    specs = unit_specs()
    assign_paths(specs, "0001")
    return specs


def test_the_tree_lists_parents_before_children(specs):
    seen = set()
    for spec in specs:
        assert spec.parent is None or spec.parent in seen, spec.code
        seen.add(spec.code)
    assert len(seen) == len(specs) == 110
    assert (specs[0].code, specs[0].kind, specs[1].name) == ("37", UnitKind.PROVINCE, "济南市")
    assert COUNTY_CODES == {code for code, *_rest in D.COUNTIES}


def test_paths_are_treebeards_with_siblings_by_code(specs):
    by_code = {s.code: s for s in specs}
    city = by_code[D.CITY_CODE]
    assert (city.path, city.depth) == (Unit._get_path("0001", 2, 1), 2)
    for spec in specs[1:]:
        parent = by_code[spec.parent]
        assert spec.path.startswith(parent.path) and spec.depth == parent.depth + 1
    assert len({s.path for s in specs}) == len(specs)
    counts = Counter(s.parent for s in specs if s.parent)
    assert all(by_code[code].numchild == n for code, n in counts.items())
    siblings = sorted((s for s in specs if s.parent == D.CITY_CODE), key=lambda s: s.path)
    assert [s.code for s in siblings] == sorted(s.code for s in siblings)


def test_posts_are_planned_round_after_round_and_deterministically(specs):
    plan = plan_slots(specs, 300, random.Random(7))
    again = plan_slots(specs, 300, random.Random(7))
    assert len(plan) == 300
    assert [(s.unit.code, s.title) for s in plan] == [(s.unit.code, s.title) for s in again]
    assert all("{" not in slot.title for slot in plan)  # {head} and {k} filled in
    assert all(not s.principal or s.post_type == PostType.LEADERSHIP for s in plan)
    first = plan[0]
    assert first.title == D.SLOTS[first.unit.slots][0][0].format(head=first.unit.head,
                                                                  k=first.unit.k)


def test_more_posts_than_the_tables_hold_are_extra_grades_never_in_villages(specs):
    plan = plan_slots(specs, 3000, random.Random(1))
    assert len(plan) == 3000
    per_unit = Counter(s.unit.code for s in plan)
    villages = [s for s in specs if s.slots in ("village", "community")]
    assert all(per_unit[v.code] <= len(D.SLOTS[v.slots]) for v in villages)
    extra = {title for table in D.EXTRA_SLOTS.values() for title, _r, _p in table}
    assert extra & {s.title for s in plan}


@pytest.fixture(scope="module")
def people(specs):
    maker = PeopleMaker(specs, random.Random(11), ANCHOR)
    plan = plan_slots(specs, 400, random.Random(11))
    return maker, [(slot, *maker.cadre(slot, i)) for i, slot in enumerate(plan)]


def test_invented_cadres_pass_the_id_rules_and_agree_with_their_post(people):
    _maker, made = people
    ids = [values["national_id"] for _slot, values, _history in made]
    assert len(set(ids)) == len(ids)
    for slot, values, _history in made:
        info = parse_id_number(values["national_id"])
        assert (info.birth_date, info.gender) == (values["birth_date"], values["gender"])
        assert values["native_place"] == D.REGIONS[values["national_id"][:6]]
        assert (values["rank"], values["position"], values["post_type"]) == (
            slot.rank, slot.title, slot.post_type,
        )
        assert values["management_level"] == D.management_level_for(slot.rank)
        lo, hi = D.AGE_RANGE[slot.rank]
        assert lo <= ANCHOR.year - values["birth_date"].year - 1 <= hi
        assert values["work_start_date"] < ANCHOR


def test_careers_run_in_order_and_end_in_the_post(people):
    _maker, made = people
    for slot, values, history in made:
        assert 2 <= len(history) <= 5
        starts = [r["start_date"] for r in history]
        assert starts == sorted(starts)
        assert [r["end_date"] for r in history] == [*starts[1:], None]
        last = history[-1]
        assert (last["unit"], last["title"], last["rank"]) == (slot.unit, slot.title, slot.rank)
        assert history[0]["document_ref"] == ""
        assert all(r["document_ref"].endswith("号") for r in history[1:])
        assert values["rank_since"] <= ANCHOR
        assert history[0]["move"] in (MoveType.APPOINTED, MoveType.PROMOTED)


def test_a_rare_character_every_forty_names():
    maker = PeopleMaker([], random.Random(3), ANCHOR)
    assert maker.name("M", 3)[-1] == D.RARE_CHARS[0]
    assert maker.name("F", 43)[-1] == D.RARE_CHARS[1]


def test_document_references_name_the_appointing_authority(specs):
    maker = PeopleMaker(specs, random.Random(5), ANCHOR)
    county_code, _name, _kind, short, _towns = D.COUNTIES[0]
    unit = next(s for s in specs if s.area == county_code)
    on = dt.date(2020, 5, 1)
    assert maker.document_ref(unit, ManagementLevel.COUNTY, on).startswith(f"{short}任〔2020〕")
    assert maker.document_ref(unit, ManagementLevel.CITY, on).startswith("济组任〔2020〕")
    assert maker.document_ref(unit, ManagementLevel.PROVINCE, on).startswith("鲁组任〔2020〕")


def test_a_grade_reached_from_a_leadership_post_ends_the_career(specs):
    unit = next(s for s in specs if s.slots == "county_dept")
    slot = Slot(unit, "一级主任科员", Rank.PRINCIPAL_STAFF_1, PostType.NON_LEADERSHIP, False)
    for seed in range(60):
        ranks, moves = PeopleMaker(specs, random.Random(seed), ANCHOR).ranks(slot, 4)
        assert len(ranks) == len(moves) == 4 and ranks[-1] == Rank.PRINCIPAL_STAFF_1
        if moves[-1] == MoveType.TO_NON_LEADERSHIP:
            assert ranks[-2] == D.FORMER_LEADERSHIP[Rank.PRINCIPAL_STAFF_1]
            break
    else:
        pytest.fail("no career changed to a non-leadership post in 60 seeds")
