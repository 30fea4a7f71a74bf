"""The default excellent quotas: policy data, editable in the admin afterwards."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    (
        "",
        2000,
        Decimal("0.150"),
        "floor",
        "一般默认值：优秀等次人数不超过参加年度考核人数的15%（可按本地办法修改）",
    ),
    (
        "township",
        2018,
        Decimal("0.200"),
        "floor",
        "浙江省委激励干部新担当新作为实施意见（2018）：乡镇（街道）公务员年度考核优秀等次比例提高到20%",
    ),
]


def add_defaults(apps, schema_editor):
    QuotaPolicy = apps.get_model("assessments", "QuotaPolicy")
    for kind, year, share, rounding, basis in DEFAULTS:
        QuotaPolicy.objects.get_or_create(
            unit_kind=kind,
            from_year=year,
            defaults={"share": share, "rounding": rounding, "basis": basis},
        )


def remove_defaults(apps, schema_editor):
    QuotaPolicy = apps.get_model("assessments", "QuotaPolicy")
    for kind, year, *_rest in DEFAULTS:
        QuotaPolicy.objects.filter(unit_kind=kind, from_year=year).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
