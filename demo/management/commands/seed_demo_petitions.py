"""Seed demo petitions, a clarification with its notice and a prevention filing.

    manage.py seed_demo_petitions

Run after seed_demo. Idempotent: when any petition exists nothing is written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clarifications.models import Petition
from core.models import User
from demo.clarifications import seed_filing, seed_petitions


class Command(BaseCommand):
    help = "Seed demo petitions, a clarification notice and a prevention filing (after seed_demo)."

    def handle(self, *args, **options):
        if Petition.objects.exists():
            self.stdout.write(
                f"Petitions already present ({Petition.objects.count()}); nothing changed."
            )
            return
        handler = User.objects.filter(username="investigator").first()
        if handler is None:
            raise CommandError("Run `manage.py seed_demo` first: the demo logins are missing.")
        with transaction.atomic():
            petitions = seed_petitions(handler)
            seed_filing(handler, petitions[0].cadre.unit)
        refs = ", ".join(f"{p.reference} {p.state}" for p in petitions)
        self.stdout.write(self.style.SUCCESS(f"Seeded {len(petitions)} petitions: {refs}."))
