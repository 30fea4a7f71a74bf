from django.db import migrations

KINDS = ("acceptance_notice", "non_acceptance_notice", "tolerance_ruling", "appeal_decision")


def signers_from_the_case_policy(apps, schema_editor):
    """Drafts of a case's documents checked before DocumentDraft.signers existed (core
    0017 gave them the site's setting): where the case's policy version names the signers
    of the kind, those roles, as tolerance.ruling_drafts.signers applied until now."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    DocumentDraft = apps.get_model("core", "DocumentDraft")
    Case = apps.get_model("tolerance", "Case")
    case_type = ContentType.objects.filter(app_label="tolerance", model="case").first()
    if case_type is None:
        return
    drafts = DocumentDraft.objects.filter(state="checked", content_type=case_type, kind__in=KINDS)
    for draft in drafts.iterator():
        named = (
            Case.objects.filter(pk=draft.object_id)
            .values_list("policy_version__signing_roles", flat=True)
            .first()
        )
        roles = (named or {}).get(draft.kind)
        if roles:
            draft.signers = "," + ",".join(roles) + ","
            draft.save(update_fields=["signers"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0017_draft_signers"),
        ("tolerance", "0011_case_counts_index"),
    ]

    operations = [
        migrations.RunPython(signers_from_the_case_policy, migrations.RunPython.noop),
    ]
