"""Seed a believable demo: 山东省 → 济南市, its counties, districts, townships and cadres.

    manage.py seed_demo [--cadres N] [--reset] [--force] [--seed S]

Deterministic for a given seed and calendar year (dates are counted back from 1 January of
the current year). Idempotent: when the demo province exists nothing is written unless
--reset is given. Demo logins have a known password, so the command runs only with DEBUG
on; --force lets it seed a non-debug database with unusable passwords, printed nowhere.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from cadres.enums import UnitKind
from cadres.models import (
    Authority,
    Cadre,
    ComparisonCategory,
    ListMembership,
    PositionRecord,
    TalentList,
    Unit,
)
from core import audit
from core.enums import Role
from core.models import User
from demo import cadres_data as D
from demo.cadres_build import COUNTY_CODES, PeopleMaker, assign_paths, plan_slots, unit_specs

PROJECT_APPS = ("cadres", "tolerance", "assessments", "promotions")


class Command(BaseCommand):
    help = "Seed the demo province (济南市) with units, authorities, cadres and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=600, help="Number of cadres.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo province and seed it again (DEBUG only).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (logins get unusable passwords).",
        )
        parser.add_argument("--seed", type=int, default=11643, help="Random seed.")

    def handle(self, *args, cadres, reset, force, seed, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo logins; it runs only with DEBUG on "
                "(use --force to seed anyway without usable passwords)."
            )
        if reset and not settings.DEBUG:
            raise CommandError("--reset deletes data; it is refused with DEBUG off.")
        if cadres < 20:
            raise CommandError("--cadres must be at least 20.")
        started = time.monotonic()
        root = Unit.objects.filter(code=D.ROOT_CODE, depth=1).first()
        if root is not None and not reset:
            self.stdout.write(
                f"Demo data already present ({Cadre.objects.count()} cadres); "
                "nothing changed. Use --reset to seed again."
            )
            self.print_logins(seeded_now=False)
            return
        if root is None and Unit.objects.exists():
            self.stdout.write(
                "The database holds units that are not demo data; nothing seeded "
                "(seed_demo only fills a database without units)."
            )
            return
        with transaction.atomic():
            if root is not None:
                self.delete_demo(root)
            counts = self.seed(cadres, random.Random(seed))  # noqa: S311 (demo data)
            audit.record("demo.seed", actor=None, after=counts, reason="manage.py seed_demo")
        took = time.monotonic() - started
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {took:.1f} s."))
        self.print_logins(seeded_now=True)

    # -- writing
    def delete_demo(self, root: Unit) -> None:
        subtree = {"unit__path__startswith": root.path}
        User.objects.filter(cadre__unit__path__startswith=root.path).update(cadre=None)
        User.objects.filter(**subtree).update(unit=None)
        try:
            Cadre.objects.filter(**subtree).delete()
            PositionRecord.objects.filter(**subtree).delete()
            Unit.objects.filter(path__startswith=root.path).delete()
        except (ProtectedError, RestrictedError) as exc:
            raise CommandError(
                "The demo data is referenced by other records and cannot be reset "
                f"({exc.args[0]}). Start from an empty database instead, e.g. "
                "`rm var/db.sqlite3 && ./scripts/dev.sh`."
            ) from None

    def seed(self, count: int, rng: random.Random) -> dict[str, int]:
        today = timezone.localdate()
        anchor = dt.date(today.year, 1, 1)
        categories = {}
        for key, (name, description) in D.CATEGORIES.items():
            categories[key], _ = ComparisonCategory.objects.update_or_create(
                name=name, defaults={"description": description}
            )
        specs = unit_specs()
        root = Unit.objects.add_root(
            {"code": D.ROOT_CODE, "name": D.ROOT_NAME, "kind": UnitKind.PROVINCE}
        )
        assign_paths(specs, root.path)
        Unit.objects.filter(pk=root.pk).update(numchild=specs[0].numchild)
        Unit.objects.bulk_create(
            Unit(
                code=s.code,
                name=s.name,
                kind=s.kind,
                path=s.path,
                depth=s.depth,
                numchild=s.numchild,
                category=categories.get(s.category),
            )
            for s in specs[1:]
        )
        units = {u.code: u for u in Unit.objects.filter(path__startswith=root.path)}
        authorities = self.seed_authorities(units)
        lists = {}
        for code, (name, kind) in D.TALENT_LISTS.items():
            lists[code], _ = TalentList.objects.update_or_create(
                code=code, defaults={"name": name, "kind": kind}
            )

        maker = PeopleMaker(specs, rng, anchor)
        plan = plan_slots(specs, count, rng)
        people = []
        for index, slot in enumerate(plan):
            values, history = maker.cadre(slot, index)
            people.append((slot, values, history, maker.memberships(values, slot)))
        created = Cadre.objects.bulk_create(
            Cadre(unit=units[slot.unit.code], **values) for slot, values, _h, _m in people
        )
        ids = dict(
            Cadre.objects.filter(unit__path__startswith=root.path).values_list("national_id", "pk")
        )
        positions, members = [], []
        for _slot, values, history, chosen in people:
            cadre_id = ids[values["national_id"]]
            for record in history:
                positions.append(
                    PositionRecord(
                        cadre_id=cadre_id, **{**record, "unit": units[record["unit"].code]}
                    )
                )
            members += [
                ListMembership(cadre_id=cadre_id, talent_list=lists[code], since=since)
                for code, since in chosen
            ]
        PositionRecord.objects.bulk_create(positions, batch_size=1000)
        ListMembership.objects.bulk_create(members, batch_size=1000)
        users = self.seed_users(people, ids, units, authorities)
        return {
            "units": len(units),
            "authorities": len(authorities),
            "cadres": len(created),
            "positions": len(positions),
            "memberships": len(members),
            "users": users,
        }

    def seed_authorities(self, units: dict[str, Unit]) -> dict[str, Authority]:
        authorities = {}
        for name, short, kind, roots, levels in D.AUTHORITIES:
            authority, _ = Authority.objects.update_or_create(
                name=name,
                defaults={
                    "short_name": short,
                    "kind": kind,
                    "management_levels": [str(v) for v in levels],
                },
            )
            authority.root_units.set([units[code] for code in roots])
            authorities[name] = authority
        return authorities

    def seed_groups(self) -> dict[str, Group]:
        """One group per role with its model permissions.

        No group holds the global "reveal national ID" permission: full ID numbers are for
        administrators (who see them by role) and, per cadre, for whoever is granted the
        object permission for a reason (e.g. an .lrmx export). Intake clerks and
        investigators work with masked numbers like everyone else.
        """
        perms = Permission.objects.select_related("content_type")
        view = list(
            perms.filter(content_type__app_label__in=PROJECT_APPS, codename__startswith="view_")
        )
        write = list(
            perms.filter(
                content_type__app_label="cadres",
                codename__in=[
                    "add_cadre",
                    "change_cadre",
                    "add_positionrecord",
                    "change_positionrecord",
                    "add_listmembership",
                    "change_listmembership",
                    "delete_listmembership",
                ],
            )
        )
        audit_view = list(perms.filter(content_type__app_label="core", codename="view_auditevent"))
        grants = {
            Role.ADMIN: [],
            Role.CADRE: [],
            Role.INTAKE_CLERK: view + write,
            Role.INVESTIGATOR: view,
            Role.COMMITTEE_MEMBER: view,
            Role.APPROVING_LEADER: view,
            Role.DISCIPLINE_STAFF: view,
            Role.UNIT_HR: view + write,
            Role.AUDITOR: view + audit_view,
        }
        groups = {}
        for role, granted in grants.items():
            groups[role], _ = Group.objects.get_or_create(name=role)
            groups[role].permissions.set(granted)
        return groups

    def seed_users(self, people, ids, units, authorities) -> int:
        groups = self.seed_groups()

        # The cadre login: a deputy mayor of a town; the HR officer works in the same town.
        def preference(person) -> int:
            slot = person[0]
            in_town = slot.unit.area in COUNTY_CODES and slot.unit.name.endswith("镇")
            return 0 if in_town and "副镇长" in slot.title else 1 if in_town else 2

        slot, values, _history, _lists = min(people, key=preference)
        own_cadre = Cadre.objects.get(pk=ids[values["national_id"]])
        hr_unit = units[slot.unit.code]
        password = demo_password() if settings.DEBUG else None
        encoded = make_password(password) if password else None
        for username, role, full_name, scope in D.DEMO_USERS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.full_name = full_name or own_cadre.name
            user.is_active = True
            user.is_superuser = user.is_staff = role == Role.ADMIN
            user.unit = hr_unit if scope == "unit" else None
            user.cadre = own_cadre if scope == "cadre" else None
            user.password = encoded or make_password(None)
            user.save()
            user.groups.set([groups[role]])
            user.authorities.set([authorities[scope]] if scope in authorities else [])
        return len(D.DEMO_USERS)

    # -- output
    def print_logins(self, *, seeded_now: bool) -> None:
        if not settings.DEBUG:
            self.stdout.write(
                "Demo logins have unusable passwords; set one with "
                "`manage.py changepassword <username>`."
            )
            return
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[row[0] for row in D.DEMO_USERS])
            .select_related("unit", "cadre")
            .prefetch_related("authorities")
        }
        password = demo_password()
        note = "" if seeded_now else " (as seeded, unless changed since)"
        self.stdout.write(f"\nDemo logins — password for all: {password}{note}")
        self.stdout.write(f"  {'username':<14}{'role':<18}scope")
        for username, role, _name, _scope in D.DEMO_USERS:
            user = users.get(username)
            if user is None:
                continue
            scope = (
                "everything"
                if role == Role.ADMIN
                else user.unit.name
                if user.unit
                else f"own record: {user.cadre.name}"
                if user.cadre
                else "、".join(a.name for a in user.authorities.all())
            )
            self.stdout.write(f"  {username:<14}{role:<18}{scope}")
        self.stdout.write("")


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or D.DEFAULT_DEMO_PASSWORD
