"""ExportJob moves from core to the register app: state only, the table core_exportjob stays.

The content type core.exportjob is renamed (audit rows and permissions keep pointing at the
model) and export tasks still waiting in the outbox under the old task name are renamed.
Both are plain data, written inline here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

OLD_TASK = "core.register.tasks.export_register"
NEW_TASK = "register.tasks.export_register"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutboxTask = apps.get_model("core", "OutboxTask")
    ContentType.objects.filter(app_label="core", model="exportjob").update(app_label="register")
    OutboxTask.objects.filter(task=OLD_TASK).update(task=NEW_TASK)


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutboxTask = apps.get_model("core", "OutboxTask")
    ContentType.objects.filter(app_label="register", model="exportjob").update(app_label="core")
    OutboxTask.objects.filter(task=NEW_TASK).update(task=OLD_TASK)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_exportjob_expiry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested at')),
                        ('filters', models.JSONField(blank=True, default=dict, verbose_name='filter')),
                        ('upto_id', models.PositiveBigIntegerField(default=0, verbose_name='last document included')),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Ready'), ('failed', 'Failed'), ('expired', 'Expired')], default='queued', max_length=12, verbose_name='state')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='documents to export')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='documents exported')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='last progress at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('archive', models.FileField(blank=True, max_length=200, upload_to='', verbose_name='ZIP archive')),
                        ('archive_size', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='archive size in bytes')),
                        ('archive_sha256', models.CharField(blank=True, max_length=64, verbose_name='archive SHA-256')),
                        ('workbook', models.FileField(blank=True, max_length=200, upload_to='', verbose_name='Excel register')),
                        ('counts', models.JSONField(blank=True, default=dict, help_text='Authority id → number of its documents in the export.', verbose_name='documents per authority')),
                        ('problems', models.JSONField(blank=True, default=list, verbose_name='documents with problems')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('expired_at', models.DateTimeField(blank=True, help_text='Finished exports are kept for REGISTER_EXPORT_RETENTION_DAYS, then deleted.', null=True, verbose_name='files deleted at')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'register export',
                        'verbose_name_plural': 'register exports',
                        'db_table': 'core_exportjob',
                        'ordering': ['-requested_at', '-id'],
                        'indexes': [models.Index(fields=['requested_by', 'requested_at'], name='core_export_request_3ed494_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
