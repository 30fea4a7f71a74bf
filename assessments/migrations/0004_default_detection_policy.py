"""The default detection and warning thresholds: policy data, editable in the admin.

Seeds 000 and 002 name the problems ("主要领导年年评优、一般干部'轮流坐庄'、其他人员千篇一律
为'称职'") without numbers, seed 001 the check-up's warnings likewise; these are the
defaults the code used before they became data.
"""

from decimal import Decimal

from django.db import migrations

DEFAULT = {
    "from_year": 2000,
    "rotation_window_years": 4,
    "rotation_max_awards": 1,
    "rotation_min_awards": 3,
    "rotation_min_coverage": Decimal("0.500"),
    "uniform_min_years": 3,
    "uniform_min_participants": 5,
    "uniform_max_below": 0,
    "uniform_min_competent_share": Decimal("0.800"),
    "checkup_problems_for_warning": 1,
    "checkup_concerns_for_warning": 2,
    "basis": "默认值：识别“优秀轮流坐庄”“千篇一律为称职”（浙江省委实施意见，2018；可按本地办法修改）",
}


def add_default(apps, schema_editor):
    DetectionPolicy = apps.get_model("assessments", "DetectionPolicy")
    values = dict(DEFAULT)
    DetectionPolicy.objects.get_or_create(from_year=values.pop("from_year"), defaults=values)


def remove_default(apps, schema_editor):
    DetectionPolicy = apps.get_model("assessments", "DetectionPolicy")
    DetectionPolicy.objects.filter(from_year=DEFAULT["from_year"]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_detection_policy")]

    operations = [migrations.RunPython(add_default, remove_default)]
