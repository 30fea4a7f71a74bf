"""Each jurisdiction's up/down measure holds only what its own seed says.

Migration 0005 shipped Jinan's version with seed 003's seven trigger areas, bonus and 十佳
numbers (borrowed from Shaanxi, because the content format then required them) and Shaanxi's
version with Jinan's grounds and exceptional-promotion situations. The format now lets a
measure leave those parts out (promotions.policy_data: no trigger fires, no bonus is
granted), so the shipped versions are corrected in place: Jinan keeps its grounds for
down-adjustment, the grade rule and exceptional promotion (seed 000/004); Shaanxi keeps the
seven trigger areas, the bonus and 十佳 (seed 003). Only the two shipped versions (by their
codes) are touched; a version an administrator made is left as it is.
"""

from django.db import migrations

SEED_003_ONLY = (
    "target", "monitoring", "poverty", "environment", "work_safety", "stability",
    "party_building", "bonus", "outstanding",
)
JINAN_ONLY = ("grounds", "incompetent_grade", "exceptional")

JINAN_NOTE = (
    "济南市的调整情形（不适宜、不胜任、不称职、不公认）、年度考核不称职的调整、破格提拔12种情形中"
    "种子引用的3种及其任职年限和考核等次条件（种子000/004）。济南的种子未规定七个触发领域、"
    "十强县奖金和十佳县委书记县长：本办法不含这些部分，系统不据以触发调整、不计发奖金，"
    "也不援引其他省份的数值；济南出台相应规定后由管理员另行起草新版本。"
)
SHAANXI_NOTE = (
    "七个触发领域和调整方式（种子003）；《陕西省党政干部鼓励激励办法（试行）》的十强县、五强区"
    "和奖金（第一名及首次进入100万元，其余50万元基数、每进退一位±10万元）和十佳县委书记县长。"
    "陕西的种子未规定由干部工作人员提出的调整情形和破格提拔情形：本办法不含这些部分。"
)


def own_measures(apps, schema_editor):
    PromotionPolicy = apps.get_model("promotions", "PromotionPolicy")
    for code, jurisdiction, drop, note in (
        ("jinan-2018", "3701", SEED_003_ONLY, JINAN_NOTE),
        ("shaanxi-2016", "61", JINAN_ONLY, SHAANXI_NOTE),
    ):
        for version in PromotionPolicy.objects.filter(code=code, jurisdiction_code=jurisdiction):
            content = {k: v for k, v in version.content.items() if k not in drop}
            PromotionPolicy.objects.filter(pk=version.pk).update(content=content, note=note)


class Migration(migrations.Migration):
    dependencies = [("promotions", "0007_merge_policy")]

    operations = [migrations.RunPython(own_measures, migrations.RunPython.noop)]
