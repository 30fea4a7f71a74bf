"""Seed demo adjustment proposals, exceptional promotions, commendations and a bonus
allocation (after seed_demo, seed_assessments, seed_demo_cases, seed_demo_petitions).

    manage.py seed_demo_promotions

Idempotent: when any adjustment proposal or commendation exists nothing is written.
Everything goes through the services as the demo logins of the city organization
department (demo.promotions); refuses when those logins are missing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from demo.promotions import DemoPromotions, MissingLogins, already_seeded, demo_staff, states
from promotions.models import Commendation, Proposal


class Command(BaseCommand):
    help = "Seed demo up/down proposals, exceptional promotions and incentives (after seed_demo)."

    def handle(self, *args, **options):
        if already_seeded():
            self.stdout.write(
                f"Proposals ({Proposal.objects.count()}) or commendations "
                f"({Commendation.objects.count()}) already present; nothing changed."
            )
            return
        try:
            staff = demo_staff()
        except MissingLogins:
            raise CommandError(
                "Run `manage.py seed_demo` first: the demo logins (clerk, investigator, "
                "leader of the city organization department) are missing."
            ) from None
        seeded = DemoPromotions(staff).build()
        scanned = ", ".join(f"{y}: {n}" for y, n in seeded.scanned.items())
        lines = [f"Scan as {staff.clerk.username} for {staff.authority.name} — {scanned}."]
        if seeded.by_ground:
            lines.append(
                f"The scan fired no trigger; {len(seeded.by_ground)} proposals made on staff "
                "grounds instead."
            )
        per_state = ", ".join(f"{n} {s}" for s, n in states().items())
        lines += [
            f"Proposals: {Proposal.objects.count()} ({per_state}).",
            "Exceptional promotions: "
            + (", ".join(f"{r.cadre.name} {r.state}" for r in seeded.requests) or "none")
            + ".",
            f"Commendations: {len(seeded.commendations)} "
            f"({sum(1 for c in seeded.commendations if c.cadre_id is None)} of teams).",
            f"Bonus allocations: {len(seeded.allocations)}"
            + (
                f" ({seeded.allocations[0].unit.name} {seeded.allocations[0].year})"
                if seeded.allocations
                else " (no county with a bonus)"
            )
            + ".",
        ]
        self.stdout.write(self.style.SUCCESS("Seeded demo promotions.\n" + "\n".join(lines)))
