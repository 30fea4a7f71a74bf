"""Seed demo tolerance cases for the demo logins (run after seed_demo).

    manage.py seed_demo_cases [--force]

Idempotent: when any tolerance case exists nothing is written. Adds the county organization
department's staff logins the cases need (printed with their password), like seed_demo
only with DEBUG on; --force seeds a non-debug database with unusable passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from core.enums import Role
from core.models import User
from demo.management.commands.seed_demo import demo_password
from demo.tolerance import COUNTY_STAFF, DemoCases, Team, county_authority
from demo.tolerance_province import STAFF as PROVINCE_STAFF
from demo.tolerance_province import seed_second_province
from tolerance.committee import committee_seat_add
from tolerance.models import Case


class Command(BaseCommand):
    help = "Seed demo tolerance cases in several states (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (new logins get unusable passwords).",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo_cases creates demo logins; it runs only with DEBUG on "
                "(use --force to seed anyway without usable passwords)."
            )
        if Case.objects.exists():
            self.stdout.write(
                f"Tolerance cases already present ({Case.objects.count()}); nothing changed."
            )
            return
        users = {u.username: u for u in User.objects.filter(
            username__in=["cadre", "hr", "clerk", "investigator", "committee", "leader"]
        )}
        missing = {"cadre", "hr", "clerk", "investigator", "committee", "leader"} - set(users)
        if missing or users["cadre"].cadre_id is None:
            raise CommandError("Run `manage.py seed_demo` first: the demo logins are missing.")
        authority = county_authority(users["cadre"])
        staff = self.county_staff(authority)
        county = Team(
            clerk=staff["county_clerk"],
            investigator=staff["county_investigator"],
            members=[staff["county_member1"], staff["county_member2"], staff["county_leader"]],
            leader=staff["county_leader"],
            reviewer=staff["county_reviewer"],
        )
        city = Team(
            clerk=users["clerk"],
            investigator=users["investigator"],
            members=[users["committee"], users["leader"]],
            leader=users["leader"],
        )
        # Each authority's committee roster: its members and the approving leader.
        for team in (county, city):
            roster_of = team.clerk.authorities.get()
            for user in team.members:
                title = "主任" if user == team.leader else "委员"
                committee_seat_add(roster_of, user, actor=None, title=title)
        cases = DemoCases(cadre_user=users["cadre"], hr=users["hr"], county=county,
                          city=city).build()
        states = ", ".join(f"{c.reference} {c.state}" for c in cases)
        self.stdout.write(self.style.SUCCESS(f"Seeded {len(cases)} tolerance cases: {states}."))
        self.print_logins(authority, staff)
        # A second province beside Jinan, judged under its own measure (陕西省).
        slice_cases = seed_second_province(demo_password() if settings.DEBUG else None)
        if slice_cases:
            self.stdout.write(self.style.SUCCESS(
                "Seeded 陕西省 → 西安市 → 蓝田县 (中共蓝田县委组织部) with "
                + ", ".join(f"{c.reference} {c.state}" for c in slice_cases)
                + f"; logins {', '.join(u for u, _r, _n in PROVINCE_STAFF)}."
            ))

    def county_staff(self, authority) -> dict[str, User]:
        password = make_password(demo_password() if settings.DEBUG else None)
        staff = {}
        for username, role, full_name in COUNTY_STAFF:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.full_name = full_name
            user.is_active = True
            user.password = password
            user.save()
            group, _created = Group.objects.get_or_create(name=role)
            user.groups.set([group])
            user.authorities.set([authority])
            staff[username] = User.objects.get(pk=user.pk)  # fresh role and scope caches
        return staff

    def print_logins(self, authority, staff) -> None:
        if not settings.DEBUG:
            return
        self.stdout.write(
            f"\nLogins added for {authority.name} — password: {demo_password()}"
        )
        for username, role, full_name in COUNTY_STAFF:
            self.stdout.write(f"  {username:<20}{Role(role).value:<18}{full_name}")
        self.stdout.write("")
