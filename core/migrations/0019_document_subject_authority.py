"""Each issued document keeps the authority its subject belongs to (a case's, a proposal's).

A reading rule's "the subject belongs to one of my authorities" path then reads the
documents of one authority through the (content_type, subject_authority, issued_on, id)
index in the register's order, instead of walking every document of the kind and looking
its subject up (a small county's clerk: 2,080 documents and 6,240 buffers for a page of 51,
issue 17). Documents and their subjects' authorities never change, so the copy is written
once, when the document is issued (core.documents.document_issue), and here for the
documents issued before.
"""

import django.db.models.deletion
from django.db import migrations, models

# The trigger of migration 0004 refuses every UPDATE of an issued document; this one
# fills a new column, and nothing else.
PG_PAUSE = "ALTER TABLE core_issueddocument DISABLE TRIGGER core_issueddocument_immutable"
PG_RESUME = "ALTER TABLE core_issueddocument ENABLE TRIGGER core_issueddocument_immutable"


def copy_subject_authorities(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    IssuedDocument = apps.get_model("core", "IssuedDocument")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(PG_PAUSE)
    types = IssuedDocument.objects.exclude(content_type=None).values_list("content_type", flat=True)
    for content_type in ContentType.objects.filter(pk__in=types.distinct()):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "authority"), None)
        if field is None:
            continue
        table, key = model._meta.db_table, model._meta.pk.column
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"UPDATE core_issueddocument SET subject_authority_id = ("
            f"SELECT s.{quote(field.column)} FROM {quote(table)} s "
            f"WHERE s.{quote(key)} = core_issueddocument.object_id) "
            f"WHERE content_type_id = %s",
            [content_type.pk],
        )
    if postgres:
        # The new foreign key is checked at commit; check it now, as the table cannot be
        # altered again while checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(PG_RESUME)


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0005_docs_authority_seal"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0018_document_kind_type_statistics"),
        # The subjects' tables as they stand (their authority columns are read).
        ("tolerance", "0011_case_counts_index"),
        ("promotions", "0003_commendation_cadre_placement"),
        ("clarifications", "0004_list_access_paths"),
    ]

    operations = [
        migrations.AddField(
            model_name="issueddocument",
            name="subject_authority",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The authority the subject (a case, a proposal) belongs to, when issued.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cadres.authority",
                verbose_name="authority of the subject",
            ),
        ),
        migrations.RunPython(copy_subject_authorities, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="issueddocument",
            index=models.Index(
                fields=["content_type", "subject_authority", "-issued_on", "-id"],
                name="document_by_subject_authority",
            ),
        ),
    ]
