"""A case's or a proposal's authority never changes once a document about it is issued.

Each issued document keeps the authority its subject had when it was issued
(IssuedDocument.subject_authority, migration 0019), and the reading rules read an
authority's case and proposal documents by that copy alone (tolerance.permissions,
promotions.proposals.permissions: the register's page and count walk the
(content_type, subject_authority, issued_on, id) index and stop after a page). The copy is
the subject's authority as long as that authority stays: on PostgreSQL a trigger refuses
to change it once a document about the subject exists, even by raw SQL. Creating the
triggers reads no rows; each refused or allowed change of an authority looks the subject's
documents up through the (content_type, object_id) index.
"""

from django.db import migrations

# (table, app label, model) of every subject whose documents are read by subject_authority.
SUBJECTS = (
    ("tolerance_case", "tolerance", "case"),
    ("promotions_proposal", "promotions", "proposal"),
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION core_subject_authority_fixed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM core_issueddocument d
        JOIN django_content_type t ON t.id = d.content_type_id
        WHERE t.app_label = TG_ARGV[0] AND t.model = TG_ARGV[1] AND d.object_id = OLD.id
    ) THEN
        RAISE EXCEPTION 'the authority of %.% % is kept by its issued documents (% refused)',
            TG_ARGV[0], TG_ARGV[1], OLD.id, TG_OP;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str) -> str:
    return f"{table}_authority_fixed"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PG_FUNCTION, params=None)
    for table, app_label, model in SUBJECTS:
        schema_editor.execute(
            f"CREATE TRIGGER {_trigger(table)} BEFORE UPDATE OF authority_id ON {table} "
            f"FOR EACH ROW WHEN (NEW.authority_id IS DISTINCT FROM OLD.authority_id) "
            f"EXECUTE FUNCTION core_subject_authority_fixed('{app_label}', '{model}')",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _app_label, _model in SUBJECTS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS core_subject_authority_fixed()", params=None)


class Migration(migrations.Migration):
    # (0019 depends on the subjects' tables)
    dependencies = [("core", "0019_document_subject_authority")]

    operations = [migrations.RunPython(forwards, backwards)]
