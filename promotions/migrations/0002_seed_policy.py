"""The seed default policy (Shaanxi seed 003, Jinan seed 000), published."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from promotions.policy_data import DEFAULT_CONTENT

    PromotionPolicy = apps.get_model("promotions", "PromotionPolicy")
    if not PromotionPolicy.objects.filter(code="shaanxi-2016", authority=None).exists():
        PromotionPolicy.objects.create(
            code="shaanxi-2016",
            title="陕西省推进省管党政领导干部能上能下办法（试行）及鼓励激励办法（默认）",
            effective_from=dt.date(2016, 1, 1),
            status="published",
            content=DEFAULT_CONTENT,
        )


class Migration(migrations.Migration):
    dependencies = [("promotions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
