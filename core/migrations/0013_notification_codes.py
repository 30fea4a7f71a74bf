"""Notifications become a kind's code and its parameters (rendered when read, in the
reader's language), with the object they are about; users keep their chosen language.

Rows written before keep their text: they get the legacy kind (core.legacy), whose params
hold the stored subject and body and which shows them as they were."""

from django.db import migrations, models

LEGACY = "core.legacy"


def texts_to_params(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    rows = list(Notification.objects.only("pk", "subject", "body"))
    for row in rows:
        row.code = LEGACY
        row.params = {"subject": row.subject, "body": row.body}
    Notification.objects.bulk_update(rows, ["code", "params"], batch_size=1000)


def params_to_texts(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    rows = list(Notification.objects.all())
    for row in rows:
        params = row.params if row.code == LEGACY else {"subject": row.code}
        row.subject = str(params.get("subject", ""))[:200]
        row.body = str(params.get("body", ""))
    Notification.objects.bulk_update(rows, ["subject", "body"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0012_case_exceptional_promotion_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="code",
            field=models.CharField(default=LEGACY, max_length=64, verbose_name="kind"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="object id"),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_label",
            field=models.CharField(blank=True, max_length=200, verbose_name="object label"),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_type",
            field=models.CharField(blank=True, max_length=64, verbose_name="object type"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="subject",
            field=models.CharField(blank=True, max_length=200, verbose_name="subject"),
        ),
        migrations.RunPython(texts_to_params, params_to_texts),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="subject"),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("zh-hans", "Simplified Chinese"), ("en", "English")],
                help_text="The interface language last chosen; notifications are mailed in it.",
                max_length=16,
                verbose_name="language",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "-id"], name="notification_recipient_newest"),
        ),
    ]
