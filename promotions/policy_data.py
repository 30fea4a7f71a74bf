"""Up/down policy content: the seed defaults (Shaanxi seed 003, Jinan seed 000) and parsing.

Every number here is a default of versioned policy data (promotions.PromotionPolicy): an
administrator drafts a new version with other numbers and publishes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.policies import PolicyDataError

from .policy_jinan_data import EXCEPTIONAL, GROUNDS, INCOMPETENT_GRADE

DEFAULT_CONTENT: dict[str, Any] = {
    "format": 1,
    "target": {"average_years": 2, "poor_years": 1, "roles": ["principal"]},
    "monitoring": {
        "consecutive_years": 2,
        "county_largest_drops": 3,
        "district_largest_drops": 1,
        "roles": ["principal"],
    },
    "poverty": {"roles": ["principal"]},
    "environment": {
        "severities": ["especially_serious", "serious"],
        "roles": ["principal", "in_charge", "other"],
    },
    "work_safety": {
        "per_year": {"especially_serious": 1, "serious": 2},
        "roles": ["principal", "in_charge"],
    },
    "stability": {
        "per_year": {"especially_serious": 1, "serious": 2},
        "roles": ["principal", "in_charge", "other"],
    },
    "party_building": {
        "criticized_by": ["central", "provincial"],
        "roles": ["principal", "in_charge", "other"],
    },
    "eligibility": {
        "min_years_in_rank": 3,
        "grade_years": 3,
        "excellent_needed": 2,
        "team_priority_grade": "good",
    },
    "bonus": {
        "top_counties": 10,
        "top_districts": 5,
        "first_place": 100,
        "first_entry": 100,
        "base": 50,
        "per_place": 10,
    },
    # Jinan (seed 000, 004): staff-proposed grounds, the grade rule, exceptional promotion.
    "grounds": GROUNDS,
    "incompetent_grade": INCOMPETENT_GRADE,
    "exceptional": EXCEPTIONAL,
    # 十佳县(市、区)党政正职 (seed 003): weighted results; parsed by promotions.outstanding_rules
    "outstanding": {
        "count": 10,
        "weights": {"target": 40, "monitoring": 30, "rank_gain": 10, "poverty": 20},
        "target_points": {"excellent": 100, "good": 80, "average": 50, "poor": 0},
        "points_per_place_gained": 10,
    },
}


TRIGGER_SECTIONS = (
    "target", "monitoring", "poverty", "environment", "work_safety", "stability",
    "party_building",
)
NO_BONUS = {
    "top_counties": 0, "top_districts": 0, "first_place": 0, "first_entry": 0, "base": 0,
    "per_place": 0,
}
ABSENT = {  # neutral values for a trigger section a measure does not have: nothing fires
    "target": {"average_years": 0, "poor_years": 0, "roles": []},
    "monitoring": {
        "consecutive_years": 0, "county_largest_drops": 0, "district_largest_drops": 0,
        "roles": [],
    },
    "poverty": {"roles": []},
    "environment": {"severities": [], "roles": []},
    "work_safety": {"per_year": {}, "roles": []},
    "stability": {"per_year": {}, "roles": []},
    "party_building": {"criticized_by": [], "roles": []},
}


@dataclass(frozen=True)
class CountRule:
    per_year: dict[str, int]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Terms:
    """The parsed policy: what the pure rules (promotions.{triggers,incentives,exceptional}.rules)
    read."""

    target_average_years: int
    target_poor_years: int
    target_roles: tuple[str, ...]
    monitoring_years: int
    county_largest_drops: int
    district_largest_drops: int
    monitoring_roles: tuple[str, ...]
    poverty_roles: tuple[str, ...]
    environment_severities: tuple[str, ...]
    environment_roles: tuple[str, ...]
    work_safety: CountRule
    stability: CountRule
    criticized_by: tuple[str, ...]
    party_roles: tuple[str, ...]
    min_years_in_rank: int
    grade_years: int
    excellent_needed: int
    team_priority_grade: str
    top_counties: int
    top_districts: int
    bonus_first_place: int
    bonus_first_entry: int
    bonus_base: int
    bonus_per_place: int
    # Which of the seven trigger areas (seed 003) the measure has, and whether it has the
    # 十强县 bonus: a measure without them (Jinan's, seed 000/004) simply fires no such trigger
    # and grants no bonus, rather than borrowing another province's numbers.
    areas: frozenset[str] = frozenset(TRIGGER_SECTIONS)
    has_bonus: bool = True


def _positive(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PolicyDataError(f"{name} must be a whole number ≥ 0")
    return value


def _roles(section: dict, name: str, *, absent: bool = False) -> tuple[str, ...]:
    roles = section.get("roles")
    if absent:
        return ()
    if not isinstance(roles, list) or not roles:
        raise PolicyDataError(f"{name}.roles must be a non-empty list")
    return tuple(roles)


def terms_from_data(data: Any) -> Terms:
    if not isinstance(data, dict) or data.get("format") != 1:
        raise PolicyDataError("content must be an object with format 1")
    areas = frozenset(k for k in TRIGGER_SECTIONS if k in data)
    data = {**ABSENT, "bonus": NO_BONUS, **data}
    gone = {k: k not in areas for k in TRIGGER_SECTIONS}
    try:
        t, m, e = data["target"], data["monitoring"], data["eligibility"]
        b, env, party = data["bonus"], data["environment"], data["party_building"]
        return Terms(
            target_average_years=_positive(t["average_years"], "target.average_years"),
            target_poor_years=_positive(t["poor_years"], "target.poor_years"),
            target_roles=_roles(t, "target", absent=gone["target"]),
            monitoring_years=_positive(m["consecutive_years"], "monitoring.consecutive_years"),
            county_largest_drops=_positive(m["county_largest_drops"], "county_largest_drops"),
            district_largest_drops=_positive(m["district_largest_drops"], "district_largest_drops"),
            monitoring_roles=_roles(m, "monitoring", absent=gone["monitoring"]),
            poverty_roles=_roles(data["poverty"], "poverty", absent=gone["poverty"]),
            environment_severities=tuple(env["severities"]),
            environment_roles=_roles(env, "environment", absent=gone["environment"]),
            work_safety=CountRule(
                {k: _positive(v, k) for k, v in data["work_safety"]["per_year"].items()},
                _roles(data["work_safety"], "work_safety", absent=gone["work_safety"]),
            ),
            stability=CountRule(
                {k: _positive(v, k) for k, v in data["stability"]["per_year"].items()},
                _roles(data["stability"], "stability", absent=gone["stability"]),
            ),
            criticized_by=tuple(party["criticized_by"]),
            party_roles=_roles(party, "party_building", absent=gone["party_building"]),
            min_years_in_rank=_positive(e["min_years_in_rank"], "min_years_in_rank"),
            grade_years=_positive(e["grade_years"], "grade_years"),
            excellent_needed=_positive(e["excellent_needed"], "excellent_needed"),
            team_priority_grade=str(e["team_priority_grade"]),
            top_counties=_positive(b["top_counties"], "top_counties"),
            top_districts=_positive(b["top_districts"], "top_districts"),
            bonus_first_place=_positive(b["first_place"], "first_place"),
            bonus_first_entry=_positive(b["first_entry"], "first_entry"),
            bonus_base=_positive(b["base"], "base"),
            bonus_per_place=_positive(b["per_place"], "per_place"),
            areas=areas,
            has_bonus=b is not NO_BONUS,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise PolicyDataError(f"content is malformed: {exc}") from exc


DEFAULT_TERMS = terms_from_data(DEFAULT_CONTENT)
