"""The demo data tables (demo.cadres_data): the management level of a rank, and tables that
agree with each other and with the cadre enums, so a seeded province always validates."""

from __future__ import annotations

import pytest

from cadres.enums import ManagementLevel, PostType, Rank
from core.enums import Role
from demo import cadres_data as D


@pytest.mark.parametrize(
    ("rank", "level"),
    [
        (Rank.CLERK_2, ManagementLevel.COUNTY),
        (Rank.SECTION_CHIEF, ManagementLevel.COUNTY),
        (Rank.PRINCIPAL_STAFF_1, ManagementLevel.COUNTY),
        (Rank.RESEARCHER_4, ManagementLevel.CITY),
        (Rank.COUNTY_CHIEF, ManagementLevel.CITY),
        (Rank.INSPECTOR_2, ManagementLevel.PROVINCE),
        (Rank.BUREAU_CHIEF, ManagementLevel.PROVINCE),
    ],
)
def test_the_management_level_follows_the_rank(rank, level):
    assert D.management_level_for(rank) == level


def test_every_rank_has_an_age_range_that_makes_sense():
    # every rank a city has (no ministerial ones)
    assert set(D.AGE_RANGE) == {rank for rank in Rank.values if rank <= Rank.BUREAU_CHIEF}
    assert [r for r, (lo, hi) in D.AGE_RANGE.items() if not 18 <= lo < hi <= 60] == []


def test_every_post_in_the_slot_tables_is_a_known_rank_and_post_type():
    posts = [post for table in (*D.SLOTS.values(), *D.EXTRA_SLOTS.values()) for post in table]
    assert {rank for _title, rank, _post in posts} <= set(D.AGE_RANGE)  # ages to draw from
    assert {post for _title, _rank, post in posts} <= set(PostType.values)
    assert {unit_slots for unit_slots in D.SLOTS} >= {"city", "village", "community"}


def test_the_ladders_climb_and_the_former_levels_are_leadership_levels():
    for ladder in (D.LEADERSHIP_LADDER, D.GRADE_LADDER):
        assert ladder == sorted(ladder)
        assert len(set(ladder)) == len(ladder)
    assert set(D.FORMER_LEADERSHIP) <= set(D.GRADE_LADDER)
    assert set(D.FORMER_LEADERSHIP.values()) <= set(D.LEADERSHIP_LADDER)


def test_regions_are_six_digit_codes_of_shandong():
    assert all(len(code) == 6 and code.isdigit() for code in D.REGIONS)
    assert {place[:2] for place in D.REGIONS.values()} == {"山东"}


def test_every_county_has_its_own_authority():
    names = [name for name, *_rest in D.AUTHORITIES]
    assert len(names) == len(set(names)) == 4 + len(D.COUNTIES)
    shorts = [short for _name, short, *_rest in D.AUTHORITIES]
    assert len(shorts) == len(set(shorts))


def test_demo_users_have_real_roles_and_one_login_per_role():
    roles = [role for _username, role, _name, _scope in D.DEMO_USERS]
    assert set(roles) <= set(Role.values)
    assert len(roles) == len(set(roles))


def test_rare_characters_lie_outside_gb2312():
    for char in D.RARE_CHARS:
        with pytest.raises(UnicodeEncodeError):
            char.encode("gb2312")
