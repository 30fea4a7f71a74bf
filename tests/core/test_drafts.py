"""core.drafts: the sign-off policy (data with a default) and who may take which step."""

from __future__ import annotations

import pytest

from core.checks import document_signoff_policy
from core.drafts import SOURCES, may_check, may_sign, may_view, needs_signoff, signing_roles
from core.enums import Role
from core.models import DocumentDraft, DocumentKind
from tests.factories import make_user


def test_every_official_document_kind_needs_a_sign_off_by_default():
    assert [kind for kind in DocumentKind.values if not needs_signoff(kind)] == []


def test_kinds_left_out_of_the_policy_are_issued_at_once(settings):
    settings.DOCUMENT_SIGNOFF_KINDS = ["tolerance_ruling"]
    assert (needs_signoff("tolerance_ruling"), needs_signoff("acceptance_notice")) == (True, False)


def test_every_kind_has_a_registered_draft_source():
    """Every app registered how to render its kinds as drafts (core never imports them)."""
    assert sorted(SOURCES) == sorted(DocumentKind.values)
    assert document_signoff_policy() == []


def test_signing_roles_default_to_the_approving_leader(settings):
    assert signing_roles("tolerance_ruling") == (Role.APPROVING_LEADER,)
    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": ["investigator", "approving_leader"]}
    assert signing_roles("tolerance_ruling") == ("investigator", "approving_leader")
    assert signing_roles("appeal_decision") == (Role.APPROVING_LEADER,)


@pytest.mark.django_db
def test_who_checks_and_signs(world):
    a = [world.county_a_org]
    clerk = make_user("d_clerk", Role.INTAKE_CLERK, authorities=a)
    leader = make_user("d_leader", Role.APPROVING_LEADER, authorities=a)
    other = make_user("d_other", Role.APPROVING_LEADER, authorities=[world.city_org])
    auditor = make_user("d_auditor", Role.AUDITOR, authorities=a)
    draft = DocumentDraft(kind="tolerance_ruling", authority=world.county_a_org)
    assert [may_view(u, draft) for u in (clerk, leader, other, auditor)] == [
        True, True, False, False
    ]
    assert [may_check(u, draft) for u in (clerk, leader, other, auditor)] == [
        True, True, False, False
    ]
    assert [may_sign(u, draft) for u in (clerk, leader, other, auditor)] == [
        False, True, False, False
    ]
    draft.opened_by_id = clerk.pk
    assert may_check(clerk, draft) is False  # not the one who drafted it
    draft.checked_by_id = leader.pk
    assert may_sign(leader, draft) is False  # not the one who checked it
