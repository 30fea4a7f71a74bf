"""Benchmark: the up/down trigger scan over generated data on PostgreSQL, set-based, and the
same triggers evaluated one cadre at a time on a sample, with the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_promotions_bench \
        .venv/bin/python bench/promotions_scan.py [--cadres 1000000] [--units 10000] \
        [--years 10] [--sample 10000]

The database is created and migrated when missing; the bench's units (codes "PBENCH…"), cadres,
evidence and proposals are replaced on every run. Data are generated in SQL
(generate_series). Prints seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

CHILDREN = 100  # units per county (the county itself and 99 below it)
LAST_YEAR = 2024


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def timed(label: str, func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<60} {time.perf_counter() - started:8.2f} s", flush=True)
    return result


def reset(cursor) -> None:
    bench_units = "SELECT id FROM cadres_unit WHERE code LIKE 'PBENCH%%'"
    for sql in (
        f"DELETE FROM promotions_proposal WHERE unit_id IN ({bench_units})",
        "DELETE FROM assessments_incidentleader WHERE incident_id IN (SELECT id FROM "
        f"assessments_incident WHERE unit_id IN ({bench_units}))",
        f"DELETE FROM assessments_incident WHERE unit_id IN ({bench_units})",
        f"DELETE FROM assessments_targetassessment WHERE unit_id IN ({bench_units})",
        f"DELETE FROM assessments_monitoringrank WHERE unit_id IN ({bench_units})",
        f"DELETE FROM assessments_povertytarget WHERE unit_id IN ({bench_units})",
        f"DELETE FROM assessments_annualassessment WHERE unit_id IN ({bench_units})",
        f"DELETE FROM cadres_cadre WHERE unit_id IN ({bench_units})",
        f"DELETE FROM cadres_authority_root_units WHERE unit_id IN ({bench_units})",
        "DELETE FROM cadres_unit WHERE code LIKE 'PBENCH%%'",
    ):
        cursor.execute(sql)


def load(cursor, *, units: int, cadres: int, years: int) -> None:
    counties = max(2, units // CHILDREN)
    districts = max(1, counties // 5)
    cursor.execute("SELECT setseed(0.42)")
    cursor.execute(
        "INSERT INTO cadres_unit (path, depth, numchild, code, name, kind, is_active) "
        "VALUES ('Z000', 1, %s, 'PBENCH', '基准省', 'province', true)",
        [counties],
    )
    # counties (the first `districts` of them are urban districts) and their units
    cursor.execute(
        """
        INSERT INTO cadres_unit (path, depth, numchild, code, name, kind, is_active)
        SELECT 'Z000' || lpad(to_hex(c + 1), 4, '0'), 2, %(children)s - 1, 'PBENCH-C' || c,
               '基准县' || c, CASE WHEN c < %(districts)s THEN 'district' ELSE 'county' END, true
        FROM generate_series(0, %(counties)s - 1) c
        """,
        {"children": CHILDREN, "districts": districts, "counties": counties},
    )
    cursor.execute(
        """
        INSERT INTO cadres_unit (path, depth, numchild, code, name, kind, is_active)
        SELECT 'Z000' || lpad(to_hex(c + 1), 4, '0') || lpad(to_hex(t), 4, '0'), 3, 0,
               'PBENCH-C' || c || '-' || t, '基准县' || c || '单位' || t, 'township', true
        FROM generate_series(0, %(counties)s - 1) c, generate_series(1, %(children)s - 1) t
        """,
        {"children": CHILDREN, "counties": counties},
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_u AS SELECT row_number() OVER (ORDER BY path) - 1 AS idx, id, "
        "depth, kind FROM cadres_unit WHERE code LIKE 'PBENCH-%%'"
    )
    cursor.execute("SELECT count(*) FROM bench_u")
    n_units = cursor.fetchone()[0]
    per_unit = max(2, cadres // n_units)
    # cadre 0 of each unit: principal (highest leadership rank); 1: deputy; others staff
    cursor.execute(
        """
        INSERT INTO cadres_cadre (name, name_pinyin, name_initials, gender, ethnicity,
            birth_date, national_id, native_place, education, unit_id, position, post_type,
            rank, rank_since, management_level, status, created_at, updated_at)
        SELECT '干部' || g, '', '', 'M', '汉族', '1975-01-01', 'P' || lpad(g::text, 17, '0'),
            '', '', u.id,
            CASE g %% %(per)s WHEN 0 THEN '书记' WHEN 1 THEN '副职' ELSE '科员' END,
            CASE WHEN g %% %(per)s < 2 THEN 'leadership' ELSE 'non_leadership' END,
            CASE g %% %(per)s WHEN 0 THEN 105 WHEN 1 THEN 85 ELSE 30 END,
            '2018-01-01', 'county', 'serving', now(), now()
        FROM generate_series(0, %(total)s - 1) g
        JOIN bench_u u ON u.idx = g / %(per)s
        """,
        {"per": per_unit, "total": per_unit * n_units},
    )
    first = LAST_YEAR - years + 1
    # target-responsibility grades for every unit and year
    cursor.execute(
        """
        INSERT INTO assessments_targetassessment (unit_id, year, updated_at, grade, comments)
        SELECT u.id, y, now(), CASE WHEN r < 0.02 THEN 'poor' WHEN r < 0.15 THEN 'average'
            WHEN r < 0.6 THEN 'good' ELSE 'excellent' END, ''
        FROM bench_u u, generate_series(%(first)s, %(last)s) y, LATERAL (SELECT random() r
            WHERE u.id > 0 AND y > 0) x
        """,
        {"first": first, "last": LAST_YEAR},
    )
    # monitoring ranks: counties and districts ranked separately, shuffled each year
    cursor.execute(
        """
        INSERT INTO assessments_monitoringrank (unit_id, year, updated_at, "group", rank, score)
        SELECT id, y, now(), grp, row_number() OVER (PARTITION BY grp, y ORDER BY random()),
            NULL
        FROM (SELECT id, CASE kind WHEN 'district' THEN 'district' ELSE 'county' END grp
              FROM bench_u WHERE depth = 2) c, generate_series(%(first)s, %(last)s) y
        """,
        {"first": first, "last": LAST_YEAR},
    )
    cursor.execute(
        """
        INSERT INTO assessments_povertytarget (unit_id, year, updated_at, target, achieved,
            note)
        SELECT id, y, now(), 1000, CASE WHEN random() < 0.1 THEN 900 ELSE 1100 END, ''
        FROM bench_u, generate_series(%(first)s, %(last)s) y WHERE depth = 2
        """,
        {"first": first, "last": LAST_YEAR},
    )
    # incidents: two per unit and year on average; mostly ordinary
    cursor.execute(
        """
        INSERT INTO assessments_incident (kind, occurred_on, unit_id, severity, title,
            description, handled_in_time, secondary_disaster, criticized_by, created_at)
        SELECT k, make_date(y, 1 + (random() * 11)::int, 1 + (random() * 27)::int), u.id,
            CASE WHEN r < 0.003 THEN 'especially_serious' WHEN r < 0.05 THEN 'serious'
                 WHEN r < 0.2 THEN 'relatively_serious' ELSE 'ordinary' END,
            '事件', '',
            CASE WHEN k = 'environment' THEN random() > 0.2 END,
            CASE WHEN k = 'environment' THEN random() < 0.05 END,
            CASE WHEN k = 'party_building' AND random() < 0.05 THEN 'provincial' ELSE '' END,
            now()
        FROM bench_u u, generate_series(%(first)s, %(last)s) y, generate_series(1, 2) i,
            LATERAL (SELECT random() r, (ARRAY['work_safety','mass','public_safety',
                'environment','party_building'])[1 + floor(random() * 5)::int] k
                WHERE u.id > 0 AND y > 0 AND i > 0) x
        """,
        {"first": first, "last": LAST_YEAR},
    )
    cursor.execute(
        """
        INSERT INTO assessments_incidentleader (incident_id, cadre_id, role)
        SELECT i.id, c.id, CASE c.rank WHEN 105 THEN 'principal' ELSE 'in_charge' END
        FROM assessments_incident i JOIN cadres_cadre c ON c.unit_id = i.unit_id
        WHERE c.post_type = 'leadership' AND i.unit_id IN (SELECT id FROM bench_u)
        """
    )
    # individual annual grades of the last year: 0.5 % incompetent (the grade rule, Jinan)
    cursor.execute(
        """
        INSERT INTO assessments_annualassessment (cadre_id, year, unit_id, grade, comments,
            exemption_reason, updated_at)
        SELECT c.id, %(last)s, c.unit_id, CASE WHEN r < 0.005 THEN 'incompetent'
            WHEN r < 0.05 THEN 'basic' WHEN r < 0.2 THEN 'excellent' ELSE 'competent' END,
            '', '', now()
        FROM cadres_cadre c, LATERAL (SELECT random() r WHERE c.id > 0) x
        WHERE c.unit_id IN (SELECT id FROM bench_u)
        """,
        {"last": LAST_YEAR},
    )
    cursor.execute(
        "INSERT INTO cadres_authority (name, short_name, kind, management_levels) VALUES "
        "('基准省委组织部', '基准组', 'organization', '[\"county\"]') "
        "ON CONFLICT (short_name) DO UPDATE SET name = EXCLUDED.name RETURNING id"
    )
    authority_id = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO cadres_authority_root_units (authority_id, unit_id) "
        "SELECT %s, id FROM cadres_unit WHERE code = 'PBENCH'",
        [authority_id],
    )
    cursor.execute("ANALYZE")


def per_cadre(
    cadre_ids: list[int], year: int, terms, grades_rule: frozenset[str]
) -> set[tuple[int, str]]:
    """The same triggers, one cadre at a time (what the set-based scan avoids)."""
    from assessments.exemptions import exemptions_in_year
    from assessments.models import (
        AnnualAssessment,
        IncidentLeader,
        MonitoringRank,
        PovertyTarget,
        TargetAssessment,
    )
    from cadres.models import Cadre
    from promotions.triggers import rules
    from promotions.triggers.rules import incompetent_grade_trigger
    from promotions.triggers.scan import AREA_OF_KIND
    from tolerance.effects import matter_effects

    found = set()
    for cadre_id in cadre_ids:
        cadre = Cadre.objects.get(pk=cadre_id)
        top = (
            Cadre.objects.filter(unit_id=cadre.unit_id, post_type="leadership", status="serving")
            .order_by("-rank")
            .values_list("rank", flat=True)
            .first()
        )
        principal = cadre.post_type == "leadership" and cadre.rank == top
        if principal:
            grades = dict(
                TargetAssessment.objects.filter(
                    unit_id=cadre.unit_id, year__gt=year - 2, year__lte=year
                ).values_list("year", "grade")
            )
            if rules.target_trigger(grades, year, terms):
                found.add((cadre_id, "target"))
            mine = MonitoringRank.objects.filter(unit_id=cadre.unit_id).first()
            if mine is not None:
                flagged = set()
                for y in range(year - terms.monitoring_years + 1, year + 1):
                    now = dict(
                        MonitoringRank.objects.filter(group=mine.group, year=y).values_list(
                            "unit_id", "rank"
                        )
                    )
                    before = dict(
                        MonitoringRank.objects.filter(group=mine.group, year=y - 1).values_list(
                            "unit_id", "rank"
                        )
                    )
                    changes = {u: (before[u] - r if u in before else None) for u, r in now.items()}
                    n = (
                        terms.county_largest_drops
                        if mine.group == "county"
                        else terms.district_largest_drops
                    )
                    if cadre.unit_id in rules.largest_drops(changes, n):
                        flagged.add(y)
                if rules.monitoring_trigger(flagged, year, terms):
                    found.add((cadre_id, "monitoring"))
            if PovertyTarget.objects.filter(
                unit_id=cadre.unit_id, year=year, achieved__lt=models_f("target")
            ).exists():
                found.add((cadre_id, "poverty"))
        rows = list(
            IncidentLeader.objects.filter(
                cadre_id=cadre_id, incident__occurred_on__year=year
            ).values_list(
                "incident_id",
                "role",
                "incident__kind",
                "incident__severity",
                "incident__handled_in_time",
                "incident__secondary_disaster",
                "incident__criticized_by",
            )
        )
        matter_effects([])
        grade = (
            AnnualAssessment.objects.filter(cadre_id=cadre_id, year=year)
            .values_list("grade", "exemption_reason")
            .first()
        )
        if grade is not None:
            exempted = exemptions_in_year([cadre_id], year).get(cadre_id, [])
            if incompetent_grade_trigger(
                grade[0],
                year,
                exempted_matters=len(exempted),
                exemption_reason=grade[1],
                grades=grades_rule,
            ):
                found.add((cadre_id, "incompetent_grade"))
        by_area: dict[str, list] = {}
        roles = {
            "environment": terms.environment_roles,
            "work_safety": terms.work_safety.roles,
            "stability": terms.stability.roles,
            "party_building": terms.party_roles,
        }
        for pk, role, kind, sev, hit, sec, crit in rows:
            area = AREA_OF_KIND.get(kind)
            if area and role in roles[area]:
                by_area.setdefault(area, []).append(
                    rules.IncidentFact(pk, sev, True, hit, sec, crit)
                )
        for area, facts in by_area.items():
            if area == "environment":
                hit = rules.environment_trigger(facts, terms)
            elif area == "party_building":
                hit = rules.party_trigger(facts, terms)
            else:
                rule = terms.work_safety if area == "work_safety" else terms.stability
                hit = rules.count_trigger(facts, rule, area)
            if hit:
                found.add((cadre_id, area))
    return found


def models_f(name):
    from django.db.models import F

    return F(name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sample", type=int, default=10_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://.../h_promotions_bench (a database of your own).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from cadres.models import Cadre
    from promotions.models import Proposal
    from promotions.policies import policy_in_force
    from promotions.triggers.scan import scan

    with transaction.atomic(), connection.cursor() as cursor:
        timed("reset", reset, cursor)
        timed(
            f"generate {args.cadres:,} cadres, {args.units:,} units, {args.years} years",
            load,
            cursor,
            units=args.units,
            cadres=args.cadres,
            years=args.years,
        )
    total = Cadre.objects.filter(unit__code__startswith="PBENCH").count()
    print(f"cadres in the bench: {total:,}")
    year = LAST_YEAR
    result = timed(f"set-based scan {year} (whole province)", scan, year)
    print(f"  fired {result.fired:,}, created {result.created:,}")
    again = timed(f"set-based scan {year} again (idempotent)", scan, year)
    print(f"  created {again.created:,}, already there {again.existing:,}")

    rng = random.Random(7)
    ids = list(Cadre.objects.filter(unit__code__startswith="PBENCH").values_list("pk", flat=True))
    # the sample keeps the share of leaders: every unit's first two cadres are leaders
    sample = sorted(rng.sample(ids, min(args.sample, len(ids))))
    policy = policy_in_force(None, dt.date(year, 12, 31))
    started = time.perf_counter()
    found = per_cadre(sample, year, policy.terms, policy.jinan.incompetent_grades)
    one_by_one = time.perf_counter() - started
    print(
        f"{'per-cadre evaluation of ' + format(len(sample), ',') + ' cadres':<60} "
        f"{one_by_one:8.2f} s"
    )
    expected = set(
        Proposal.objects.filter(year=year, cadre_id__in=sample).values_list("cadre_id", "area")
    )
    print(
        f"  same findings on the sample as the scan: {found == expected} "
        f"({len(found)} vs {len(expected)})"
    )
    per_cadre_full = one_by_one / len(sample) * total
    print(f"per-cadre, extrapolated to {total:,} cadres: {per_cadre_full:,.1f} s")
    print(f"ratio per-cadre / set-based (whole scan): {per_cadre_full / result.seconds:,.1f}")


if __name__ == "__main__":
    main()
