"""Set-based reports: grade distribution against the quota, the two detections, ranks
and their changes, incidents per county. Each is a fixed number of queries whatever the
number of units or cadres (bench/assessments_bench.py runs them on 1,000,000 grades).

The detections are the SQL form of rules.detect_rotating_excellent and
rules.detect_everyone_competent; tests/assessments/test_reports.py checks that both
forms flag the same units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import Window
from django.db.models.functions import ExtractYear, Lag, Substr

from cadres.enums import UnitKind
from cadres.models import Unit

from .enums import GRADE_ORDER, Grade
from .models import AnnualAssessment, Incident, MonitoringRank, QuotaPolicy, QuotaStatus
from .policies import jurisdiction_codes_by_path, policy_in_force
from .rules import (
    Quota,
    RankChange,
    RotationFinding,
    RotationPolicy,
    UniformityFinding,
    UniformityPolicy,
    by_unit,
    detect_everyone_competent,
    detect_rotating_excellent,
    excellent_quota,
    rank_change,
)

DETAIL_LIMIT = 200  # flagged units explained in full on one page


# ---------------------------------------------------------------- distribution


@dataclass
class DistributionRow:
    unit_id: int
    unit_name: str
    year: int
    counts: dict[str, int]
    quota: Quota

    @property
    def over(self) -> bool:
        return self.counts[Grade.EXCELLENT] > self.quota.allowed


def distribution(units: QuerySet[Unit], years: list[int]) -> list[DistributionRow]:
    """Grades per unit and year, with the quota in force. Three queries: the counts
    grouped by (unit, year) only (a hash aggregate; joining the unit's name into the
    GROUP BY made PostgreSQL sort a million rows on disk), the units, the policies."""
    rows = (
        AnnualAssessment.objects.filter(unit__in=units.values("pk"), year__in=years)
        .values("unit_id", "year")
        .annotate(**{g.value: Count("pk", filter=Q(grade=g.value)) for g in Grade})
        .order_by()
    )
    rows = list(rows)
    names = (
        {
            pk: (name, kind, path)
            for pk, name, kind, path in units.values_list("pk", "name", "kind", "path")
        }
        if rows
        else {}
    )
    policies = list(QuotaPolicy.objects.filter(status=QuotaStatus.PUBLISHED))
    codes_of = jurisdiction_codes_by_path(path for _n, _k, path in names.values())
    terms: dict[tuple, object] = {}
    quotas: dict[tuple, Quota] = {}
    result = []
    for row in sorted(rows, key=lambda r: (names[r["unit_id"]][2], r["year"])):
        name, kind, path = names[row["unit_id"]]
        counts = {g.value: row[g.value] for g in GRADE_ORDER}
        graded = sum(v for g, v in counts.items() if g != Grade.NOT_GRADED)
        key = (kind, row["year"], codes_of[path])
        if key not in terms:
            policy = policy_in_force(kind, row["year"], policies, codes_of[path])
            terms[key] = policy.terms() if policy else None
        if (*key, graded) not in quotas:
            quotas[(*key, graded)] = (
                excellent_quota(graded, terms[key])
                if terms[key]
                else Quota(graded, Decimal(0), "floor", Decimal(0), 0)
            )
        result.append(
            DistributionRow(row["unit_id"], name, row["year"], counts, quotas[(*key, graded)])
        )
    return result


# ---------------------------------------------------------------- detections


def _unit_filter(units: QuerySet[Unit] | None) -> tuple[str, list]:
    if units is None:
        return "", []
    sql, params = units.values("pk").query.sql_with_params()
    return f" AND a.unit_id IN ({sql})", list(params)


def _table() -> str:
    return connection.ops.quote_name(AnnualAssessment._meta.db_table)


def rotating_units(
    units: QuerySet[Unit] | None, *, end_year: int, policy: RotationPolicy
) -> list[int]:
    """Units flagged by the rotating-excellent criteria (rules.detect_rotating_excellent):
    one scan of the window's grades, a window function for each cadre's excellent count
    in the unit, one GROUP BY unit with the five criteria in HAVING."""
    where, params = _unit_filter(units)
    window = policy.window_years
    coverage_milli = int(policy.min_coverage * 1000)
    sql = f"""
    WITH win AS (
        SELECT a.unit_id, a.cadre_id, a.year, a.grade,
               SUM(CASE WHEN a.grade = %s THEN 1 ELSE 0 END)
                   OVER (PARTITION BY a.unit_id, a.cadre_id) AS exc
        FROM {_table()} a
        WHERE a.year BETWEEN %s AND %s AND a.grade <> %s{where}
    )
    SELECT unit_id FROM win
    GROUP BY unit_id
    HAVING COUNT(DISTINCT year) = %s
       AND COUNT(DISTINCT CASE WHEN grade = %s AND exc < %s THEN year END) = %s
       AND MAX(CASE WHEN exc < %s THEN exc ELSE 0 END) <= %s
       AND SUM(CASE WHEN grade = %s AND exc < %s THEN 1 ELSE 0 END) >= %s
       AND COUNT(DISTINCT CASE WHEN exc < %s THEN cadre_id END) > 0
       AND COUNT(DISTINCT CASE WHEN grade = %s AND exc < %s THEN cadre_id END) * 1000
           >= %s * COUNT(DISTINCT CASE WHEN exc < %s THEN cadre_id END)
    ORDER BY unit_id
    """  # noqa: S608 - table name quoted, values are parameters
    start = end_year - window + 1
    ex = Grade.EXCELLENT
    args = [ex, start, end_year, Grade.NOT_GRADED, *params, window]
    args += [ex, window, window, window, policy.max_awards_per_person]
    args += [ex, window, policy.min_rotating_awards, window]
    args += [ex, window, coverage_milli, window]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]


def uniform_units(
    units: QuerySet[Unit] | None, *, end_year: int, policy: UniformityPolicy
) -> list[int]:
    """Units flagged by the everyone-competent criteria (rules.detect_everyone_competent)."""
    where, params = _unit_filter(units)
    share_milli = int(policy.min_competent_share * 1000)
    sql = f"""
    WITH uy AS (
        SELECT a.unit_id, a.year,
               SUM(CASE WHEN a.grade <> %s THEN 1 ELSE 0 END) AS n,
               SUM(CASE WHEN a.grade = %s THEN 1 ELSE 0 END) AS competent,
               SUM(CASE WHEN a.grade IN (%s, %s) THEN 1 ELSE 0 END) AS below
        FROM {_table()} a
        WHERE a.year BETWEEN %s AND %s{where}
        GROUP BY a.unit_id, a.year
    )
    SELECT unit_id FROM uy
    WHERE n >= %s AND below <= %s AND competent * 1000 >= %s * n
    GROUP BY unit_id HAVING COUNT(*) = %s
    ORDER BY unit_id
    """  # noqa: S608 - table name quoted, values are parameters
    args = [Grade.NOT_GRADED, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT]
    args += [end_year - policy.min_years + 1, end_year, *params]
    args += [policy.min_participants, policy.max_below_competent, share_milli, policy.min_years]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Detections:
    end_year: int
    rotation_policy: RotationPolicy
    uniformity_policy: UniformityPolicy
    rotating: list[tuple[Unit, RotationFinding]] = field(default_factory=list)
    uniform: list[tuple[Unit, UniformityFinding]] = field(default_factory=list)
    rotating_total: int = 0
    uniform_total: int = 0
    names: dict[int, str] = field(default_factory=dict)  # cadre id → name, for sequences


def detections(
    units: QuerySet[Unit],
    *,
    end_year: int,
    rotation: RotationPolicy,
    uniformity: UniformityPolicy,
) -> Detections:
    """Both detections, set-based; the first DETAIL_LIMIT flagged units of each explained
    by the pure rules over their own rows. Five queries."""
    rotating_ids = rotating_units(units, end_year=end_year, policy=rotation)
    uniform_ids = uniform_units(units, end_year=end_year, policy=uniformity)
    shown_r, shown_u = rotating_ids[:DETAIL_LIMIT], uniform_ids[:DETAIL_LIMIT]
    start = end_year - max(rotation.window_years, uniformity.min_years) + 1
    rows = AnnualAssessment.objects.filter(
        unit_id__in=set(shown_r) | set(shown_u), year__range=(start, end_year)
    ).values_list("unit_id", "year", "cadre_id", "grade", "cadre__name")
    rows = list(rows)
    grades = by_unit((u, y, c, g) for u, y, c, g, _n in rows)
    unit_objs = Unit.objects.in_bulk(set(shown_r) | set(shown_u))
    result = Detections(end_year, rotation, uniformity)
    result.names = {c: n for _u, _y, c, _g, n in rows}
    result.rotating_total, result.uniform_total = len(rotating_ids), len(uniform_ids)
    for pk in shown_r:
        finding = detect_rotating_excellent(grades[pk], end_year=end_year, policy=rotation)
        result.rotating.append((unit_objs[pk], finding))
    for pk in shown_u:
        finding = detect_everyone_competent(grades[pk], end_year=end_year, policy=uniformity)
        result.uniform.append((unit_objs[pk], finding))
    return result


# ---------------------------------------------------------------- ranks


@dataclass
class RankRow:
    unit_id: int
    unit_name: str
    group: str
    year: int
    change: RankChange


def rank_history(units: QuerySet[Unit], years: list[int]) -> list[RankRow]:
    """Ranks per unit and year with the change against the year before (LAG). One query."""
    first, last = min(years), max(years)
    rows = (
        MonitoringRank.objects.filter(unit__in=units.values("pk"), year__range=(first - 1, last))
        .annotate(
            previous=Window(Lag("rank"), partition_by=[F("unit_id")], order_by=F("year").asc()),
            previous_year=Window(
                Lag("year"), partition_by=[F("unit_id")], order_by=F("year").asc()
            ),
        )
        .values_list("unit_id", "unit__name", "group", "year", "rank", "previous", "previous_year")
        .order_by("group", "year", "rank")
    )
    result = []
    for unit_id, name, group, year, rank, previous, previous_year in rows:
        if year < first:
            continue
        before = previous if previous_year == year - 1 else None
        result.append(RankRow(unit_id, name, group, year, rank_change(before, rank)))
    return result


# ---------------------------------------------------------------- incidents


def incidents_per_county(units: QuerySet[Unit], years: list[int]) -> dict:
    """Incident counts per county/district (and its units below) per year and kind.

    Returns {"counties": [(pk, name)], "rows": {(county pk, year, kind): count}}. One query
    for the counties, one per distinct depth at which they sit in the tree (usually one).
    """
    counties = list(
        units.filter(kind__in=[UnitKind.COUNTY, UnitKind.URBAN_DISTRICT])
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    by_path = {path: pk for pk, _n, path in counties}
    lengths = sorted({len(path) for _pk, _n, path in counties})
    counts: dict[tuple[int, int, str], int] = defaultdict(int)
    for length in lengths:
        rows = (
            Incident.objects.filter(unit__in=units.values("pk"), occurred_on__year__in=years)
            .annotate(prefix=Substr("unit__path", 1, length), y=ExtractYear("occurred_on"))
            .filter(prefix__in=[p for p in by_path if len(p) == length])
            .values("prefix", "y", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[(by_path[row["prefix"]], row["y"], row["kind"])] += row["n"]
    return {"counties": [(pk, name) for pk, name, _p in counties], "rows": dict(counts)}
