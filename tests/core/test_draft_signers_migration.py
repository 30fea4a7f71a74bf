"""core/migrations/0017_draft_signers: drafts already checked when the field arrives get
their signers as the rule applied to them until then; open and unchecked drafts are left
for their check to fix."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from core.models import DocumentDraft
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db

migration = importlib.import_module("core.migrations.0017_draft_signers")


def test_checked_drafts_get_their_signers_and_unchecked_ones_wait(flow, settings):  # noqa: F811
    checked = DocumentDraft.objects.get(
        kind="tolerance_ruling", object_id=flow.decided(outcome=Outcome.LIGHTER, sign=False).pk
    )
    waiting = DocumentDraft.objects.get(
        kind="tolerance_ruling", object_id=flow.decided(outcome=Outcome.LIGHTER, sign=False).pk
    )
    # (the flow's acceptance notices went through check and sign-off: signers set then)
    DocumentDraft.objects.filter(pk=checked.pk).update(state="checked")
    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": ["approving_leader", "committee_member"]}
    migration.fix_signers_of_checked_drafts(apps, None)
    drafts = DocumentDraft.objects.filter(pk__in=[checked.pk, waiting.pk])
    assert dict(drafts.values_list("pk", "signers")) == {
        checked.pk: ",approving_leader,committee_member,",
        waiting.pk: "",
    }
