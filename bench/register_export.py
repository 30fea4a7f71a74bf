"""Benchmark: export of 10,000 generated rulings: seconds and peak memory at two sizes.

    createdb -h 127.0.0.1 -U postgres h_register_bench
    export DJANGO_SETTINGS_MODULE=config.settings.test APP_VAR_DIR=/tmp/register-bench \
           DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_register_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/register_export.py --generate 10000
    .venv/bin/python bench/register_export.py --sizes 1000 10000

--generate writes N decided cases (one cadre each) and their N rulings: real Case,
CaseCadre and IssuedDocument rows through bulk inserts, each ruling with a small PDF file
of its own in the document storage and its true SHA-256 (the PDFs are generated, not
rendered: rendering 10,000 rulings with WeasyPrint would measure WeasyPrint).

--sizes runs one export per size, each in a fresh subprocess, through the same code as
the Celery task (register.jobs.export_run) for an auditor of the authority, and
prints wall-clock seconds, the process's resident memory before the export and at its
peak (ru_maxrss), and the peak of Python allocations during the export (tracemalloc, in
a second run, since tracing slows the code down). Flat memory shows as the same peak at
1,000 and 10,000 documents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cadres.enums import AuthorityKind, ManagementLevel, PostType, Rank, UnitKind  # noqa: E402
from cadres.models import Authority, Cadre, Unit  # noqa: E402
from cadres.rules import id_check_code, pinyin_keys  # noqa: E402
from core.enums import Role  # noqa: E402
from core.models import DocumentKind, IssuedDocument, User  # noqa: E402
from register.models import ExportJob  # noqa: E402
from tolerance.enums import CaseState, Outcome, StartedBy  # noqa: E402
from tolerance.models import AccountabilityMatter, Case, CaseCadre, PolicyVersion  # noqa: E402

SHORT_NAME = "基组"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰文斌浩宇欣怡子涵俊峰"
OUTCOMES = [Outcome.EXEMPT, Outcome.MITIGATED, Outcome.LIGHTER, Outcome.NOT_TOLERATED]
BATCH = 1000


def world() -> tuple[Authority, Unit, User, User]:
    """A bench county, its organization department, a clerk and an auditor (idempotent)."""
    root = Unit.objects.filter(code="RBENCH").first() or Unit.add_root(
        code="RBENCH", name="登记簿基准县", kind=UnitKind.COUNTY
    )
    authority, _ = Authority.objects.get_or_create(
        name="登记簿基准县委组织部",
        defaults={
            "short_name": SHORT_NAME,
            "kind": AuthorityKind.ORGANIZATION,
            "management_levels": [ManagementLevel.COUNTY],
        },
    )
    authority.root_units.add(root)
    people = []
    for username, role in (("rbench-clerk", Role.INTAKE_CLERK), ("rbench-auditor", Role.AUDITOR)):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            user.authorities.add(authority)
        people.append(User.objects.get(pk=user.pk))
    return authority, root, people[0], people[1]


def fake_pdf(number: str, name: str, rnd: random.Random) -> bytes:
    """A small, valid-looking PDF of 2–6 KB, different for every document."""
    body = rnd.randbytes(rnd.randint(2000, 6000)).hex()[: rnd.randint(2000, 6000)]
    return (
        f"%PDF-1.7\n1 0 obj << /Title ({number}) /Author ({name}) >> endobj\n"
        f"2 0 obj << /Length {len(body)} >> stream\n{body}\nendstream endobj\n%%EOF\n"
    ).encode()


def generate(n: int) -> None:
    authority, root, clerk, _auditor = world()
    start = IssuedDocument.objects.filter(authority=authority).count()
    policy = PolicyVersion.objects.filter(status="published").order_by("effective_from").first()
    storage = IssuedDocument._meta.get_field("file").storage
    case_type = ContentType.objects.get_for_model(Case)
    rnd = random.Random(start + 7)
    year = timezone.localdate().year
    situations = [s.code for s in policy.policy.situations]
    began = time.perf_counter()
    for offset in range(0, n, BATCH):
        size = min(BATCH, n - offset)
        with transaction.atomic():
            cadres = []
            for i in range(size):
                serial = start + offset + i
                name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
                birth = dt.date(1960, 1, 1) + dt.timedelta(days=serial % 12000)
                first17 = f"370124{birth:%Y%m%d}{serial // 12000 % 500 * 2 + 1:03d}"
                cadre = Cadre(
                    name=name, gender="M", birth_date=birth,
                    national_id=first17 + id_check_code(first17),
                    unit=root, position="科员", post_type=PostType.NON_LEADERSHIP,
                    rank=Rank.PRINCIPAL_STAFF_4, rank_since=dt.date(2018, 7, 1),
                    management_level=ManagementLevel.COUNTY,
                )
                cadre.name_pinyin, cadre.name_initials = pinyin_keys(name)
                cadres.append(cadre)
            cadres = Cadre.objects.bulk_create(cadres)
            matters = AccountabilityMatter.objects.bulk_create(
                [
                    AccountabilityMatter(
                        title="改革试点资金拨付偏差", description="基准测试生成",
                        occurred_on=dt.date(year, 1, 15), created_by=clerk,
                    )
                    for _ in cadres
                ]
            )
            now = timezone.now()
            cases = Case.objects.bulk_create(
                [
                    Case(
                        authority=authority, policy_version=policy, matter=matter,
                        started_by=StartedBy.CADRE, state=CaseState.FED_BACK, filed_by=clerk,
                        submitted_at=now, decided_at=now,
                    )
                    for matter in matters
                ]
            )
            entries = CaseCadre.objects.bulk_create(
                [
                    CaseCadre(
                        case=case, cadre=cadre, outcome=rnd.choice(OUTCOMES),
                        situations=rnd.sample(situations, rnd.randint(1, 2)),
                        outcome_reason="基准测试", decided_at=now,
                    )
                    for case, cadre in zip(cases, cadres, strict=True)
                ]
            )
            documents = []
            for i, entry in enumerate(entries):
                seq = start + offset + i + 1
                number = f"{SHORT_NAME}容〔{year}〕{seq}号"
                content = fake_pdf(number, entry.cadre.name, rnd)
                sha256 = hashlib.sha256(content).hexdigest()
                name = storage.save(f"documents/{year}/{sha256}.pdf", ContentFile(content))
                documents.append(
                    IssuedDocument(
                        number=number, authority=authority, year=year, series="容", seq=seq,
                        kind=DocumentKind.TOLERANCE_RULING,
                        key=f"bench.ruling:entry={entry.pk}",
                        title=f"容错认定决定书（{entry.cadre.name}）", cadre=entry.cadre,
                        content_type=case_type, object_id=entry.case_id,
                        issued_on=timezone.localdate(), file=name, sha256=sha256,
                        size=len(content),
                        filename=f"{number}-容错认定决定书-{entry.cadre.name}.pdf",
                    )
                )
            IssuedDocument.objects.bulk_create(documents)
        print(f"  {offset + size:>6} rulings", flush=True)
    print(f"generated {n} rulings in {time.perf_counter() - began:.1f} s "
          f"({IssuedDocument.objects.filter(authority=authority).count()} in the bench authority)")


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_one(size: int, *, trace: bool) -> None:
    """One export of the first `size` bench rulings, in this (fresh) process."""
    import tracemalloc

    from register.jobs import export_run

    authority, _root, _clerk, auditor = world()
    ids = IssuedDocument.objects.filter(authority=authority).order_by("id").values_list(
        "id", flat=True
    )
    upto = ids[size - 1]
    job = ExportJob.objects.create(
        requested_by=auditor, filters={"kind": "tolerance_ruling"}, upto_id=upto, total=size
    )
    reverse("documents:verify")  # a worker has its URLconf loaded after its first task
    connection.queries_log.clear()
    before = rss_kb()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    job = export_run(job.pk)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert job.state == "done" and job.done == size, (job.state, job.done, job.error)
    print(f"{size} {seconds:.3f} {before} {maxrss} {peak} {job.archive_size}", flush=True)


def sizes(values: list[int]) -> None:
    print(f"{'documents':>10} {'seconds':>8} {'docs/s':>8} {'RSS before':>11} "
          f"{'RSS peak':>9} {'Δ RSS':>7} {'py peak':>8} {'ZIP':>8}")
    for size in values:
        results = []
        for trace in (False, True):
            out = subprocess.run(  # noqa: S603 - our own script
                [sys.executable, __file__, "--run-one", str(size)] + (["--trace"] if trace else []),
                check=True, capture_output=True, text=True, env=os.environ,
            ).stdout.strip().splitlines()[-1]
            results.append([float(x) for x in out.split()])
        (_n, seconds, before, maxrss, _p, archive), (_n2, _s2, _b2, _m2, peak, _a2) = results
        print(f"{size:>10} {seconds:>8.2f} {size / seconds:>8.0f} {before / 1024:>9.1f}MB "
              f"{maxrss / 1024:>7.1f}MB {(maxrss - before) / 1024:>5.1f}MB "
              f"{peak / 2**20:>6.2f}MB {archive / 2**20:>6.1f}MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", type=int, metavar="N")
    parser.add_argument("--sizes", type=int, nargs="*")
    parser.add_argument("--run-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; set DATABASE_URL=postgres://...", file=sys.stderr)
    if args.generate:
        generate(args.generate)
    if args.run_one:
        run_one(args.run_one, trace=args.trace)
    elif args.sizes:
        sizes(args.sizes)


if __name__ == "__main__":
    main()
