"""ExportJob now belongs to the register app (register 0001): state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_exportjob_expiry"),
        ("register", "0001_exportjob_from_core_plan"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportJob")],
            database_operations=[],
        ),
    ]
