"""Fill a PostgreSQL database for the load test: 1,000,000 cadres and 100,000 cases, by COPY.

    createdb -h 127.0.0.1 -U postgres cadres_bench_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadres_bench_load
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py migrate
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/load/fill.py \\
        [--cadres 1000000] [--cases 100000] [--proposals 100000]

bench/load/run.sh does all of this. The tree: one city with 40 city departments and 10
counties of different sizes (8 to 64 townships; county 10 is the biggest, county 1 the
smallest). The city's organization department manages the city-level cadres (one in 20),
spread over every unit of the city; each county's department manages the county-level
cadres of its townships. Every leaf unit holds cadres. Cases and proposals are spread over
the eleven authorities in proportion to the cadres they manage, each about a cadre of that
authority's jurisdiction, over the working states. Logins created: `bench_small`,
`bench_big` and `bench_city` (intake clerks of county 1, county 10 and the city's
department) and `bench_admin`. Refuses to run on a database that already has cadres. Rows
go in with COPY in batches of 50,000; the columns are read from the models, so a field
added later gets its default.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypinyin import Style, lazy_pinyin  # noqa: E402

from cadres.enums import AuthorityKind, ManagementLevel, UnitKind  # noqa: E402
from cadres.models import Authority, Cadre, Unit  # noqa: E402
from cadres.rules import id_check_code  # noqa: E402
from core.enums import Role  # noqa: E402
from core.models import User  # noqa: E402
from promotions.enums import ProposalState, TriggerArea  # noqa: E402
from promotions.models import Proposal  # noqa: E402
from tolerance.enums import CaseState, StartedBy  # noqa: E402
from tolerance.models import AccountabilityMatter, Case, CaseCadre, PolicyVersion  # noqa: E402

BATCH = 50_000
CITY_DEPARTMENTS = 40
COUNTY_TOWNSHIPS = (8, 12, 16, 20, 24, 28, 32, 36, 40, 64)  # county 1 smallest, 10 biggest
CITY_EVERY = 20  # one cadre in 20 is city-managed
PASSWORD = "bench-Load-2026"  # noqa: S105 (a throwaway database)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰文斌浩宇欣怡子涵俊峰"
CASE_STATES = [
    CaseState.SUBMITTED,
    CaseState.ACCEPTED,
    CaseState.INVESTIGATING,
    CaseState.DELIBERATING,
    CaseState.FED_BACK,
    CaseState.CLOSED,
]

OPEN_STATES_WITHOUT_DUE = {CaseState.FED_BACK, CaseState.CLOSED}


# --- COPY -----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    return (
        str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _fallback(field: models.Field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    raise SystemExit(f"fill.py: no value for {field.model.__name__}.{field.name}")


def copy_rows(model, rows, *, total: int) -> float:
    """COPY dicts (attribute names → values, id included) into the model's table."""
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults: dict | None = None
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    started = time.monotonic()
    done = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        for row in rows:
            if defaults is None:  # from the first row: the fields the rows leave out
                defaults = {f.attname: _fallback(f) for f in fields if f.attname not in row}
            values = [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
            buffer.write("\t".join(_text(v) for v in values))
            buffer.write("\n")
            done += 1
            if done % BATCH == 0 or done == total:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                buffer = io.StringIO()
                rate = done / (time.monotonic() - started)
                print(f"  {model._meta.db_table}: {done:,}/{total:,} ({rate:,.0f} rows/s)",
                      flush=True)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
            f"(SELECT max(id) FROM {connection.ops.quote_name(model._meta.db_table)}))"
        )
    return time.monotonic() - started


# --- the data -------------------------------------------------------------------------------


def build_tree():
    city = Unit.objects.add_root(dict(name="基准市", code="B37", kind=UnitKind.CITY))
    departments, counties, townships = [], [], []
    for d in range(1, CITY_DEPARTMENTS + 1):
        city.refresh_from_db()
        departments.append(
            Unit.objects.add_child(
                city, dict(name=f"基准市第{d}局", code=f"B37D{d:02d}", kind=UnitKind.DEPARTMENT)
            )
        )
    for c, size in enumerate(COUNTY_TOWNSHIPS, start=1):
        city.refresh_from_db()
        county = Unit.objects.add_child(
            city, dict(name=f"基准第{c}县", code=f"B37C{c:02d}", kind=UnitKind.COUNTY)
        )
        counties.append(county)
        mine = []
        for t in range(1, size + 1):
            county.refresh_from_db()
            mine.append(
                Unit.objects.add_child(
                    county,
                    dict(name=f"基准第{c}县第{t}镇", code=f"B37C{c:02d}T{t:02d}",
                         kind=UnitKind.TOWNSHIP),
                )
            )
        townships.append(mine)
    city_org = Authority.objects.create(
        name="基准市委组织部", short_name="基组", kind=AuthorityKind.ORGANIZATION,
        management_levels=[ManagementLevel.CITY],
    )
    city_org.root_units.set([city])
    county_orgs = []
    for c, county in enumerate(counties, start=1):
        org = Authority.objects.create(
            name=f"基准第{c}县委组织部", short_name=f"基{c}组",
            kind=AuthorityKind.ORGANIZATION, management_levels=[ManagementLevel.COUNTY],
        )
        org.root_units.set([county])
        county_orgs.append(org)
    return city, departments, counties, townships, city_org, county_orgs


def _user(username: str, full_name: str, role: str | None, authority=None) -> User:
    user = User.objects.create_user(username, password=PASSWORD, full_name=full_name)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if authority is not None:
        user.authorities.set([authority])
    return user


def make_users(city_org, county_orgs):
    _user("bench_small", "基准小县受理员", Role.INTAKE_CLERK, county_orgs[0])
    _user("bench_big", "基准大县受理员", Role.INTAKE_CLERK, county_orgs[-1])
    _user("bench_city", "基准市受理员", Role.INTAKE_CLERK, city_org)
    _user("bench_admin", "基准管理员", Role.ADMIN)
    # Who filed the cases: not a clerk (who would then see every case as its filer).
    return _user("bench_filer", "基准申请人", None)


def names():
    pool = [s + g1 + g2 for s in SURNAMES for g1 in GIVEN[:12] for g2 in GIVEN[12:30]]
    spelled = {}
    for name in pool:
        syllables = lazy_pinyin(name)
        spelled[name] = ("".join(syllables), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)))
    return pool, spelled


def placements(count: int, departments, counties, townships):
    """(unit, management level, authority index) of cadre i: index 0 is the city's department,
    c + 1 county c's. One in CITY_EVERY is city-managed, spread over every unit of the city
    (a stride coprime to the number of units); the others fill the townships in turn."""
    leaves = [(t, c) for c, mine in enumerate(townships) for t in mine]
    city_units = departments + counties + [t for t, _c in leaves]
    stride = 7919  # prime: visits the city's units evenly, in no county's order
    for i in range(count):
        if i % CITY_EVERY == 0:
            yield city_units[(i // CITY_EVERY * stride) % len(city_units)], ManagementLevel.CITY, 0
        else:
            unit, c = leaves[i % len(leaves)]
            yield unit, ManagementLevel.COUNTY, c + 1


def cadre_rows(count: int, departments, counties, townships, reach: list[array]):
    pool, spelled = names()
    now = timezone.now()
    base = dt.date(1962, 1, 1)
    places = placements(count, departments, counties, townships)
    for i, (unit, level, authority) in enumerate(places):
        days, region, seq = i % 14_000, (i // 14_000) % 90, i // (14_000 * 90)
        birth = base + dt.timedelta(days=days)
        first17 = f"3799{region + 10:02d}{birth:%Y%m%d}{seq:03d}"
        name = pool[(i * 7919) % len(pool)]
        reach[authority].append(i + 1)
        yield {
            "id": i + 1,
            "name": name,
            "name_pinyin": spelled[name][0],
            "name_initials": spelled[name][1],
            "gender": "M" if i % 3 else "F",
            "ethnicity": "汉族",
            "birth_date": birth,
            "national_id": first17 + id_check_code(first17),
            "native_place": "山东济南",
            "party_join_date": birth + dt.timedelta(days=365 * 24),
            "work_start_date": birth + dt.timedelta(days=365 * 22),
            "education": "bachelor",
            "unit_id": unit.pk,
            "position": "副镇长" if i % 5 == 0 else "科员",
            "post_type": "leadership" if i % 5 == 0 else "non_leadership",
            "rank": (10, 20, 30, 40, 45, 50)[(i // 7) % 6],
            "rank_since": dt.date(2018, 7, 1),
            "management_level": level,
            "status": "serving",
            "created_at": now,
            "updated_at": now,
        }


def spread(total: int, reach: list[array]):
    """Item k -> (authority index, cadre id): authorities in proportion to the cadres they
    manage, the cadres of each taken in a scattered order."""
    weights = [len(r) for r in reach]
    cumulative, running = [], 0
    for w in weights:
        running += w
        cumulative.append(running)
    for k in range(total):
        point = (k * 104_729) % running  # scattered, proportional
        a = next(index for index, edge in enumerate(cumulative) if point < edge)
        cadres = reach[a]
        yield a, cadres[(k * 7_919 + k // len(cadres)) % len(cadres)]


def fill(cadres: int, cases: int, proposals: int) -> None:
    if Cadre.objects.exists() or Unit.objects.exists():
        raise SystemExit("fill.py: this database already has units or cadres; use an empty one")
    timings = {}
    started = time.monotonic()
    city, departments, counties, townships, city_org, county_orgs = build_tree()
    authorities = [city_org, *county_orgs]
    filer = make_users(city_org, county_orgs)
    policy = PolicyVersion.objects.filter(authority=None, status="published").first()
    if policy is None:
        raise SystemExit("fill.py: no published default policy (run manage.py migrate)")
    timings["tree and users"] = time.monotonic() - started

    print(f"Cadres: {cadres:,}")
    reach = [array("l") for _ in authorities]
    timings["cadres"] = copy_rows(
        Cadre, cadre_rows(cadres, departments, counties, townships, reach), total=cadres
    )
    unit_of = dict(Cadre.objects.values_list("id", "unit_id").iterator(chunk_size=50_000))

    print(f"Cases: {cases:,} (matters, cases, case cadres)")
    now = timezone.now()
    today = timezone.localdate()
    about = list(spread(cases, reach))
    matter_rows = (
        {
            "id": k + 1,
            "title": f"基准问责事项{k + 1}",
            "description": "在推进改革试点中，因政策界限不明确出现偏差。",
            "occurred_on": dt.date(2025, 1, 1) + dt.timedelta(days=k % 300),
            "action": "拟给予诫勉",
            "action_by": "县纪委监委",
            "created_at": now,
            "created_by_id": filer.pk,
        }
        for k in range(cases)
    )
    timings["matters"] = copy_rows(AccountabilityMatter, matter_rows, total=cases)

    def case_state(k):
        return CASE_STATES[(k * 31) % len(CASE_STATES)]

    case_rows = (
        {
            "id": k + 1,
            "authority_id": authorities[about[k][0]].pk,
            "policy_version_id": policy.pk,
            "matter_id": k + 1,
            "applicant_unit_id": unit_of[about[k][1]],
            "started_by": StartedBy.CADRE,
            "state": case_state(k),
            "filed_by_id": filer.pk,
            "application_text": "系改革探索中的失误，经集体决策，未谋私利。",
            "due_fallback_years": [],
            "due_on": (
                None
                if case_state(k) in OPEN_STATES_WITHOUT_DUE
                else today + dt.timedelta(days=k % 60)
            ),
            "created_at": now - dt.timedelta(minutes=cases - k),
            "submitted_at": now - dt.timedelta(minutes=cases - k),
            "updated_at": now,
        }
        for k in range(cases)
    )
    timings["cases"] = copy_rows(Case, case_rows, total=cases)
    entry_rows = (
        {"id": k + 1, "case_id": k + 1, "cadre_id": about[k][1]} for k in range(cases)
    )
    timings["case cadres"] = copy_rows(CaseCadre, entry_rows, total=cases)
    through = AccountabilityMatter.cadres.through
    link_rows = (
        {"id": k + 1, "accountabilitymatter_id": k + 1, "cadre_id": about[k][1]}
        for k in range(cases)
    )
    timings["matter cadres"] = copy_rows(through, link_rows, total=cases)

    print(f"Proposals: {proposals:,}")
    areas = list(TriggerArea.values)
    proposal_states = list(ProposalState.values)
    seen: set[tuple[int, str, int]] = set()

    def proposal_rows():
        k = 0
        for a, cadre in spread(proposals * 2, reach):
            area, year = areas[k % len(areas)], 2020 + (k // len(areas)) % 6
            if (cadre, area, year) in seen:
                continue
            seen.add((cadre, area, year))
            yield {
                "id": k + 1,
                "authority_id": authorities[a].pk,
                "cadre_id": cadre,
                "unit_id": unit_of[cadre],
                "area": area,
                "year": year,
                "clause": "bench",
                "state": proposal_states[(k * 13) % len(proposal_states)],
                "created_at": now,
                "updated_at": now,
            }
            k += 1
            if k == proposals:
                return

    timings["proposals"] = copy_rows(Proposal, proposal_rows(), total=proposals)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = time.monotonic() - started
    print()
    for what, seconds in timings.items():
        print(f"{what:>16}: {seconds:7.1f} s")
    print(f"{'total':>16}: {total:7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--proposals", type=int, default=100_000)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("fill.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    fill(options.cadres, options.cases, options.proposals)


if __name__ == "__main__":
    main()
