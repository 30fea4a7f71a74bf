"""promotions 0001–0008 squashed: the schema and the published seed measures as they stood
after 0008. The data functions are copied verbatim from the migrations they replace (each
runs at the same point of the schema history), so a new database gets the same content as
one migrated step by step. The replaced files are gone; `replaces` stays, so a database
that applied them step by step counts this one as applied (drop it once none is left)."""

import datetime as dt


import django.db.migrations.operations.special
import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


# --- from 0003_incentives ---
OUTSTANDING = {'count': 10,
 'weights': {'target': 40, 'monitoring': 30, 'rank_gain': 10, 'poverty': 20},
 'target_points': {'excellent': 100, 'good': 80, 'average': 50, 'poor': 0},
 'points_per_place_gained': 10}


def publish_outstanding_weights(apps, schema_editor):
    """Databases seeded before the outstanding-principal weights existed get a new published
    default version carrying them (a published version is never changed)."""
    import datetime as dt

    PromotionPolicy = apps.get_model("promotions", "PromotionPolicy")
    latest = (
        PromotionPolicy.objects.filter(authority=None, status="published")
        .order_by("-effective_from", "-id")
        .first()
    )
    if latest is None or "outstanding" in latest.content:
        return
    PromotionPolicy.objects.create(
        code=f"{latest.code}-incentives"[:40],
        title=f"{latest.title}（增补十佳党政正职权重）",
        effective_from=max(latest.effective_from, dt.date(2016, 1, 1)),
        status="published",
        content={**latest.content, "outstanding": OUTSTANDING},
    )


# --- from 0003_grounds_exceptional ---
JINAN_SECTIONS = {'grounds': [{'code': 'unsuitable',
              'title': '不适宜担任现职',
              'source': 'seed 004',
              'situations': []},
             {'code': 'unfit', 'title': '不胜任现职', 'source': 'seed 004', 'situations': []},
             {'code': 'incompetent',
              'title': '不称职',
              'source': 'seed 004',
              'situations': []},
             {'code': 'not_accepted',
              'title': '不被干部群众公认',
              'source': 'seed 004',
              'situations': []}],
 'incompetent_grade': {'grades': ['incompetent']},
 'exceptional': {'declared_situations': 12,
                 'situations': [{'code': 'outstanding_results',
                                 'title': '工作实绩突出、群众基础较好',
                                 'source': 'seed 000（谢允岗：正科级任职年限不满3年，破格提拔为副处级）',
                                 'check': ''},
                                {'code': 'strong_grades',
                                 'title': '近3年年度考核均为“称职”以上、其中两次以上“优秀”',
                                 'source': 'seed 000',
                                 'check': 'grades'},
                                {'code': 'chucai',
                                 'title': '让人“眼前一亮、为之一振、如获至宝”的“出彩型”好干部',
                                 'source': 'seed 004',
                                 'check': ''}],
                 'waivable': ['years_in_rank', 'rank_step'],
                 'ladder': [45, 65, 85, 105, 115, 125, 135, 145]}}


def publish_jinan_sections(apps, schema_editor):
    """Installations whose default version predates Jinan's sections get a new default
    version with them (a published version is never edited). A fresh database's seed
    version (0002) already has them, and nothing is added."""
    PromotionPolicy = apps.get_model("promotions", "PromotionPolicy")
    latest = (
        PromotionPolicy.objects.filter(authority=None, status="published")
        .order_by("-effective_from", "-id")
        .first()
    )
    if latest is None or "grounds" in latest.content:
        return
    PromotionPolicy.objects.create(
        code="shaanxi-2016-jinan",
        title="能上能下默认办法：增补济南市“四不”调整、不称职等次与破格提拔",
        effective_from=latest.effective_from,
        status="published",
        content={**latest.content, **JINAN_SECTIONS},
    )


# --- from 0005_policy_jurisdiction_policy ---
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


# --- from 0008_policy_own_measures ---
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

    replaces = [('promotions', '0001_initial'), ('promotions', '0002_seed_policy'), ('promotions', '0003_incentives'), ('promotions', '0003_grounds_exceptional'), ('promotions', '0004_merge_0003_grounds_exceptional_0003_incentives'), ('promotions', '0005_flow_fsm_state'), ('promotions', '0005_bench_proposal_list_indexes'), ('promotions', '0006_merge_bench_flow'), ('promotions', '0005_policy_jurisdiction_policy'), ('promotions', '0007_merge_policy'), ('promotions', '0008_policy_own_measures')]

    initial = True

    dependencies = [
        ('assessments', '0002_default_quota_policies'),
        ('cadres', '0002_authority_short_name_unique'),
        ('cadres', '0003_bench_cadre_list_indexes'),
        ('tolerance', '0003_remedy_overdue_notified_on'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IncidentMatter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('incident', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='promotion_matter', to='assessments.incident')),
                ('matter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tolerance.accountabilitymatter', verbose_name='accountability matter')),
            ],
            options={
                'verbose_name': "incident's accountability matter",
                'verbose_name_plural': "incidents' accountability matters",
            },
        ),
        migrations.CreateModel(
            name='PromotionPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('effective_from', models.DateField(verbose_name='in force from')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=12, verbose_name='status')),
                ('content', models.JSONField(verbose_name='content')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                ('authority', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='promotion_policies', to='cadres.authority', verbose_name='jurisdiction (competent authority)')),
                ('published_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'up/down policy version',
                'verbose_name_plural': 'up/down policy versions',
                'ordering': ['authority_id', '-effective_from', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Proposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('area', models.CharField(choices=[('target', 'Target-responsibility grade'), ('monitoring', 'County monitoring rank drop'), ('poverty', 'Poverty target missed'), ('environment', 'Environmental event mishandled'), ('work_safety', 'Work-safety accidents'), ('stability', 'Mass and public-safety incidents'), ('party_building', 'Party-building violation criticized'), ('incompetent_grade', 'Individual grade incompetent'), ('unsuitable', 'Unsuitable for the post (Jinan)')], max_length=20, verbose_name='trigger area')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('role', models.CharField(blank=True, max_length=16, verbose_name='responsibility')),
                ('clause', models.CharField(max_length=64, verbose_name='rule')),
                ('evidence', models.JSONField(default=list, verbose_name='evidence')),
                ('grounds', models.TextField(blank=True, verbose_name='grounds')),
                ('state', django_fsm.FSMField(choices=[('proposed', 'Proposed'), ('inspecting', 'Under inspection and talk'), ('decided', 'Decided'), ('executed', 'Executed')], default='proposed', max_length=50, protected=True, verbose_name='state')),
                ('decision', models.CharField(blank=True, choices=[('adjust', 'Adjust'), ('keep', 'Do not adjust')], max_length=8, verbose_name='decision')),
                ('method', models.CharField(blank=True, choices=[('transfer', 'Transfer from post'), ('non_leadership', 'Change to a non-leadership post'), ('resign_blame', 'Resignation taking the blame'), ('ordered_resign', 'Ordered resignation'), ('remove', 'Removal from office'), ('demote', 'Demotion')], max_length=16, verbose_name='adjustment method')),
                ('decision_reason', models.TextField(blank=True, verbose_name='reason')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('authority', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.authority', verbose_name='authority')),
                ('cadre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.cadre', verbose_name='cadre')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='promotions.promotionpolicy', verbose_name='policy version')),
                ('position', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.positionrecord')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'adjustment proposal',
                'verbose_name_plural': 'adjustment proposals',
                'ordering': ['-year', '-id'],
                'indexes': [models.Index(fields=['authority', 'state'], name='promotions__authori_a629a5_idx'), models.Index(fields=['year', 'area'], name='promotions__year_52b395_idx')],
                'constraints': [models.UniqueConstraint(fields=('cadre', 'area', 'year'), name='proposal_once')],
            },
            bases=(django_fsm.FSMModelMixin, models.Model),
        ),
        migrations.CreateModel(
            name='BonusAllocation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (yuan)')),
                ('reason', models.CharField(max_length=200, verbose_name='reason')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('cadre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.cadre', verbose_name='cadre')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='promotions.promotionpolicy', verbose_name='policy version')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'bonus allocation',
                'verbose_name_plural': 'bonus allocations',
                'ordering': ['unit_id', 'year', '-amount', 'id'],
                'indexes': [models.Index(fields=['unit', 'year'], name='promotions__unit_id_c7e673_idx')],
                'constraints': [models.UniqueConstraint(fields=('unit', 'year', 'cadre'), name='allocation_once'), models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='allocation_positive')],
            },
        ),
        migrations.CreateModel(
            name='Commendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('outstanding', 'Named outstanding (出彩型)'), ('commended', 'Commendation (嘉奖)'), ('merit_third', 'Third-class merit (记三等功)'), ('merit_second', 'Second-class merit (记二等功)'), ('merit_first', 'First-class merit (记一等功)'), ('title', 'Honorary title')], max_length=16, verbose_name='kind')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('granted_on', models.DateField(verbose_name='granted on')),
                ('granted_by', models.CharField(max_length=128, verbose_name='granting authority')),
                ('document_ref', models.CharField(blank=True, max_length=64, verbose_name='document reference')),
                ('citation', models.TextField(verbose_name='citation')),
                ('team_name', models.CharField(blank=True, max_length=128, verbose_name='team')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('authority', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.authority', verbose_name='recorded by')),
                ('cadre', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.cadre', verbose_name='cadre')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(help_text="The team's unit, or the cadre's unit when commended.", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'commendation',
                'verbose_name_plural': 'commendations',
                'ordering': ['-year', '-granted_on', '-id'],
                'indexes': [models.Index(fields=['year', 'kind'], name='promotions__year_dd44af_idx'), models.Index(fields=['unit', 'year'], name='promotions__unit_id_cd167d_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('cadre__isnull', False), ('team_name', '')), models.Q(('cadre__isnull', True), models.Q(('team_name', ''), _negated=True)), _connector='OR'), name='commendation_cadre_or_team')],
            },
        ),
        migrations.RunPython(
            code=publish_outstanding_weights,
            reverse_code=django.db.migrations.operations.special.RunPython.noop,
        ),
        migrations.AlterField(
            model_name='proposal',
            name='area',
            field=models.CharField(choices=[('target', 'Target-responsibility grade'), ('monitoring', 'County monitoring rank drop'), ('poverty', 'Poverty target missed'), ('environment', 'Environmental event mishandled'), ('work_safety', 'Work-safety accidents'), ('stability', 'Mass and public-safety incidents'), ('party_building', 'Party-building violation criticized'), ('incompetent_grade', 'Individual grade incompetent'), ('unsuitable', 'Unsuitable for the post (Jinan)'), ('unfit', 'Unfit for the post (Jinan)'), ('incompetent', 'Incompetent in the post (Jinan)'), ('not_accepted', 'Not accepted by cadres and the public (Jinan)')], max_length=20, verbose_name='trigger area'),
        ),
        migrations.CreateModel(
            name='ExceptionalRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('current_rank', models.PositiveSmallIntegerField(choices=[(10, 'Grade-2 clerk'), (20, 'Grade-1 clerk'), (30, 'Grade-4 principal staff member'), (40, 'Grade-3 principal staff member'), (45, 'Deputy section level'), (50, 'Grade-2 principal staff member'), (60, 'Grade-1 principal staff member'), (65, 'Section level'), (70, 'Grade-4 researcher'), (80, 'Grade-3 researcher'), (85, 'Deputy county level'), (90, 'Grade-2 researcher'), (100, 'Grade-1 researcher'), (105, 'County level'), (110, 'Grade-2 inspector'), (115, 'Deputy bureau level'), (120, 'Grade-1 inspector'), (125, 'Bureau level'), (135, 'Deputy ministerial level'), (145, 'Ministerial level')], verbose_name='current rank')),
                ('target_title', models.CharField(max_length=128, verbose_name='target post')),
                ('target_rank', models.PositiveSmallIntegerField(choices=[(10, 'Grade-2 clerk'), (20, 'Grade-1 clerk'), (30, 'Grade-4 principal staff member'), (40, 'Grade-3 principal staff member'), (45, 'Deputy section level'), (50, 'Grade-2 principal staff member'), (60, 'Grade-1 principal staff member'), (65, 'Section level'), (70, 'Grade-4 researcher'), (80, 'Grade-3 researcher'), (85, 'Deputy county level'), (90, 'Grade-2 researcher'), (100, 'Grade-1 researcher'), (105, 'County level'), (110, 'Grade-2 inspector'), (115, 'Deputy bureau level'), (120, 'Grade-1 inspector'), (125, 'Bureau level'), (135, 'Deputy ministerial level'), (145, 'Ministerial level')], verbose_name='target rank')),
                ('situation', models.CharField(max_length=40, verbose_name='exceptional situation')),
                ('situation_title', models.CharField(max_length=200, verbose_name='exceptional situation')),
                ('thresholds', models.JSONField(default=list, verbose_name='thresholds')),
                ('reasons', models.TextField(verbose_name='reasons')),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='draft', editable=False, max_length=12, verbose_name='state')),
                ('decision_reason', models.TextField(blank=True, verbose_name='decision reason')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('decided_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('authority', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.authority', verbose_name='authority')),
                ('cadre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.cadre', verbose_name='cadre')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='promotions.promotionpolicy', verbose_name='policy version')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cadres.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'exceptional-promotion request',
                'verbose_name_plural': 'exceptional-promotion requests',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['authority', 'state'], name='promotions__authori_ffacc4_idx'), models.Index(fields=['cadre', 'state'], name='promotions__cadre_i_2ec923_idx')],
            },
        ),
        migrations.RunPython(
            code=publish_jinan_sections,
            reverse_code=django.db.migrations.operations.special.RunPython.noop,
        ),
        migrations.AlterField(
            model_name='exceptionalrequest',
            name='state',
            field=django_fsm.FSMField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='draft', editable=False, max_length=12, protected=True, verbose_name='state'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['authority', '-year', '-id'], name='proposal_list_by_authority'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['-year', '-id'], name='proposal_list_order'),
        ),
        migrations.AlterModelOptions(
            name='promotionpolicy',
            options={'ordering': ['jurisdiction_code', '-effective_from', '-id'], 'verbose_name': 'up/down policy version', 'verbose_name_plural': 'up/down policy versions'},
        ),
        migrations.AddField(
            model_name='promotionpolicy',
            name='issuer',
            field=models.CharField(blank=True, max_length=100, verbose_name='issuing body'),
        ),
        migrations.AddField(
            model_name='promotionpolicy',
            name='jurisdiction_code',
            field=models.CharField(blank=True, db_index=True, help_text='Code of the unit whose jurisdiction issued the measure (e.g. 3701 for 济南市). Authorities at that unit or below it use this version unless a nearer jurisdiction has one. Blank: wherever no jurisdiction up the tree has a version.', max_length=32, verbose_name='jurisdiction (unit code)'),
        ),
        migrations.AddField(
            model_name='promotionpolicy',
            name='jurisdiction_name',
            field=models.CharField(blank=True, max_length=64, verbose_name='jurisdiction'),
        ),
        migrations.AddField(
            model_name='promotionpolicy',
            name='label',
            field=models.CharField(blank=True, help_text='For administrators only; never printed on a document.', max_length=100, verbose_name='internal label'),
        ),
        migrations.AddField(
            model_name='promotionpolicy',
            name='note',
            field=models.TextField(blank=True, help_text='What the measure covers, and what its sources leave unsaid.', verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='promotionpolicy',
            name='published_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        migrations.AlterField(
            model_name='promotionpolicy',
            name='title',
            field=models.CharField(help_text="The measure's official name, as documents cite it, without 《》.", max_length=200, verbose_name='official title'),
        ),
        migrations.RunPython(
            code=convert_and_seed,
            reverse_code=django.db.migrations.operations.special.RunPython.noop,
        ),
        migrations.RemoveField(
            model_name='promotionpolicy',
            name='authority',
        ),
        migrations.RunPython(
            code=own_measures,
            reverse_code=django.db.migrations.operations.special.RunPython.noop,
        ),
    ]
