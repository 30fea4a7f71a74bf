"""core/migrations/0017_draft_signers and tolerance/migrations/0012: drafts already checked
when the field arrives get their signers as the rule applied to them until then (the case's
policy version, else the site's setting); drafts not yet checked are left for their check."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from core.models import DocumentDraft
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)
from tolerance.enums import Outcome
from tolerance.models import PolicyVersion

pytestmark = pytest.mark.django_db

core_0017 = importlib.import_module("core.migrations.0017_draft_signers")
tolerance_0012 = importlib.import_module("tolerance.migrations.0012_draft_signers_from_policy")


def _ruling_draft(flow) -> DocumentDraft:  # noqa: F811
    case = flow.decided(outcome=Outcome.LIGHTER, sign=False)
    return DocumentDraft.objects.get(kind="tolerance_ruling", object_id=case.pk)


def test_checked_drafts_get_the_setting_s_signers_and_unchecked_ones_wait(flow, settings):  # noqa: F811
    checked, waiting = _ruling_draft(flow), _ruling_draft(flow)
    # (the flow's acceptance notices went through check and sign-off: signers set then)
    DocumentDraft.objects.filter(pk=checked.pk).update(state="checked")
    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": ["approving_leader", "committee_member"]}
    core_0017.fix_signers_of_checked_drafts(apps, None)
    tolerance_0012.signers_from_the_case_policy(apps, None)  # the policy names none
    drafts = DocumentDraft.objects.filter(pk__in=[checked.pk, waiting.pk])
    assert dict(drafts.values_list("pk", "signers")) == {
        checked.pk: ",approving_leader,committee_member,",
        waiting.pk: "",
    }


def test_the_case_s_policy_names_the_signers_before_the_setting(flow, settings):  # noqa: F811
    checked = _ruling_draft(flow)
    DocumentDraft.objects.filter(pk=checked.pk).update(state="checked")
    # (a published version is read-only through the model; the data is set directly here)
    PolicyVersion.objects.filter(pk=checked.subject.policy_version_id).update(
        signing_roles={"tolerance_ruling": ["investigator"]}
    )
    core_0017.fix_signers_of_checked_drafts(apps, None)
    assert DocumentDraft.objects.get(pk=checked.pk).signers == ",approving_leader,"
    tolerance_0012.signers_from_the_case_policy(apps, None)
    assert DocumentDraft.objects.get(pk=checked.pk).signers == ",investigator,"
