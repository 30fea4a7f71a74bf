"""What part of a case a viewer sees, beyond whether they see the case at all.

tolerance.permissions decides who reaches a case and which cadres' entries they see. The
committee's internal work (interview notes, votes and opinions, the investigator's
evidence, the findings before a conclusion exists) is for the competent authority and the
auditors; the applicant and the cadres see their own material, the conclusion and the
findings it rests on once it is reached.
"""

from __future__ import annotations

from core.enums import Role
from core.models import User

from .. import predicates as P
from ..enums import CaseState
from ..models import Attachment, Case, CaseNote
from ..models.case import AttachmentKind, NoteKind

APPLICANT_ATTACHMENTS = frozenset({AttachmentKind.APPLICATION, AttachmentKind.STATEMENT})

# After these, the conclusion and the findings behind it are known to the people concerned.
CONCLUDED_STATES = CaseState.decided_states() | {CaseState.APPEALED, CaseState.CLOSED}


def sees_internal(user: User, case: Case) -> bool:
    """Administrators, the authority's staff (and discipline staff covering it), auditors."""
    if user.is_administrator:
        return True
    return P.staff_of(case, user, *Role.authority_staff_roles(), Role.AUDITOR)


def sees_findings(user: User, case: Case) -> bool:
    return sees_internal(user, case) or case.state in CONCLUDED_STATES


def attachment_visible(user: User, case: Case, attachment: Attachment, internal: bool) -> bool:
    if internal:
        return True
    return attachment.uploaded_by_id == user.pk or attachment.kind in APPLICANT_ATTACHMENTS


def note_visible(note: CaseNote, internal: bool, entry_ids: set[int]) -> bool:
    if internal:
        return True
    return note.kind == NoteKind.STATEMENT and (note.entry_id is None or note.entry_id in entry_ids)
