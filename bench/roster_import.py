"""Benchmark: import N generated cadres through the roster import service.

    createdb -h 127.0.0.1 -U postgres bench_roster
    export DJANGO_SETTINGS_MODULE=config.settings.test \
           DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_roster
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/roster_import.py --rows 100000 --update

Generates N valid rows into an .xlsx (in memory), then runs the same three steps the
import page runs (parse, validate, write) as an organization-department clerk whose
authority covers a generated unit tree, and prints rows/second for each step. With
--update it imports the file again with every position changed (N updates). Each run
uses fresh ID numbers, so runs can be repeated on the same database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402

from cadres.enums import AuthorityKind, ManagementLevel, UnitKind  # noqa: E402
from cadres.models import Authority, Cadre, Unit  # noqa: E402
from cadres.roster.columns import HEADERS, RANK_LABELS  # noqa: E402
from cadres.roster.importer import parse_roster, validate_roster, write_roster  # noqa: E402
from cadres.rules import id_check_code  # noqa: E402
from core.enums import Role  # noqa: E402
from core.models import User  # noqa: E402

UNITS = 40
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰文斌浩宇欣怡子涵俊峰"


def setup_world() -> tuple[User, list[str]]:
    """A bench unit tree and a county org-department clerk covering it (idempotent)."""
    root = Unit.objects.filter(code="BENCH").first() or Unit.add_root(
        code="BENCH", name="基准测试县", kind=UnitKind.COUNTY
    )
    codes = [f"BENCH{i:03d}" for i in range(1, UNITS + 1)]
    existing = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in existing:
            root.refresh_from_db()
            root.add_child(code=code, name=f"基准测试乡镇{code[-3:]}", kind=UnitKind.TOWNSHIP)
    authority, _ = Authority.objects.get_or_create(
        name="基准测试县委组织部",
        defaults={
            "short_name": "基组",
            "kind": AuthorityKind.ORGANIZATION,
            "management_levels": [ManagementLevel.COUNTY],
        },
    )
    authority.root_units.add(root)
    clerk, created = User.objects.get_or_create(username="bench-clerk")
    if created:
        clerk.groups.add(Group.objects.get_or_create(name=Role.INTAKE_CLERK)[0])
        clerk.authorities.add(authority)
    return User.objects.get(pk=clerk.pk), codes


def generate(rows: int, unit_codes: list[str], *, region: str, title: str) -> bytes:
    rnd = random.Random(42)
    ranks = list(RANK_LABELS.values())[:12]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet("干部名册")
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS)
    first_birth = dt.date(1962, 1, 1)
    for i in range(rows):
        birth = first_birth + dt.timedelta(days=i // 400)
        seq = 100 + i % 400  # 100..499, so (birth, seq) is unique
        gender = "男" if seq % 2 else "女"
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        national_id = first17 + id_check_code(first17)
        name = rnd.choice(SURNAMES) + "".join(rnd.choices(GIVEN, k=rnd.choice((1, 2))))
        row = [
            name,
            gender,
            "汉族",
            birth,
            national_id,
            "山东济南",
            dt.date(birth.year + 24, 7, 1),
            f"{birth.year + 22}.07",
            rnd.choice(("大学", "硕士研究生", "大专")),
            rnd.choice(unit_codes),
            title,
            rnd.choice(("领导职务", "非领导职务")),
            rnd.choice(ranks),
            f"{birth.year + 30}/{rnd.randint(1, 12)}/1",
            "县管",
            "在职",
        ]
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(i + 1, col, value, date)
            else:
                sheet.write_string(i + 1, col, value)
    workbook.close()
    return buffer.getvalue()


def run(data: bytes, clerk: User, label: str) -> None:
    c0, t0 = time.process_time(), time.perf_counter()
    parsed = parse_roster(data)
    c1, t1 = time.process_time(), time.perf_counter()
    plan = validate_roster(parsed, actor=clerk)
    c2, t2 = time.process_time(), time.perf_counter()
    if plan.errors:
        for error in plan.errors[:10]:
            print("  error:", error)
        raise SystemExit(f"{len(plan.errors)} validation errors")
    result = write_roster(plan, actor=clerk, filename=f"bench-{label}.xlsx")
    c3, t3 = time.process_time(), time.perf_counter()
    if not result.ok:
        raise SystemExit(f"write failed: {result.errors}")
    rows = len(parsed.rows)
    print(
        f"{label}: {rows} rows -> created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged}"
    )
    print(f"  {'step':<9}{'wall':>9} {'rows/s':>10} {'python cpu':>11}")
    for step, wall, cpu in (
        ("parse", t1 - t0, c1 - c0),
        ("validate", t2 - t1, c2 - c1),
        ("write", t3 - t2, c3 - c2),
        ("total", t3 - t0, c3 - c0),
    ):
        print(f"  {step:<9}{wall:8.2f}s {rows / wall:10,.0f} {cpu:10.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--update", action="store_true", help="import again with every position changed (N updates)"
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    clerk, codes = setup_world()
    region = f"9{random.randint(0, 99_999):05d}"  # fresh ID numbers every run  # noqa: S311
    t0 = time.perf_counter()
    data = generate(args.rows, codes, region=region, title="科员")
    print(
        f"generated {args.rows} rows, {len(data) / 2**20:.1f} MB "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    run(data, clerk, "new")
    if args.update:
        run(generate(args.rows, codes, region=region, title="副科长"), clerk, "update")
    print(f"cadres in database: {Cadre.objects.count()}")


if __name__ == "__main__":
    main()
