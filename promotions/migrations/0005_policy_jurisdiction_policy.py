"""Policy versions belong to a jurisdiction (a unit code), not to an authority; each seed's
measure is shipped as the published policy of its own jurisdiction.

The measures' content is inline below, frozen as published: later edits to the code do not
change what a database built from these migrations contains. Versions stored before keep
their content; an old default (no authority) is moved to 陕西省, whose measure it was.
"""

import django.db.models.deletion
from django.conf import settings
import datetime as dt

from django.db import migrations, models
from django.utils import timezone

OLD_DEFAULT = {"shaanxi-2016": ("61", "陕西省")}

MEASURES = [
    {
        "jurisdiction_code": "61",
        "jurisdiction_name": "陕西省",
        "code": "shaanxi-2016",
        "title": "陕西省推进省管党政领导干部能上能下办法（试行）",
        "issuer": "中共陕西省委办公厅",
        "label": "种子003版（含鼓励激励办法的奖励）",
        "effective_from": "2016-01-01",
        "note": "七个触发领域和调整方式（种子003）；《陕西省党政干部鼓励激励办法（试行）》的十强县、五强区和奖金（第一名及首次进入100万元，其余50万元基数、每进退一位±10万元）和十佳县委书记县长；本版本还带有济南市的调整情形和破格提拔情形（grounds、exceptional），因为系统的内容格式要求这些部分，陕西种子未规定这些内容。",
        "content": {
            "format": 1,
            "target": {"average_years": 2, "poor_years": 1, "roles": ["principal"]},
            "monitoring": {
                "consecutive_years": 2,
                "county_largest_drops": 3,
                "district_largest_drops": 1,
                "roles": ["principal"],
            },
            "poverty": {"roles": ["principal"]},
            "environment": {
                "severities": ["especially_serious", "serious"],
                "roles": ["principal", "in_charge", "other"],
            },
            "work_safety": {
                "per_year": {"especially_serious": 1, "serious": 2},
                "roles": ["principal", "in_charge"],
            },
            "stability": {
                "per_year": {"especially_serious": 1, "serious": 2},
                "roles": ["principal", "in_charge", "other"],
            },
            "party_building": {
                "criticized_by": ["central", "provincial"],
                "roles": ["principal", "in_charge", "other"],
            },
            "eligibility": {
                "min_years_in_rank": 3,
                "grade_years": 3,
                "excellent_needed": 2,
                "team_priority_grade": "good",
            },
            "bonus": {
                "top_counties": 10,
                "top_districts": 5,
                "first_place": 100,
                "first_entry": 100,
                "base": 50,
                "per_place": 10,
            },
            "grounds": [
                {
                    "code": "unsuitable",
                    "title": "不适宜担任现职",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
                {
                    "code": "unfit",
                    "title": "不胜任现职",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
                {
                    "code": "incompetent",
                    "title": "不称职",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
                {
                    "code": "not_accepted",
                    "title": "不被干部群众公认",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
            ],
            "incompetent_grade": {"grades": ["incompetent"]},
            "exceptional": {
                "declared_situations": 12,
                "situations": [
                    {
                        "code": "outstanding_results",
                        "title": "工作实绩突出、群众基础较好",
                        "source": "济南市干部破格提拔办法（例：谢允岗正科级任职年限不满3年，破格提拔为副处级）",
                        "check": "",
                    },
                    {
                        "code": "strong_grades",
                        "title": "近3年年度考核均为“称职”以上、其中两次以上“优秀”",
                        "source": "济南市市管领导班子和领导干部年度考核结果运用实施办法（试行）",
                        "check": "grades",
                    },
                    {
                        "code": "chucai",
                        "title": "让人“眼前一亮、为之一振、如获至宝”的“出彩型”好干部",
                        "source": "济南市干部正向激励机制：“出彩型”好干部大胆破格提拔",
                        "check": "",
                    },
                ],
                "waivable": ["years_in_rank", "rank_step"],
                "ladder": [45, 65, 85, 105, 115, 125, 135, 145],
            },
            "outstanding": {
                "count": 10,
                "weights": {"target": 40, "monitoring": 30, "rank_gain": 10, "poverty": 20},
                "target_points": {"excellent": 100, "good": 80, "average": 50, "poor": 0},
                "points_per_place_gained": 10,
            },
        },
    },
    {
        "jurisdiction_code": "3701",
        "jurisdiction_name": "济南市",
        "code": "jinan-2018",
        "title": "关于进一步激励广大干部新时代新担当新作为的意见",
        "issuer": "中共济南市委",
        "label": "种子000/004版",
        "effective_from": "2016-01-01",
        "note": "不适宜、不胜任、不称职、不公认的调整情形，年度考核不称职的调整，破格提拔12种情形中种子引用的3种（种子000/004）。济南的种子未规定七个触发领域、十强县奖金和十佳县委书记：这些部分暂按陕西省办法的数值填写，以满足内容格式，须由管理员按济南办法核实后修订。",
        "content": {
            "format": 1,
            "target": {"average_years": 2, "poor_years": 1, "roles": ["principal"]},
            "monitoring": {
                "consecutive_years": 2,
                "county_largest_drops": 3,
                "district_largest_drops": 1,
                "roles": ["principal"],
            },
            "poverty": {"roles": ["principal"]},
            "environment": {
                "severities": ["especially_serious", "serious"],
                "roles": ["principal", "in_charge", "other"],
            },
            "work_safety": {
                "per_year": {"especially_serious": 1, "serious": 2},
                "roles": ["principal", "in_charge"],
            },
            "stability": {
                "per_year": {"especially_serious": 1, "serious": 2},
                "roles": ["principal", "in_charge", "other"],
            },
            "party_building": {
                "criticized_by": ["central", "provincial"],
                "roles": ["principal", "in_charge", "other"],
            },
            "eligibility": {
                "min_years_in_rank": 3,
                "grade_years": 3,
                "excellent_needed": 2,
                "team_priority_grade": "good",
            },
            "bonus": {
                "top_counties": 10,
                "top_districts": 5,
                "first_place": 100,
                "first_entry": 100,
                "base": 50,
                "per_place": 10,
            },
            "grounds": [
                {
                    "code": "unsuitable",
                    "title": "不适宜担任现职",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
                {
                    "code": "unfit",
                    "title": "不胜任现职",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
                {
                    "code": "incompetent",
                    "title": "不称职",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
                {
                    "code": "not_accepted",
                    "title": "不被干部群众公认",
                    "source": "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整",
                    "situations": [],
                },
            ],
            "incompetent_grade": {"grades": ["incompetent"]},
            "exceptional": {
                "declared_situations": 12,
                "situations": [
                    {
                        "code": "outstanding_results",
                        "title": "工作实绩突出、群众基础较好",
                        "source": "济南市干部破格提拔办法（例：谢允岗正科级任职年限不满3年，破格提拔为副处级）",
                        "check": "",
                    },
                    {
                        "code": "strong_grades",
                        "title": "近3年年度考核均为“称职”以上、其中两次以上“优秀”",
                        "source": "济南市市管领导班子和领导干部年度考核结果运用实施办法（试行）",
                        "check": "grades",
                    },
                    {
                        "code": "chucai",
                        "title": "让人“眼前一亮、为之一振、如获至宝”的“出彩型”好干部",
                        "source": "济南市干部正向激励机制：“出彩型”好干部大胆破格提拔",
                        "check": "",
                    },
                ],
                "waivable": ["years_in_rank", "rank_step"],
                "ladder": [45, 65, 85, 105, 115, 125, 135, 145],
            },
            "outstanding": {
                "count": 10,
                "weights": {"target": 40, "monitoring": 30, "rank_gain": 10, "poverty": 20},
                "target_points": {"excellent": 100, "good": 80, "average": 50, "poor": 0},
                "points_per_place_gained": 10,
            },
        },
    },
]


def convert_and_seed(apps, schema_editor):
    Version = apps.get_model("promotions", "PromotionPolicy")
    Authority = apps.get_model("cadres", "Authority")
    for version in Version.objects.all():
        if version.authority_id is None:
            version.jurisdiction_code, version.jurisdiction_name = OLD_DEFAULT.get(
                version.code, ("", "")
            )
            version.label = "旧版本（{}）".format(version.title)[:100]
        else:
            authority = Authority.objects.get(pk=version.authority_id)
            units = sorted(authority.root_units.all(), key=lambda u: (u.depth, u.code))
            version.jurisdiction_code = units[0].code if units else ""
            version.jurisdiction_name = units[0].name if units else ""
        Version.objects.filter(pk=version.pk).update(
            jurisdiction_code=version.jurisdiction_code,
            jurisdiction_name=version.jurisdiction_name,
            label=version.label,
        )
    now = timezone.now()
    for row in MEASURES:
        values = dict(row)
        values["effective_from"] = dt.date.fromisoformat(values["effective_from"])
        Version.objects.create(status="published", published_at=now, **values)
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now, so that the ALTER TABLE below does not meet
        # pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0004_merge_0003_grounds_exceptional_0003_incentives"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="promotionpolicy",
            options={
                "ordering": ["jurisdiction_code", "-effective_from", "-id"],
                "verbose_name": "up/down policy version",
                "verbose_name_plural": "up/down policy versions",
            },
        ),
        migrations.AddField(
            model_name="promotionpolicy",
            name="issuer",
            field=models.CharField(blank=True, max_length=100, verbose_name="issuing body"),
        ),
        migrations.AddField(
            model_name="promotionpolicy",
            name="jurisdiction_code",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Code of the unit whose jurisdiction issued the measure (e.g. 3701 for 济南市). Authorities at that unit or below it use this version unless a nearer jurisdiction has one. Blank: wherever no jurisdiction up the tree has a version.",
                max_length=32,
                verbose_name="jurisdiction (unit code)",
            ),
        ),
        migrations.AddField(
            model_name="promotionpolicy",
            name="jurisdiction_name",
            field=models.CharField(blank=True, max_length=64, verbose_name="jurisdiction"),
        ),
        migrations.AddField(
            model_name="promotionpolicy",
            name="label",
            field=models.CharField(
                blank=True,
                help_text="For administrators only; never printed on a document.",
                max_length=100,
                verbose_name="internal label",
            ),
        ),
        migrations.AddField(
            model_name="promotionpolicy",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="What the measure covers, and what its sources leave unsaid.",
                verbose_name="description",
            ),
        ),
        migrations.AlterField(
            model_name="promotionpolicy",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AlterField(
            model_name="promotionpolicy",
            name="title",
            field=models.CharField(
                help_text="The measure's official name, as documents cite it, without 《》.",
                max_length=200,
                verbose_name="official title",
            ),
        ),
        migrations.RunPython(convert_and_seed, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="promotionpolicy",
            name="authority",
        ),
    ]
