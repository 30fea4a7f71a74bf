"""What part of a case a viewer sees: internal work for the authority and the auditors; the
findings for everyone once concluded; the applicant's own material and statements."""

import pytest

from core.enums import Role
from tests.factories import make_user
from tolerance.enums import CaseState
from tolerance.models import Attachment, Case, CaseNote
from tolerance.models.case import AttachmentKind, NoteKind
from tolerance.permissions import get_case_for_user
from tolerance.views.visibility import (
    CONCLUDED_STATES,
    attachment_visible,
    note_visible,
    sees_findings,
    sees_internal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(flow):
    return flow.investigating()


def test_the_authority_staff_auditors_and_administrators_see_internal_work(case, staff, world):
    auditor = make_user("v_auditor", Role.AUDITOR, authorities=[world.county_a_org])
    admin = make_user("v_admin", Role.ADMIN)

    for user in (staff.clerk, staff.investigator, staff.members[0], staff.leader, auditor,
                 admin):
        assert sees_internal(user, case), user.username


def test_the_people_concerned_and_outsiders_do_not_see_internal_work(case, staff):
    for user in (staff.cadre, staff.hr, staff.outsider, staff.clerk_b):
        assert not sees_internal(user, case), user.username


def test_discipline_staff_reaching_the_case_do_not_see_internal_work(case, world):
    discipline = make_user("v_disc", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline])

    assert get_case_for_user(discipline, case.pk) == case
    assert not sees_internal(discipline, case)


def test_an_inactive_staff_member_sees_no_internal_work(case, staff):
    staff.clerk.is_active = False

    assert not sees_internal(staff.clerk, case)


def test_findings_are_seen_by_the_cadre_only_once_concluded(case, staff):
    assert CONCLUDED_STATES == {
        CaseState.DECIDED, CaseState.RULING_ISSUED, CaseState.FED_BACK, CaseState.PUBLISHED,
        CaseState.APPEALED, CaseState.CLOSED,
    }
    assert sees_findings(staff.investigator, case)
    assert not sees_findings(staff.cadre, case)
    for state in CONCLUDED_STATES:
        assert sees_findings(staff.cadre, Case(pk=case.pk, authority=case.authority,
                                               state=state)), state
    withdrawn = Case(pk=case.pk, authority=case.authority, state=CaseState.WITHDRAWN)
    assert not sees_findings(staff.cadre, withdrawn)


def test_internal_viewers_see_every_attachment(case, staff):
    evidence = Attachment(case=case, kind=AttachmentKind.EVIDENCE, uploaded_by=staff.investigator)

    assert attachment_visible(staff.clerk, case, evidence, internal=True)
    assert not attachment_visible(staff.cadre, case, evidence, internal=False)


def test_others_see_application_material_statements_and_their_own_uploads(case, staff):
    def of(kind, by):
        return Attachment(case=case, kind=kind, uploaded_by=by)

    cadre = staff.cadre
    assert attachment_visible(cadre, case, of(AttachmentKind.APPLICATION, staff.clerk), False)
    assert attachment_visible(cadre, case, of(AttachmentKind.STATEMENT, staff.clerk), False)
    assert attachment_visible(cadre, case, of(AttachmentKind.OTHER, cadre), False)
    assert not attachment_visible(cadre, case, of(AttachmentKind.OTHER, staff.clerk), False)
    assert not attachment_visible(cadre, case, of(AttachmentKind.INTERVIEW, staff.clerk), False)


def test_others_see_statements_of_the_case_and_of_their_entries_only(case):
    entry = case.entries.get()

    def note(kind, entry_id=None):
        return CaseNote(case=case, kind=kind, entry_id=entry_id)

    assert note_visible(note(NoteKind.INTERVIEW), True, set())
    assert note_visible(note(NoteKind.STATEMENT), False, set())
    assert note_visible(note(NoteKind.STATEMENT, entry.pk), False, {entry.pk})
    assert not note_visible(note(NoteKind.STATEMENT, entry.pk), False, {entry.pk + 1})
    assert not note_visible(note(NoteKind.INTERVIEW), False, {entry.pk})
    assert not note_visible(note(NoteKind.INVESTIGATION, entry.pk), False, {entry.pk})
