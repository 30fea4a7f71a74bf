"""EXPLAIN (ANALYZE, BUFFERS) of every query a list page runs, per benchmark clerk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadres_bench_load \\
        .venv/bin/python bench/load/explain.py [--plans] [--repeat 5]

Requests each page through Django's test client as bench_small, bench_big and bench_city
(and case detail), once to warm the cache as in production (reaches, the register's filter
choices; ACCESS_CACHE_SECONDS=900), then again capturing its SQL, runs EXPLAIN ANALYZE on
each statement `--repeat` times
and prints per page: the number of queries, the median of the summed execution times (ms),
the summed planning times (ms), the execution time as the page runs them (`prepared`: the
statements marked by core.pg_prepared run prepared, under PostgreSQL's generic plan, which
a prepared statement keeps after five runs when it costs no more), the slowest statement,
and whether any plan reads a table over 10,000 rows sequentially.
`--plans` prints every plan. A run of bench/load/run.sh prints this table too.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
settings.ACCESS_CACHE_SECONDS = 900  # the production default (the test settings turn it off)

from django.db import OperationalError, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.models import User  # noqa: E402
from core.pg_prepared import MARK, numbered  # noqa: E402
from tolerance.permissions import visible_cases  # noqa: E402

CLERKS = ("bench_small", "bench_big", "bench_city")
PAGES = (
    ("case list", "/tolerance/"),
    ("cadre list", "/cadres/"),
    ("register", "/register/"),
    ("proposal list", "/promotions/proposals/"),
    ("petitions", "/clarifications/"),
    ("evidence", "/assessments/evidence/team/"),
    ("commendations", "/promotions/commendations/"),
    ("exceptional", "/promotions/exceptional/"),
    ("workbench home", "/"),
)
BIG_TABLE_ROWS = 10_000


def big_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [BIG_TABLE_ROWS],
        )
        return {row[0] for row in cursor.fetchall()}


def explain(sql: str) -> tuple[float, float, str]:
    """(execution ms, planning ms, the plan) of `sql` (its values in place)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    times = {
        m.group(1): float(m.group(2))
        for line in lines
        if (m := re.search(r"(Execution|Planning) Time: ([\d.]+)", line))
    }
    return times["Execution"], times["Planning"], "\n".join(lines)


def explain_generic(sql: str, params) -> tuple[float, str] | None:
    """EXPLAIN ANALYZE of `sql` prepared and run with PostgreSQL's generic plan, the plan a
    prepared statement keeps (core.pg_prepared) when it is no worse than the custom ones;
    None for a statement that is not prepared."""
    numbered_sql = numbered(sql, len(params)) if isinstance(params, list | tuple) else None
    if numbered_sql is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("PREPARE bench_generic AS " + numbered_sql, None)
        try:
            cursor.execute("SET plan_cache_mode = force_generic_plan", None)
            marks = f" ({', '.join(['%s'] * len(params))})" if params else ""
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_generic" + marks, params)
            lines = [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute("RESET plan_cache_mode", None)
            cursor.execute("DEALLOCATE bench_generic", None)
    total = next(
        float(m.group(1)) for line in lines if (m := re.search(r"Execution Time: ([\d.]+)", line))
    )
    return total, "\n".join(lines)


def seq_scans(plan: str, tables: set[str]) -> list[str]:
    return [t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in tables]


def measure(client: Client, path: str, repeat: int, show: bool, tables: set[str]):
    asked = []  # (sql, params) as the ORM asked, for the generic plans

    def remember(execute, sql, params, many, context):
        asked.append((sql, params))
        return execute(sql, params, many, context)

    try:
        client.get(path)  # warm: the reaches and the register's choices cached, as in production
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(remember):
            response = client.get(path)
    except OperationalError:  # the statement timeout (--timeout)
        return None
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    statements = [
        (q["sql"], asked_sql, params)
        for q, (asked_sql, params) in zip(captured.captured_queries, asked, strict=True)
        if q["sql"].lstrip(" (").upper().startswith(("SELECT", "WITH"))
    ]
    runs, planned, generic_runs, worst, scans = [], [], [], (0.0, ""), []
    for attempt in range(repeat):
        total = planning = generic_total = 0.0
        for sql, asked_sql, params in statements:
            try:
                ms, plan_ms, plan = explain(sql)
                # The marked statements run prepared, under a generic plan after five runs.
                generic = explain_generic(asked_sql, params) if asked_sql.endswith(MARK) else None
            except OperationalError:  # the statement timeout (--timeout)
                return None
            total += ms
            planning += plan_ms
            generic_total += generic[0] if generic else ms
            if attempt == 0:
                scans += seq_scans(plan, tables)
                if generic:
                    scans += [f"{t} (generic plan)" for t in seq_scans(generic[1], tables)]
                if show:
                    print(f"\n--- {path}\n{sql}\n{plan}")
                    if generic:
                        print(f"--- generic plan\n{generic[1]}")
            if ms > worst[0]:
                worst = (ms, sql[:160])
        runs.append(total)
        planned.append(planning)
        generic_runs.append(generic_total)
    median = statistics.median
    return (
        len(captured.captured_queries),
        median(runs),
        median(planned),
        median(generic_runs),
        worst,
        scans,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds a statement may run (then: timeout)"
    )
    parser.add_argument("--clerk", action="append", help="only these clerks")
    options = parser.parse_args()
    tables = big_tables()
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(options.timeout) * 1000}")
    print(
        f"{'clerk':<12} {'page':<14} {'queries':>7} {'SQL ms p50':>10} {'plan ms':>8} "
        f"{'prepared':>8}  seq scans >10k rows"
    )
    for username in options.clerk or CLERKS:
        user = User.objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cases = visible_cases(user).order_by("-id").values_list("pk", flat=True)
        case = cases[min(500, cases.count() - 1)]
        for name, path in (*PAGES, ("case detail", f"/tolerance/cases/{case}/")):
            if options.page and name not in options.page:
                continue
            measured = measure(client, path, options.repeat, options.plans, tables)
            if measured is None:
                print(f"{username:<12} {name:<14} {'':>7} {'timeout':>10}  (> {options.timeout} s)")
                continue
            count, median, planning, generic, worst, scans = measured
            print(
                f"{username:<12} {name:<14} {count:>7} {median:>10.2f} {planning:>8.2f} "
                f"{generic:>8.2f}  {', '.join(sorted(set(scans))) or 'none'}"
            )
            if options.plans:
                print(f"    slowest {worst[0]:.2f} ms: {worst[1]}")


if __name__ == "__main__":
    main()
