"""Formerly seeded a default policy from live code; superseded by 0005, which carries each
jurisdiction's measure inline. Kept (doing nothing) so that the migration history stays
linear for databases that already applied it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("promotions", "0001_initial")]
    operations = []
