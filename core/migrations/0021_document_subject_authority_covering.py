"""The (content_type, subject_authority, issued_on, id) index also carries the kind and the
subject's id, the other columns of a reading rule's "my authority's subjects" path
(tolerance.permissions, promotions.proposals.permissions).

The register counts each path up to its cap (core.paging.capped_count): with them, the
count of a county's 1,001 documents reads some 20 index pages and no table rows (bench at
1M cadres: 444 -> 40 buffers). On PostgreSQL the new index is built CONCURRENTLY before the
old one is dropped CONCURRENTLY: writes to the documents are never blocked, and the reading
paths always have one of the two.
"""

from django.db import migrations, models

OLD = models.Index(
    fields=["content_type", "subject_authority", "-issued_on", "-id"],
    name="document_by_subject_authority",
)
NEW = models.Index(
    fields=["content_type", "subject_authority", "-issued_on", "-id"],
    include=["kind", "object_id"],
    name="document_subject_authority",
)


def _swap(schema_editor, model, add: models.Index, drop: models.Index) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(add.name)}"
        )  # (a build interrupted before leaves an invalid index of that name)
        schema_editor.add_index(model, add, concurrently=True)
        schema_editor.remove_index(model, drop, concurrently=True)
    else:
        schema_editor.add_index(model, add)
        schema_editor.remove_index(model, drop)


def forwards(apps, schema_editor):
    _swap(schema_editor, apps.get_model("core", "IssuedDocument"), NEW, OLD)


def backwards(apps, schema_editor):
    _swap(schema_editor, apps.get_model("core", "IssuedDocument"), OLD, NEW)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("core", "0020_subject_authority_guard")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="issueddocument", name=OLD.name),
                migrations.AddIndex(model_name="issueddocument", index=NEW),
            ],
            database_operations=[migrations.RunPython(forwards, backwards, atomic=False)],
        )
    ]
