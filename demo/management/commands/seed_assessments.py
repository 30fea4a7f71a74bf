"""Seed a few years of assessment evidence for the demo province (after seed_demo).

    manage.py seed_assessments [--years 5] [--reset] [--seed S]

Annual grades within each unit's quota (a few units "rotate" excellent, a few grade
everyone competent, so the reports have something to find), leadership-team grades,
county and district ranks, poverty targets, incidents, and a quarterly check-up with an
open warning. Idempotent: nothing is written when demo grades exist, unless --reset.
Grades protect their cadres, so `seed_demo --reset` refuses once demo grades exist:
start from an empty database instead (its message says so).
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments.enums import Grade, IncidentKind, RankGroup, Severity, TeamGrade
from assessments.models import (
    AnnualAssessment,
    CheckupInput,
    CheckupWarning,
    Incident,
    IncidentLeader,
    MonitoringRank,
    PovertyTarget,
    QuarterlyCheckup,
    TeamAssessment,
)
from assessments.policies import all_policies, jurisdiction_codes_by_path, terms_in_force
from assessments.rules import excellent_quota
from cadres.enums import UnitKind
from cadres.models import Cadre, Unit
from core import audit
from demo import cadres_data as D

GRADED_KINDS = (
    UnitKind.TOWNSHIP,
    UnitKind.DEPARTMENT,
    UnitKind.PARK,
    UnitKind.COUNTY,
    UnitKind.URBAN_DISTRICT,
    UnitKind.CITY,
)


class Command(BaseCommand):
    help = "Seed demo assessments (grades, ranks, incidents, ...) for the demo province."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--reset", action="store_true")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, years, reset, seed, **options):
        root = Unit.objects.filter(code=D.ROOT_CODE, depth=1).first()
        if root is None:
            self.stdout.write("No demo province (run seed_demo first); nothing seeded.")
            return
        scope = {"unit__path__startswith": root.path}
        if AnnualAssessment.objects.filter(**scope).exists() and not reset:
            self.stdout.write("Demo assessments already present; nothing changed.")
            return
        rng = random.Random(seed)  # noqa: S311 - demo data
        last = timezone.localdate().year - 1
        span = list(range(last - years + 1, last + 1))
        with transaction.atomic():
            self.delete(scope)
            counts = {
                "grades": self.grades(root, span, rng),
                "team grades": self.teams(root, span, rng),
                "ranks": self.ranks(root, span, rng),
                "poverty targets": self.poverty(root, span, rng),
                "incidents": self.incidents(root, span, rng),
                "check-ups": self.checkups(root, last, rng),
            }
            audit.record(
                "assessment.demo.seed",
                actor=None,
                after=counts,
                reason="manage.py seed_assessments",
            )
        self.stdout.write(
            self.style.SUCCESS("Seeded " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
        )

    def delete(self, scope):
        IncidentLeader.objects.filter(
            incident__unit__path__startswith=scope["unit__path__startswith"]
        ).delete()
        for model in (AnnualAssessment, TeamAssessment, MonitoringRank, PovertyTarget, Incident):
            model.objects.filter(**scope).delete()
        CheckupWarning.objects.filter(
            cadre__unit__path__startswith=scope["unit__path__startswith"]
        ).delete()
        QuarterlyCheckup.objects.filter(
            cadre__unit__path__startswith=scope["unit__path__startswith"]
        ).delete()

    def grades(self, root, span, rng) -> int:
        policies = all_policies()
        members: dict[int, list[Cadre]] = {}
        for cadre in (
            Cadre.objects.filter(unit__path__startswith=root.path, unit__kind__in=GRADED_KINDS)
            .select_related("unit")
            .order_by("unit_id", "-rank", "pk")
        ):
            members.setdefault(cadre.unit_id, []).append(cadre)
        rows = []
        codes_of = jurisdiction_codes_by_path(c[0].unit.path for c in members.values())
        for index, (unit_id, cadres) in enumerate(sorted(members.items())):
            unit = cadres[0].unit
            style = "rotating" if index % 6 == 1 else "uniform" if index % 6 == 2 else "merit"
            for offset, year in enumerate(span):
                graded = [c for c in cadres if rng.random() > 0.03]
                allowed = excellent_quota(len(graded), terms_in_force(
                    unit.kind, year, policies, codes_of[unit.path]
                ))
                cap = allowed.allowed
                if style == "rotating" and len(graded) > 1:
                    turn = graded[1 + offset % (len(graded) - 1)].pk  # passed around
                    excellent = {graded[0].pk, turn} if cap >= 2 else {turn} if cap else set()
                elif style == "uniform":
                    excellent = {graded[0].pk} if cap else set()
                else:
                    strong = graded[: max(2, len(graded) // 3)]
                    excellent = {c.pk for c in rng.sample(strong, min(cap, len(strong)))}
                for cadre in cadres:
                    if cadre not in graded:
                        grade = Grade.NOT_GRADED
                    elif cadre.pk in excellent:
                        grade = Grade.EXCELLENT
                    elif style == "merit" and rng.random() < 0.04:
                        grade = rng.choice((Grade.BASIC, Grade.BASIC, Grade.INCOMPETENT))
                    else:
                        grade = Grade.COMPETENT
                    rows.append(
                        AnnualAssessment(cadre=cadre, unit_id=unit_id, year=year, grade=grade)
                    )
        AnnualAssessment.objects.bulk_create(rows, batch_size=2000)
        return len(rows)

    def teams(self, root, span, rng) -> int:
        units = Unit.objects.filter(path__startswith=root.path, kind__in=GRADED_KINDS)
        rows = [
            TeamAssessment(
                unit=u, year=y, grade=rng.choices(TeamGrade.values, weights=(35, 45, 15, 5))[0]
            )
            for u in units
            for y in span
        ]
        TeamAssessment.objects.bulk_create(rows)
        return len(rows)

    def ranks(self, root, span, rng) -> int:
        rows = []
        for group, kind in (
            (RankGroup.COUNTY, UnitKind.COUNTY),
            (RankGroup.DISTRICT, UnitKind.URBAN_DISTRICT),
        ):
            units = list(Unit.objects.filter(path__startswith=root.path, kind=kind))
            order = units[:]
            rng.shuffle(order)
            for year in span:
                for i in range(len(order) - 1):  # a few neighbours swap places each year
                    if rng.random() < 0.4:
                        order[i], order[i + 1] = order[i + 1], order[i]
                rows += [
                    MonitoringRank(unit=u, year=year, group=group, rank=r)
                    for r, u in enumerate(order, start=1)
                ]
        MonitoringRank.objects.bulk_create(rows)
        return len(rows)

    def poverty(self, root, span, rng) -> int:
        counties = Unit.objects.filter(path__startswith=root.path, kind=UnitKind.COUNTY)
        rows = []
        for unit in counties:
            for year in span:
                target = rng.randrange(300, 2000, 50)
                rows.append(
                    PovertyTarget(
                        unit=unit,
                        year=year,
                        target=target,
                        achieved=target + rng.randrange(-150, 300, 10),
                    )
                )
        PovertyTarget.objects.bulk_create(rows)
        return len(rows)

    def incidents(self, root, span, rng) -> int:
        counties = list(
            Unit.objects.filter(
                path__startswith=root.path, kind__in=[UnitKind.COUNTY, UnitKind.URBAN_DISTRICT]
            )
        )
        titles = {
            IncidentKind.WORK_SAFETY: "建筑工地坍塌事故",
            IncidentKind.MASS: "征地补偿群体性上访",
            IncidentKind.PUBLIC_SAFETY: "节日人群踩踏险情",
            IncidentKind.ENVIRONMENT: "河道化工废水污染",
            IncidentKind.PARTY_BUILDING: "违规提拔干部问题",
        }
        count = 0
        for county in counties:
            leaders = list(Cadre.objects.filter(unit=county).order_by("-rank")[:2])
            for year in span:
                for _n in range(rng.choice((0, 0, 1, 1, 2, 3))):
                    kind = rng.choice(IncidentKind.values)
                    incident = Incident.objects.create(
                        kind=kind,
                        occurred_on=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                        unit=county,
                        severity=rng.choice(
                            (
                                Severity.ORDINARY,
                                Severity.ORDINARY,
                                Severity.RELATIVELY_SERIOUS,
                                Severity.SERIOUS,
                            )
                        ),
                        title=f"{county.name}{titles[kind]}",
                        handled_in_time=rng.random() > 0.2
                        if kind == IncidentKind.ENVIRONMENT
                        else None,
                        secondary_disaster=rng.random() < 0.1
                        if kind == IncidentKind.ENVIRONMENT
                        else None,
                        criticized_by="provincial"
                        if kind == IncidentKind.PARTY_BUILDING and rng.random() < 0.3
                        else "",
                    )
                    IncidentLeader.objects.bulk_create(
                        IncidentLeader(incident=incident, cadre=c, role=role)
                        for c, role in zip(leaders, ("principal", "in_charge"), strict=False)
                    )
                    count += 1
        return count

    def checkups(self, root, year, rng) -> int:
        cadres = list(
            Cadre.objects.filter(
                unit__path__startswith=root.path, unit__kind=UnitKind.TOWNSHIP
            ).order_by("pk")[:12]
        )
        for index, cadre in enumerate(cadres):
            checkup = QuarterlyCheckup.objects.create(
                cadre=cadre, year=year, quarter=4, held_on=dt.date(year, 12, 20)
            )
            rows = [
                CheckupInput(checkup=checkup, source=s, dimension=d, rating="ok")
                for s in ("principal", "peers_public", "recipients", "functional", "organization")
                for d in ("political", "moral", "discipline", "law", "conduct")
            ]
            if index % 4 == 0:
                for row in rows:
                    if row.dimension == "conduct" and row.source in ("recipients", "peers_public"):
                        row.rating, row.note = "concern", "群众反映办事拖沓"
                CheckupWarning.objects.create(
                    cadre=cadre,
                    checkup=checkup,
                    dimension="conduct",
                    raised_on=checkup.held_on,
                    reason="群众反映办事拖沓",
                )
            CheckupInput.objects.bulk_create(rows)
        return len(cadres)
