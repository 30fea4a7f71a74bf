"""Pooled excellent quotas (合并计算) for small units: pure rules over plain values.

A quota policy may pool small units: the units of its kind with fewer graded cadres than
`below`, under the same superior unit of kind `level`, share one quota computed on their
graded cadres together, so that a unit of five is not locked at zero places. A unit at or
above the limit keeps its own quota.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .rules import Quota, QuotaTerms, excellent_quota


@dataclass(frozen=True)
class PoolRule:
    below: int  # units with fewer graded cadres than this pool
    level: str  # cadres.enums.UnitKind of the superior unit they pool under


@dataclass(frozen=True)
class PoolMember:
    unit_id: int
    name: str
    graded: int  # participants: every grade but 不定等次
    excellent: int


@dataclass(frozen=True)
class PoolCheck:
    name: str  # the pool's name: the superior unit's
    members: tuple[PoolMember, ...]
    quota: Quota

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def excellent(self) -> int:
        return sum(m.excellent for m in self.members)

    @property
    def within(self) -> bool:
        return self.excellent <= self.quota.allowed

    @property
    def excess(self) -> int:
        return max(0, self.excellent - self.quota.allowed)


def pooled(rule: PoolRule | None, graded: int) -> bool:
    """Does a unit with `graded` participants pool under `rule`?"""
    return rule is not None and graded < rule.below


def pool_check(
    rule: PoolRule, name: str, members: Iterable[PoolMember], terms: QuotaTerms
) -> PoolCheck:
    """The pooled quota of the members that are small enough to pool (others are dropped)."""
    small = tuple(
        sorted((m for m in members if pooled(rule, m.graded)), key=lambda m: (m.name, m.unit_id))
    )
    quota = excellent_quota(sum(m.graded for m in small), terms)
    return PoolCheck(name, small, quota)
