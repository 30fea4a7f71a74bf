"""Benchmark: impact before publishing (tolerance.impact_load.draft_impact) on a generated
city-sized set of decided cases.

    DATABASE_URL=sqlite:////tmp/impact_bench.sqlite3 \
        .venv/bin/python bench/tolerance_impact.py [--cases 5000] [--cadres 3000]

Run on a migrated database (`manage.py migrate`). The bench adds a city ("IBENCH…" codes)
with one organization department, `--cadres` cadres and `--cases` decided cases judged under
a published measure of that city (a third of the cadres with an earlier case), drafts a
stricter version (one situation dropped, Zhejiang's repeated-error rule added) and times the
impact report. The bench's rows are replaced on every run. Prints seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--cadres", type=int, default=3000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from cadres.enums import AuthorityKind, UnitKind
    from cadres.models import Authority, Cadre, Unit
    from core.models import User
    from tolerance.catalogs import SHAANXI_2016, RepeatedErrors
    from tolerance.enums import (
        CaseState,
        ConditionStatus,
        DistinctionSide,
        ExclusionStatus,
        Outcome,
        Severity,
    )
    from tolerance.impact_load import draft_impact
    from tolerance.models import AccountabilityMatter, Case, CaseCadre, PolicyVersion
    from tolerance.policy_data import policy_to_data

    rng = random.Random(15)
    with transaction.atomic():
        old = Case.objects.filter(authority__name="IBENCH组织部")
        CaseCadre.objects.filter(case__in=old).delete()
        matters = list(old.values_list("matter_id", flat=True))
        old.delete()
        AccountabilityMatter.objects.filter(pk__in=matters).delete()
        Cadre.objects.filter(unit__code__startswith="IBENCH").delete()
        Authority.objects.filter(name="IBENCH组织部").delete()
        PolicyVersion.objects.filter(jurisdiction_code="IBENCH").delete()
        Unit.objects.filter(code__startswith="IBENCH").delete()

        city = Unit.objects.add_root(dict(name="IBENCH市", code="IBENCH", kind=UnitKind.CITY))
        city.refresh_from_db()
        counties = [
            Unit.objects.add_child(
                Unit.objects.get(pk=city.pk),
                dict(name=f"IBENCH县{i}", code=f"IBENCH{i:02d}", kind=UnitKind.COUNTY),
            )
            for i in range(12)
        ]
        authority = Authority.objects.create(
            name="IBENCH组织部", kind=AuthorityKind.ORGANIZATION
        )
        authority.root_units.add(city)
        filer = User.objects.get_or_create(username="ibench")[0]
        measure = SHAANXI_2016
        current = PolicyVersion.objects.create(
            jurisdiction_code="IBENCH", jurisdiction_name="IBENCH市", code=measure.code,
            title="IBENCH市容错纠错办法", effective_from=dt.date(2016, 1, 1),
            status="published", published_at=timezone.now(), content=policy_to_data(measure),
        )
        from tests.factories import CadreFactory  # the suite's valid cadre records

        Cadre.objects.bulk_create(
            CadreFactory.build(
                name=f"干部{i:05d}", unit=rng.choice(counties), national_id=f"IB{i:016d}"
            )
            for i in range(args.cadres)
        )
        cadres = list(Cadre.objects.filter(unit__code__startswith="IBENCH"))
        situations = [s.code for s in measure.situations]
        findings = {
            "distinctions": {d.code: DistinctionSide.TOLERABLE for d in measure.distinctions},
            "conditions": {c.code: ConditionStatus.HOLDS for c in measure.conditions},
            "exclusions": {x.code: ExclusionStatus.ABSENT for x in measure.exclusions},
        }
        matter_rows = AccountabilityMatter.objects.bulk_create(
            AccountabilityMatter(
                title=f"事项{i}", description="基准测试",
                occurred_on=dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(3000)),
            )
            for i in range(args.cases)
        )
        if not matter_rows[0].pk:
            matter_rows = list(
                AccountabilityMatter.objects.filter(description="基准测试").order_by("pk")
            )
        case_rows = Case.objects.bulk_create(
            Case(authority=authority, policy_version=current, matter=m, started_by="cadre",
                 filed_by=filer, state=CaseState.CLOSED)
            for m in matter_rows
        )
        if not case_rows[0].pk:
            case_rows = list(Case.objects.filter(authority=authority).order_by("pk"))
        CaseCadre.objects.bulk_create(
            CaseCadre(
                case=case, cadre=rng.choice(cadres), situations=[rng.choice(situations)],
                remedy_taken=True, severity=Severity.MINOR, outcome=Outcome.EXEMPT,
                **findings,
            )
            for case in case_rows
        )
        draft = PolicyVersion.objects.create(
            jurisdiction_code="IBENCH", jurisdiction_name="IBENCH市", code=measure.code,
            title="IBENCH市容错纠错办法（修订）", effective_from=dt.date(2027, 1, 1),
            content=policy_to_data(dataclasses.replace(
                measure,
                situations=measure.situations[1:],
                repeated_errors=RepeatedErrors(
                    exclusion=measure.exclusions[0].code, look_back_years=3, effect="refuse"
                ),
            )),
        )
    started = time.perf_counter()
    current_found, impact = draft_impact(draft, dt.date(2026, 12, 7))
    elapsed = time.perf_counter() - started
    print(f"decided cadres examined: {impact.examined}")
    print(f"advice would differ:     {len(impact.changes)}")
    print(f"against:                 {current_found}")
    print(f"impact report:           {elapsed:8.2f} s")


if __name__ == "__main__":
    main()
