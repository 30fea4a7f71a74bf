"""Parsing Jinan's sections of an up/down policy version (grounds, grade rule, 破格提拔).

The sections are optional: a version without one simply has no such catalog or rule (an
authority's own measures may not include them). Present but malformed is an error, raised
as promotions.policy_data.PolicyDataError so that PromotionPolicy.clean reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessments.enums import Grade

from .enums import TriggerArea
from .policy_data import PolicyDataError

EXCEPTIONAL_CHECKS = frozenset({"", "grades"})
WAIVABLE = frozenset({"years_in_rank", "rank_step"})


@dataclass(frozen=True)
class Situation:
    code: str
    title: str
    source: str = ""
    check: str = ""  # "grades": the situation is checked against the cadre's annual grades


@dataclass(frozen=True)
class Ground:
    code: str  # a TriggerArea.ground_areas() value
    title: str
    source: str
    situations: tuple[Situation, ...]

    def situation(self, code: str) -> Situation | None:
        return next((s for s in self.situations if s.code == code), None)


@dataclass(frozen=True)
class ExceptionalTerms:
    situations: tuple[Situation, ...]
    waivable: frozenset[str]
    ladder: tuple[int, ...]  # leadership ranks, ascending
    declared_situations: int  # how many situations the measures declare (Jinan: 12)

    def situation(self, code: str) -> Situation | None:
        return next((s for s in self.situations if s.code == code), None)


@dataclass(frozen=True)
class JinanTerms:
    grounds: tuple[Ground, ...]
    incompetent_grades: frozenset[str]  # empty: the grade rule is not in this version
    exceptional: ExceptionalTerms | None

    def ground(self, code: str) -> Ground | None:
        return next((g for g in self.grounds if g.code == code), None)


def _text(value: Any, name: str, *, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise PolicyDataError(f"{name} must be a non-empty text")
    return value.strip()


def _situations(items: Any, name: str, *, checks: frozenset[str] = frozenset({""})) -> tuple:
    if not isinstance(items, list):
        raise PolicyDataError(f"{name} must be a list")
    found, codes = [], set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise PolicyDataError(f"{name}[{i}] must be an object")
        code = _text(item.get("code"), f"{name}[{i}].code")
        if code in codes:
            raise PolicyDataError(f"{name}: code {code} appears twice")
        codes.add(code)
        check = item.get("check", "") or ""
        if check not in checks:
            raise PolicyDataError(f"{name}[{i}].check {check!r} is unknown")
        found.append(
            Situation(
                code=code,
                title=_text(item.get("title"), f"{name}[{i}].title"),
                source=_text(item.get("source", ""), f"{name}[{i}].source", required=False),
                check=check,
            )
        )
    return tuple(found)


def _grounds(items: Any) -> tuple[Ground, ...]:
    if not isinstance(items, list):
        raise PolicyDataError("grounds must be a list")
    found: list[Ground] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise PolicyDataError(f"grounds[{i}] must be an object")
        code = item.get("code")
        if code not in TriggerArea.ground_areas():
            raise PolicyDataError(f"grounds[{i}].code {code!r} is not one of Jinan's grounds")
        if any(g.code == code for g in found):
            raise PolicyDataError(f"grounds: {code} appears twice")
        found.append(
            Ground(
                code=code,
                title=_text(item.get("title"), f"grounds[{i}].title"),
                source=_text(item.get("source", ""), f"grounds[{i}].source", required=False),
                situations=_situations(item.get("situations", []), f"grounds[{i}].situations"),
            )
        )
    return tuple(found)


def _grade_rule(section: Any) -> frozenset[str]:
    if not isinstance(section, dict) or not isinstance(section.get("grades"), list):
        raise PolicyDataError("incompetent_grade.grades must be a list")
    grades = frozenset(section["grades"])
    unknown = grades - set(Grade.values)
    if unknown:
        raise PolicyDataError(f"incompetent_grade.grades: unknown {sorted(unknown)}")
    return grades


def _exceptional(section: Any) -> ExceptionalTerms:
    if not isinstance(section, dict):
        raise PolicyDataError("exceptional must be an object")
    waivable = section.get("waivable", [])
    if not isinstance(waivable, list) or set(waivable) - WAIVABLE:
        raise PolicyDataError(f"exceptional.waivable must list some of {sorted(WAIVABLE)}")
    ladder = section.get("ladder")
    if (
        not isinstance(ladder, list)
        or not ladder
        or not all(isinstance(r, int) and not isinstance(r, bool) for r in ladder)
        or ladder != sorted(set(ladder))
    ):
        raise PolicyDataError("exceptional.ladder must be ascending whole-number ranks")
    declared = section.get("declared_situations", 0)
    if not isinstance(declared, int) or isinstance(declared, bool) or declared < 0:
        raise PolicyDataError("exceptional.declared_situations must be a whole number ≥ 0")
    return ExceptionalTerms(
        situations=_situations(
            section.get("situations"), "exceptional.situations", checks=EXCEPTIONAL_CHECKS
        ),
        waivable=frozenset(waivable),
        ladder=tuple(ladder),
        declared_situations=declared,
    )


def jinan_terms(content: Any) -> JinanTerms:
    """The Jinan sections of a policy's content (PolicyDataError if malformed)."""
    if not isinstance(content, dict):
        raise PolicyDataError("content must be an object")
    return JinanTerms(
        grounds=_grounds(content["grounds"]) if "grounds" in content else (),
        incompetent_grades=(
            _grade_rule(content["incompetent_grade"])
            if "incompetent_grade" in content
            else frozenset()
        ),
        exceptional=_exceptional(content["exceptional"]) if "exceptional" in content else None,
    )
