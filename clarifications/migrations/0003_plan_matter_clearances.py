"""Clearances of matters by the clarifications held so far, recorded in tolerance's own
table (tolerance.MatterClearance): tolerance.effects reads only that table from now on.

A clarification on a petition about a matter and a cadre clears that cadre of the matter
(when the petition's outcome is one that clarifies, as tolerance.effects asked until now).
"""

from django.db import migrations


# The petition outcomes after which the cadre is clarified (PetitionOutcome.clarifiable()),
# frozen here as they were when this migration was written.
CLARIFIABLE = ("unfounded", "minor", "false_accusation")


def record_clearances(apps, schema_editor):
    Clarification = apps.get_model("clarifications", "Clarification")
    MatterClearance = apps.get_model("tolerance", "MatterClearance")
    rows = Clarification.objects.filter(
        petition__matter__isnull=False,
        petition__cadre__isnull=False,
        petition__outcome__in=CLARIFIABLE,
    ).values_list("pk", "petition__matter_id", "petition__cadre_id", "held_on", "created_by_id")
    for pk, matter_id, cadre_id, held_on, created_by_id in rows.order_by("pk"):
        MatterClearance.objects.get_or_create(
            matter_id=matter_id,
            cadre_id=cadre_id,
            defaults={
                "cleared_on": held_on,
                "source": "clarifications.clarification",
                "source_id": pk,
                "created_by_id": created_by_id,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clarifications", "0002_flow_fsm_state"),
        ("tolerance", "0009_plan_matter_clearance"),
    ]

    operations = [migrations.RunPython(record_clearances, migrations.RunPython.noop)]
