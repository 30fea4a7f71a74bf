"""Seed the default tolerance policy (published) and the Guanyun catalog (a draft template).

The content is copied from tolerance.catalogs as it stands when this migration runs; later
edits to that module do not change versions already stored.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from tolerance.catalogs import GUANYUN, SHAANXI_2016
    from tolerance.policy_data import policy_to_data

    PolicyVersion = apps.get_model("tolerance", "PolicyVersion")
    if PolicyVersion.objects.exists():
        return
    PolicyVersion.objects.create(
        authority=None,
        code=SHAANXI_2016.code,
        title="容错纠错办法（默认：陕西省党政干部容错纠错办法（试行）十一种情形）",
        effective_from=dt.date(2016, 7, 1),
        status="published",
        published_at=timezone.now(),
        content=policy_to_data(SHAANXI_2016),
        note="Default for every authority without a version of its own.",
    )
    PolicyVersion.objects.create(
        authority=None,
        code=GUANYUN.code,
        title="灌云县容错情形十八种（模板，指定管辖机关后发布）",
        effective_from=dt.date(2018, 1, 1),
        status="draft",
        content=policy_to_data(GUANYUN),
        note="Template: copy it for a county's authority, then publish.",
    )


class Migration(migrations.Migration):
    dependencies = [("tolerance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
