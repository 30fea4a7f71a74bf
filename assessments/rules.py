"""Pure assessment rules: plain values and policy objects in, explained results out.

No ORM here. Every number a seed states comes in as a policy object built from versioned
policy data, never a constant in the logic: the excellent quota (seed 002: 20% for
township/street civil servants; models.QuotaPolicy), the "rotating excellent" and "everyone
competent" detections (seeds 000/002; models.DetectionPolicy), the quarterly check-up's
warning thresholds (seed 001). The set-based versions of the two
detections in assessments/reports.py follow the same definitions (tested against these).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .enums import CheckupSource, CriticizedBy, Dimension, Grade, IncidentKind, Rating, Rounding

_ROUNDING = {
    Rounding.FLOOR: ROUND_FLOOR,
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.CEIL: ROUND_CEILING,
}


# ---------------------------------------------------------------- excellent quota


@dataclass(frozen=True)
class QuotaTerms:
    """The part of a quota policy the arithmetic needs (QuotaPolicy.terms() builds it)."""

    share: Decimal  # e.g. Decimal("0.20")
    rounding: str = Rounding.FLOOR
    source: str = ""  # which document or policy row, shown with the quota


@dataclass(frozen=True)
class Quota:
    participants: int  # graded cadres: everyone but 不定等次
    share: Decimal
    rounding: str
    exact: Decimal  # share × participants before rounding
    allowed: int  # at most this many 优秀
    source: str = ""


def participants(grades: Iterable[str]) -> int:
    """Cadres who take part in the quota base: every grade except 不定等次 (not graded)."""
    return sum(1 for g in grades if g != Grade.NOT_GRADED)


def excellent_quota(participant_count: int, terms: QuotaTerms) -> Quota:
    """At most round(share × participants) excellent grades, rounded as the policy says.

    Decimal arithmetic: 0.1 × 30 is exactly 3 (a float gives 3.0000000000000004, which
    rounding up would turn into 4).
    """
    if participant_count < 0:
        raise ValueError("participants cannot be negative")
    share = Decimal(terms.share)
    if not Decimal(0) <= share <= Decimal(1):
        raise ValueError("the share must lie between 0 and 1")
    exact = share * participant_count
    allowed = int(exact.quantize(Decimal(1), rounding=_ROUNDING[Rounding(terms.rounding)]))
    return Quota(participant_count, share, terms.rounding, exact, allowed, terms.source)


@dataclass(frozen=True)
class QuotaCheck:
    quota: Quota
    excellent: int

    @property
    def within(self) -> bool:
        return self.excellent <= self.quota.allowed

    @property
    def excess(self) -> int:
        return max(0, self.excellent - self.quota.allowed)


def check_quota(grades: Iterable[str], terms: QuotaTerms) -> QuotaCheck:
    grades = list(grades)
    quota = excellent_quota(participants(grades), terms)
    return QuotaCheck(quota, sum(1 for g in grades if g == Grade.EXCELLENT))


# ---------------------------------------------------------------- exemption


def needs_exemption_reason(grade: str, exempted_matters: int) -> bool:
    """A grade below 称职 in a year in which an accountability matter of the cadre was
    exempted (容错免责: "not affected in assessment", seed 003) needs a written reason."""
    return grade in Grade.below_competent() and exempted_matters > 0


# ---------------------------------------------------------------- county monitoring rank


@dataclass(frozen=True)
class RankChange:
    previous: int | None
    current: int
    places: int | None  # positive: places gained (进位); negative: lost (退位)

    @property
    def magnitude(self) -> int:
        return abs(self.places or 0)

    @property
    def direction(self) -> str:
        """ "up" (进位), "down" (退位), "same" or "new" (no rank last year)."""
        if self.places is None:
            return "new"
        if self.places > 0:
            return "up"
        if self.places < 0:
            return "down"
        return "same"


def rank_change(previous: int | None, current: int) -> RankChange:
    """Rank 1 is best, so moving from 5th to 2nd gains 3 places."""
    if current < 1 or (previous is not None and previous < 1):
        raise ValueError("ranks start at 1")
    return RankChange(previous, current, None if previous is None else previous - current)


def rank_problems(ranks: Mapping[int, int]) -> list[str]:
    """A group's ranks for one year (unit → rank) must be 1..n, each once."""
    values = sorted(ranks.values())
    problems = []
    duplicates = sorted(v for v, n in Counter(values).items() if n > 1)
    if duplicates:
        problems.append("duplicate:" + ",".join(map(str, duplicates)))
    missing = sorted(set(range(1, len(values) + 1)) - set(values))
    if missing:
        problems.append("gap:" + ",".join(map(str, missing)))
    return problems


# ---------------------------------------------------------------- poverty alleviation


def poverty_target_met(target: int, achieved: int | None) -> bool | None:
    """Met when the year's reduction reaches the target; None while no result is in."""
    if target < 0 or (achieved is not None and achieved < 0):
        raise ValueError("targets and results cannot be negative")
    if achieved is None:
        return None
    return achieved >= target


# ---------------------------------------------------------------- rotating excellent

UnitGrades = Mapping[int, Mapping[int, str]]  # year → cadre id → grade (one unit)


@dataclass(frozen=True)
class RotationPolicy:
    """Parameters of the "rotating excellent" (优秀轮流当 / 轮流坐庄) detection; the values
    come from the policy in force (models.DetectionPolicy, seeded by migration 0003)."""

    window_years: int
    max_awards_per_person: int
    min_rotating_awards: int
    min_coverage: Decimal


@dataclass(frozen=True)
class RotationFinding:
    flagged: bool
    years: tuple[int, ...]
    fixed: tuple[int, ...]  # excellent in every year of the window ("主要领导年年评优")
    sequence: tuple[tuple[int, tuple[int, ...]], ...]  # (year, rotating holders)
    rotating_awards: int
    holders: int  # distinct rotating holders
    members: int  # distinct graded cadres of the window, the fixed ones excepted
    max_awards: int  # most excellent grades any rotating holder got
    failed: tuple[str, ...] = field(default=())  # the criteria not met (empty when flagged)

    @property
    def coverage(self) -> Decimal:
        return Decimal(self.holders) / self.members if self.members else Decimal(0)


def detect_rotating_excellent(
    grades: UnitGrades, *, end_year: int, policy: RotationPolicy
) -> RotationFinding:
    """Excellent passed around a unit's members year after year.

    Window: the `window_years` years ending with `end_year`. The cadres graded excellent in
    every year of the window are "fixed" (seed 002: the principal leader excellent every
    year) and set aside; every other excellent grade is a "rotating award". The unit is
    flagged when all of these hold:

    1. complete: the unit has grades in every year of the window;
    2. every year: each year of the window has at least one rotating award;
    3. no repeat: no rotating holder got excellent more than `max_awards_per_person` times
       in the window (merit would show as the same strong performer more than once);
    4. enough: at least `min_rotating_awards` rotating awards;
    5. spread: the distinct rotating holders are at least `min_coverage` of the window's
       graded cadres (not counting the fixed ones).

    Not graded (不定等次) records count nowhere.
    """
    years = tuple(range(end_year - policy.window_years + 1, end_year + 1))
    graded = {
        y: {c: g for c, g in grades.get(y, {}).items() if g != Grade.NOT_GRADED} for y in years
    }
    excellent = {y: {c for c, g in graded[y].items() if g == Grade.EXCELLENT} for y in years}
    fixed = set.intersection(*excellent.values()) if years else set()
    sequence = tuple((y, tuple(sorted(excellent[y] - fixed))) for y in years)
    counts = Counter(c for _y, holders in sequence for c in holders)
    members = {c for y in years for c in graded[y]} - fixed
    finding_values = dict(
        years=years,
        fixed=tuple(sorted(fixed)),
        sequence=sequence,
        rotating_awards=sum(counts.values()),
        holders=len(counts),
        members=len(members),
        max_awards=max(counts.values(), default=0),
    )
    failed = []
    if not all(graded[y] for y in years):
        failed.append("complete")
    if not all(holders for _y, holders in sequence):
        failed.append("every_year")
    if finding_values["max_awards"] > policy.max_awards_per_person:
        failed.append("no_repeat")
    if finding_values["rotating_awards"] < policy.min_rotating_awards:
        failed.append("enough")
    coverage = Decimal(len(counts)) / len(members) if members else Decimal(0)
    if coverage < policy.min_coverage:
        failed.append("spread")
    return RotationFinding(flagged=not failed, failed=tuple(failed), **finding_values)


# ---------------------------------------------------------------- everyone competent


@dataclass(frozen=True)
class UniformityPolicy:
    """Parameters of the "everyone competent" (千篇一律为称职) detection; the values come
    from the policy in force (models.DetectionPolicy)."""

    min_years: int
    min_participants: int
    max_below_competent: int
    min_competent_share: Decimal


@dataclass(frozen=True)
class YearCounts:
    year: int
    participants: int
    excellent: int
    competent: int
    below: int  # 基本称职 + 不称职

    def uniform(self, policy: UniformityPolicy) -> bool:
        """One year without differentiation: enough graded cadres, (almost) nobody below
        称职, and 称职 for at least the policy's share of them."""
        if self.participants < policy.min_participants:
            return False
        if self.below > policy.max_below_competent:
            return False
        return Decimal(self.competent) >= policy.min_competent_share * self.participants


def year_counts(year: int, grades: Iterable[str]) -> YearCounts:
    grades = [g for g in grades if g != Grade.NOT_GRADED]
    tally = Counter(grades)
    return YearCounts(
        year=year,
        participants=len(grades),
        excellent=tally[Grade.EXCELLENT],
        competent=tally[Grade.COMPETENT],
        below=tally[Grade.BASIC] + tally[Grade.INCOMPETENT],
    )


@dataclass(frozen=True)
class UniformityFinding:
    flagged: bool
    years: tuple[YearCounts, ...]


def detect_everyone_competent(
    grades: UnitGrades, *, end_year: int, policy: UniformityPolicy
) -> UniformityFinding:
    """Grades that do not tell cadres apart, year after year.

    Flagged when each of the `min_years` years ending with `end_year` is uniform (see
    YearCounts.uniform): at least `min_participants` graded cadres, at most
    `max_below_competent` of them below 称职, and 称职 for at least `min_competent_share`
    of them. A single such year is common in a small unit; the pattern is its persistence
    (seed 002: "其他人员千篇一律为称职", incompetent cadres never identified).
    """
    years = tuple(
        year_counts(y, grades.get(y, {}).values())
        for y in range(end_year - policy.min_years + 1, end_year + 1)
    )
    return UniformityFinding(all(y.uniform(policy) for y in years), years)


def by_unit(rows: Iterable[tuple[int, int, int, str]]) -> dict[int, dict[int, dict[int, str]]]:
    """(unit, year, cadre, grade) rows → unit → year → cadre → grade."""
    result: dict[int, dict[int, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    for unit, year, cadre, grade in rows:
        result[unit][year][cadre] = grade
    return result


# ---------------------------------------------------------------- incidents


def incident_problems(
    kind: str,
    *,
    handled_in_time: bool | None,
    secondary_disaster: bool | None,
    criticized_by: str,
) -> dict[str, str]:
    """Field → problem code for the fields that belong to one incident kind only.

    Environmental events say whether they were handled in time and whether a secondary
    disaster followed (both needed); Party-building violations may carry a circulated
    criticism; other kinds carry neither.
    """
    problems = {}
    if kind == IncidentKind.ENVIRONMENT:
        if handled_in_time is None:
            problems["handled_in_time"] = "required"
        if secondary_disaster is None:
            problems["secondary_disaster"] = "required"
    else:
        if handled_in_time is not None:
            problems["handled_in_time"] = "environment_only"
        if secondary_disaster is not None:
            problems["secondary_disaster"] = "environment_only"
    if criticized_by != CriticizedBy.NONE and kind != IncidentKind.PARTY_BUILDING:
        problems["criticized_by"] = "party_building_only"
    return problems


# ---------------------------------------------------------------- quarterly check-up


@dataclass(frozen=True)
class CheckupPolicy:
    """When one dimension of the quarterly five-dimension check-up raises a warning; the
    values come from the policy in force (models.DetectionPolicy)."""

    problems_for_warning: int  # sources reporting a problem
    concerns_for_warning: int  # sources reporting a concern or a problem


@dataclass(frozen=True)
class CheckupInput:
    source: str
    dimension: str
    rating: str
    note: str = ""


@dataclass(frozen=True)
class DimensionFinding:
    """One line of the reverse check-up list (反向体检清单)."""

    dimension: str
    concerns: tuple[CheckupInput, ...]
    problems: tuple[CheckupInput, ...]
    warning: bool


def reverse_checkup_list(
    inputs: Iterable[CheckupInput], policy: CheckupPolicy
) -> list[DimensionFinding]:
    """The dimensions on which any source reported a concern or a problem, in the
    dimensions' order, each saying whether it raises a warning under the policy."""
    found: dict[str, list[CheckupInput]] = defaultdict(list)
    for item in inputs:
        if item.rating != Rating.OK:
            found[item.dimension].append(item)
    result = []
    for dimension in Dimension.values:
        items = found.get(dimension)
        if not items:
            continue
        problems = tuple(i for i in items if i.rating == Rating.PROBLEM)
        concerns = tuple(i for i in items if i.rating == Rating.CONCERN)
        warning = (
            len(problems) >= policy.problems_for_warning
            or len({i.source for i in items}) >= policy.concerns_for_warning
        )
        result.append(DimensionFinding(dimension, concerns, problems, warning))
    return result


def missing_sources(inputs: Iterable[CheckupInput]) -> list[str]:
    """The five means a complete check-up needs; those without any input."""
    seen = {i.source for i in inputs}
    return [s for s in CheckupSource.values if s not in seen]


# ---------------------------------------------------------------- paired competition


def competition_winner(score_a: Decimal | None, score_b: Decimal | None) -> str | None:
    """ "a", "b", "tie", or None while a score is missing."""
    if score_a is None or score_b is None:
        return None
    if score_a > score_b:
        return "a"
    if score_b > score_a:
        return "b"
    return "tie"
