"""Benchmark: 10 years of annual grades for 100,000 cadres in PostgreSQL, then the
distribution and detection reports, set-based, as the report pages run them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_assess_bench \
        .venv/bin/python bench/assessments_bench.py [--cadres 100000] [--years 10]

The database is created and migrated when missing; the bench's own units (codes starting
"BENCH"), cadres and grades are replaced on every run. Loading uses COPY. Prints seconds.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

UNIT_SIZE = 10  # cadres per unit
TOWNS_PER_COUNTY = 100


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
    print(f"{label:<58} {time.perf_counter() - started:8.2f} s", flush=True)
    return result


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def reset(cursor) -> None:
    cursor.execute(
        "DELETE FROM assessments_annualassessment WHERE unit_id IN "
        "(SELECT id FROM cadres_unit WHERE code LIKE 'BENCH%%')"
    )
    cursor.execute(
        "DELETE FROM cadres_cadre WHERE unit_id IN "
        "(SELECT id FROM cadres_unit WHERE code LIKE 'BENCH%%')"
    )
    cursor.execute("DELETE FROM cadres_unit WHERE code LIKE 'BENCH%%'")


def load_units(cursor, towns: int) -> list[int]:
    """Root 'Y000' (province), counties under it, townships under the counties."""
    from django.utils import timezone

    counties = max(1, towns // TOWNS_PER_COUNTY)
    rows = [("Y000", 1, 0, "BENCH", "基准省", "province", True)]
    for c in range(counties):
        county_path = f"Y000{c + 1:04d}"
        rows.append((county_path, 2, 0, f"BENCH-C{c}", f"基准县{c}", "county", True))
        for t in range(TOWNS_PER_COUNTY):
            kind = "township" if t % 2 == 0 else "department"
            rows.append(
                (
                    f"{county_path}{t + 1:04d}",
                    3,
                    0,
                    f"BENCH-C{c}-T{t}",
                    f"基准县{c}单位{t}",
                    kind,
                    True,
                )
            )
    del timezone
    copy_rows(
        cursor,
        "cadres_unit",
        ["path", "depth", "numchild", "code", "name", "kind", "is_active"],
        rows,
    )
    cursor.execute("SELECT id FROM cadres_unit WHERE code LIKE 'BENCH-C%%-T%%' ORDER BY path")
    return [row[0] for row in cursor.fetchall()]


def load_cadres(cursor, unit_ids: list[int], count: int) -> list[tuple[int, int]]:
    now = "2025-01-01 00:00:00+08"
    rows = []
    for i in range(count):
        unit = unit_ids[i // UNIT_SIZE]
        rows.append(
            (
                f"干部{i}",
                "",
                "",
                "M",
                "汉族",
                "1980-01-01",
                f"B{i:017d}",
                "",
                None,
                None,
                "",
                unit,
                "科员",
                "non_leadership",
                30,
                "2018-01-01",
                "county",
                "serving",
                now,
                now,
            )
        )
    copy_rows(
        cursor,
        "cadres_cadre",
        [
            "name",
            "name_pinyin",
            "name_initials",
            "gender",
            "ethnicity",
            "birth_date",
            "national_id",
            "native_place",
            "party_join_date",
            "work_start_date",
            "education",
            "unit_id",
            "position",
            "post_type",
            "rank",
            "rank_since",
            "management_level",
            "status",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    cursor.execute("SELECT id, unit_id FROM cadres_cadre WHERE national_id LIKE 'B%%' ORDER BY id")
    return cursor.fetchall()


def grade_rows(cadres: list[tuple[int, int]], years: list[int], rng: random.Random):
    """Per unit and year: mostly 1 excellent (sometimes 2), one in 30 below competent, a
    few not graded. One unit in 8 passes excellent around; one in 5 grades uniformly."""
    by_unit: dict[int, list[int]] = {}
    for cadre, unit in cadres:
        by_unit.setdefault(unit, []).append(cadre)
    now = "2025-01-15 00:00:00+08"
    for unit, members in by_unit.items():
        style = unit % 8
        for index, year in enumerate(years):
            if style == 0:  # rotating: member k excellent in year k
                excellent = {members[index % len(members)]}
            elif style in (1, 2):  # uniform: nobody else differs
                excellent = {members[0]}
            else:
                excellent = set(rng.sample(members, rng.choice((1, 1, 2))))
            for cadre in members:
                if cadre in excellent:
                    grade = "excellent"
                elif style not in (0, 1, 2) and rng.random() < 1 / 30:
                    grade = rng.choice(("basic", "incompetent"))
                elif rng.random() < 0.01:
                    grade = "not_graded"
                else:
                    grade = "competent"
                yield (cadre, year, unit, grade, "", "", None, now)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://.../h_assess_bench (a database of your own).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from assessments.policies import detection_policy_in_force
    from assessments.reports import distribution, rotating_units, uniform_units
    from cadres.models import Unit

    timed("migrate", call_command, "migrate", verbosity=0)
    rng = random.Random(2024)
    years = list(range(2025 - args.years, 2025))
    towns = args.cadres // UNIT_SIZE
    print(
        f"{args.cadres:,} cadres in {towns:,} units, {len(years)} years "
        f"({args.cadres * len(years):,} grades), PostgreSQL "
        f"{connection.cursor().connection.server_version}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        timed("reset the bench's rows", reset, cursor)
        unit_ids = timed("COPY units", load_units, cursor, towns)
        cadres = timed("COPY cadres", load_cadres, cursor, unit_ids, args.cadres)
        rows = timed("generate grades in Python", lambda: list(grade_rows(cadres, years, rng)))
        timed(
            f"COPY {len(rows):,} grades",
            copy_rows,
            cursor,
            "assessments_annualassessment",
            [
                "cadre_id",
                "year",
                "unit_id",
                "grade",
                "comments",
                "exemption_reason",
                "entered_by_id",
                "updated_at",
            ],
            rows,
        )
    with connection.cursor() as cursor:
        timed(
            "ANALYZE",
            cursor.execute,
            "ANALYZE assessments_annualassessment, cadres_cadre, cadres_unit",
        )
    scope = Unit.objects.filter(path__startswith="Y000")
    last = years[-1]
    thresholds = detection_policy_in_force(last)
    rotation, uniformity = thresholds.rotation(), thresholds.uniformity()
    result = timed(f"distribution report, {last} (all units)", distribution, scope, [last])
    print(f"    {len(result):,} unit rows, {sum(r.over for r in result):,} over quota")
    result = timed("distribution report, all 10 years", distribution, scope, years)
    print(f"    {len(result):,} unit-year rows")
    flagged = timed(
        f"rotating excellent, window ending {last}",
        rotating_units,
        scope,
        end_year=last,
        policy=rotation,
    )
    print(f"    {len(flagged):,} units flagged")
    flagged = timed(
        f"everyone competent, 3 years ending {last}",
        uniform_units,
        scope,
        end_year=last,
        policy=uniformity,
    )
    print(f"    {len(flagged):,} units flagged")
    one_county = Unit.objects.filter(path__startswith="Y0000001")
    timed(
        "rotating excellent, one county (100 units)",
        rotating_units,
        one_county,
        end_year=last,
        policy=rotation,
    )
    timed("distribution, one county, one year", distribution, one_county, [last])


if __name__ == "__main__":
    main()
