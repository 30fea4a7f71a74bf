"""Compile the project's .po catalogs to .mo with polib (no gettext binaries needed)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every .po under LOCALE_PATHS; fail on fuzzy or untranslated entries."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check, write nothing.")

    def handle(self, *args, check=False, **options):
        problems = []
        count = 0
        for base in settings.LOCALE_PATHS:
            for po_path in sorted(Path(base).rglob("*.po")):
                catalog = polib.pofile(str(po_path))
                problems += [f"{po_path}: fuzzy: {e.msgid!r}" for e in catalog.fuzzy_entries()]
                problems += [
                    f"{po_path}: untranslated: {e.msgid!r}" for e in catalog.untranslated_entries()
                ]
                if not check:
                    catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"{count} catalog(s) {'checked' if check else 'compiled'}")
